"""Every write about people and organisation-wide settings."""

import secrets

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from groups.models import Invitation, Membership, Resource

from . import selectors
from .models import Consent, ConsentKind, ConsentText, HelpPage, User

PROFILE_FIELDS = [
    "display_name",
    "pronouns",
    "time_zone",
    "language",
    "email_reminders",
    "reminder_hours_before",
]


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    display_name: str,
    pronouns: str,
    time_zone: str,
    language: str,
    email_reminders: bool,
    reminder_hours_before: int,
) -> User:
    """Change what a person shows of themself, how the site speaks to them and
    how they are reminded of meetings."""
    user.display_name = display_name
    user.pronouns = pronouns
    user.time_zone = time_zone
    user.language = language
    user.email_reminders = email_reminders
    user.reminder_hours_before = reminder_hours_before
    try:
        user.full_clean(exclude=["password"])
    except ValidationError:
        # The caller's object must not keep values that were never saved.
        user.refresh_from_db(fields=PROFILE_FIELDS)
        raise
    user.save(update_fields=PROFILE_FIELDS)
    return user


def _check_consent_kind(kind: str) -> None:
    if kind not in ConsentKind.values:
        raise ValidationError("There is no such consent. Nothing was changed.")


@transaction.atomic
def consent_text_publish(*, kind: str, text: str) -> ConsentText:
    """Publish a new version of a consent text. Everyone who agreed to an
    earlier version is asked again on their consents page."""
    _check_consent_kind(kind)
    latest = (
        ConsentText.objects.select_for_update()
        .filter(kind=kind)
        .order_by("-version")
        .first()
    )
    consent_text = ConsentText(
        kind=kind, version=latest.version + 1 if latest else 1, text=text.strip()
    )
    consent_text.full_clean()
    consent_text.save()
    return consent_text


@transaction.atomic
def consent_grant(*, user: User, kind: str, version: int | None = None) -> Consent:
    """Record the person's yes to the current text of one kind of consent.

    ``version`` is the version the person read: if a newer one has been
    published since, nothing is recorded, so nobody agrees to words they have
    not seen. Saying yes twice to the same version records it once."""
    _check_consent_kind(kind)
    current = selectors.consent_texts_current().get(kind)
    label = ConsentKind(kind).label
    if current is None:
        raise ValidationError(f"“{label}” cannot be agreed to yet: it has no text.")
    if version is not None and version != current.version:
        raise ValidationError(
            f"The text of “{label}” has changed since you opened the page. "
            "Please read the new version below and agree again if you are happy to."
        )
    # Lock the person's row so two quick clicks cannot both insert.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    existing = Consent.objects.filter(
        user=user, text=current, withdrawn_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    return Consent.objects.create(user=user, text=current)


@transaction.atomic
def consent_withdraw(*, user: User, kind: str) -> int:
    """Withdraw the person's yes to one kind of consent (every version they
    agreed to). The records stay, with the date of withdrawal."""
    _check_consent_kind(kind)
    withdrawn = Consent.objects.filter(
        user=user, text__kind=kind, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    if not withdrawn:
        raise ValidationError(
            f"You have not agreed to “{ConsentKind(kind).label}”, "
            "so there is nothing to withdraw."
        )
    return withdrawn


@transaction.atomic
def coordinator_grant(*, email: str, acting_user: User) -> User:
    """Make an existing, verified account a coordinator."""
    user = (
        User.objects.select_for_update()
        .filter(
            email__iexact=email.strip(),
            is_active=True,
            emailaddress__verified=True,
        )
        .first()
    )
    if user is None:
        raise ValidationError(
            "No active account with a verified address matches that e-mail. "
            "Ask them to sign up and confirm their address first."
        )
    if user.is_coordinator:
        raise ValidationError(f"{user.display_name} is already a coordinator.")
    user.is_coordinator = True
    user.save(update_fields=["is_coordinator"])
    return user


@transaction.atomic
def coordinator_revoke(*, user: User, acting_user: User) -> User:
    """Take the coordinator role away. The organisation always keeps one."""
    coordinators = list(
        User.objects.select_for_update().filter(is_coordinator=True, is_active=True)
    )
    if user not in coordinators:
        raise ValidationError(f"{user.display_name} is not a coordinator.")
    if len(coordinators) == 1:
        raise ValidationError(
            "The organisation needs at least one coordinator: make someone "
            "else a coordinator first."
        )
    user.is_coordinator = False
    user.save(update_fields=["is_coordinator"])
    return user


@transaction.atomic
def help_page_save(
    *, language: str, title: str, body: str, acting_user: User
) -> HelpPage:
    """Create or replace the "Get help now" page for one language."""
    page = HelpPage.objects.filter(language=language).first() or HelpPage(
        language=language
    )
    page.title = title
    page.body = body
    page.updated_by = acting_user
    page.full_clean()
    page.save()
    return page


def sessions_prune_expired() -> int:
    """Delete expired login sessions; returns how many were removed."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def _erased_email() -> str:
    # The .example top-level domain is reserved (RFC 2606): mail to it reaches
    # no one. The random part keeps addresses unique and says nothing about
    # the person.
    return f"erased-{secrets.token_hex(12)}@invalid.example"


def _field_default(name: str):
    return User._meta.get_field(name).get_default()


def _sessions_delete_for(user: User) -> int:
    """Delete every login session of ``user`` (sessions carry no user column,
    so each live one is decoded)."""
    user_id = str(user.pk)
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now())
        .only("session_key", "session_data")
        .iterator(chunk_size=2000)
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    return deleted


@transaction.atomic
def user_erase(*, user: User) -> User:
    """Erase a person's account: remove everything that identifies them and
    keep only what groups and anonymous aggregates need.

    The user row stays (acknowledgements and attendance point at it) but is
    stripped: it reads "Former member", has an address that cannot receive
    mail, no password and no way to log in. Refused while the person is the
    organisation's only coordinator or the only lead of an active group,
    because the organisation or the group would be left without anyone in
    charge."""
    # Lock the rows the refusals are decided on, so two last leads (or
    # coordinators) erasing at the same moment cannot both succeed.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    list(
        User.objects.select_for_update()
        .filter(is_coordinator=True, is_active=True)
        .values_list("pk")
    )
    led_groups = Membership.objects.filter(
        user=user, role=Membership.Role.LEAD, status=Membership.Status.ACTIVE
    ).values("group")
    list(
        Membership.objects.select_for_update()
        .filter(
            group__in=led_groups,
            role=Membership.Role.LEAD,
            status=Membership.Status.ACTIVE,
        )
        .values_list("pk")
    )
    blockers = selectors.user_erase_blockers(user=user)
    if blockers:
        raise ValidationError(blockers)

    now = timezone.now()
    user.email = _erased_email()
    user.display_name = User.ERASED_DISPLAY_NAME
    user.pronouns = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_coordinator = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    # Time zone and language say where someone lives; reminder settings are
    # preferences of a person who is no longer here.
    for name in ("time_zone", "language", "email_reminders", "reminder_hours_before"):
        setattr(user, name, _field_default(name))
    user.save()
    user.groups.clear()
    user.user_permissions.clear()

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Consent.objects.filter(user=user).delete()
    _sessions_delete_for(user)

    # Memberships stay as "left": attendance and survey aggregates count them.
    # Their words go: the request they wrote and the lead's reply to them.
    # removal_reason is kept: it is the leads' safeguarding note.
    Membership.objects.filter(user=user).exclude(status=Membership.Status.LEFT).update(
        status=Membership.Status.LEFT, status_changed_at=now
    )
    Membership.objects.filter(user=user).update(
        request_message="",
        decision_message="",
        takes_part_in_rota=False,
        willing_to_mentor=False,
    )
    # Acknowledgements are kept: they are the record that the group's norms
    # were agreed, and now point at "Former member".
    Resource.objects.filter(added_by=user).update(added_by=None)
    # A lead's note on an invitation says whom it was for: the person's name.
    Invitation.objects.filter(used_by=user).update(note="")
    # The admin's history names the account in object_repr.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
    ).update(object_repr=User.ERASED_DISPLAY_NAME)
    return user
