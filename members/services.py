"""Every write about people and organisation-wide settings."""

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import HelpPage, User


@transaction.atomic
def user_update_profile(
    *, user: User, display_name: str, pronouns: str, time_zone: str, language: str
) -> User:
    """Change what a person shows of themself and how the site speaks to them."""
    user.display_name = display_name
    user.pronouns = pronouns
    user.time_zone = time_zone
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "pronouns", "time_zone", "language"])
    return user


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
