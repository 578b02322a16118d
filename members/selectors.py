from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone, translation

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from groups.models import (
    Acknowledgement,
    GuidelineVersion,
    Invitation,
    Membership,
    Resource,
)

from .models import Consent, ConsentKind, ConsentText, HelpPage, User


def help_page_for_language(
    *, language: str | None = None, fallback: bool = True
) -> HelpPage | None:
    """The help page in the asked (or active) language, else (with
    ``fallback``) in English."""
    language = (language or translation.get_language() or "en").split("-")[0]
    wanted = {language, "en"} if fallback else {language}
    pages = {p.language: p for p in HelpPage.objects.filter(language__in=wanted)}
    return pages.get(language) or pages.get("en")


def coordinators_list():
    return User.objects.filter(is_coordinator=True, is_active=True).order_by(
        "display_name", "id"
    )


# --- Consents -------------------------------------------------------------------


def consent_texts_current() -> dict[str, ConsentText]:
    """The newest published text of each kind of consent, by kind."""
    current: dict[str, ConsentText] = {}
    for text in ConsentText.objects.filter(published_at__lte=timezone.now()).order_by(
        "kind", "-version"
    ):
        current.setdefault(text.kind, text)
    return current


@dataclass(frozen=True)
class ConsentStatus:
    """One kind of consent as one person sees it on their consents page."""

    NOT_GIVEN = "not_given"
    GIVEN = "given"
    OUTDATED = "outdated"  # given to an earlier version: ask again
    WITHDRAWN = "withdrawn"

    kind: str
    label: str
    text: ConsentText | None
    latest: Consent | None

    @property
    def state(self) -> str:
        if self.latest is None:
            return self.NOT_GIVEN
        if self.latest.withdrawn_at is not None:
            return self.WITHDRAWN
        if self.text is not None and self.latest.text.version < self.text.version:
            return self.OUTDATED
        return self.GIVEN

    @property
    def is_given(self) -> bool:
        """Whether an agreement is in force (possibly to an earlier version)."""
        return self.state in (self.GIVEN, self.OUTDATED)

    @property
    def since(self) -> datetime | None:
        if self.latest is None:
            return None
        return self.latest.withdrawn_at or self.latest.granted_at


def consents_for_user(*, user: User) -> list[ConsentStatus]:
    """Each kind of consent with its current text and the person's latest
    answer, in the order of ConsentKind. Two queries, however long the history."""
    current = consent_texts_current()
    latest: dict[str, Consent] = {}
    for consent in (
        Consent.objects.filter(user=user)
        .select_related("text")
        .order_by("-granted_at", "-id")
    ):
        latest.setdefault(consent.text.kind, consent)
    return [
        ConsentStatus(
            kind=kind,
            label=label,
            text=current.get(kind),
            latest=latest.get(kind),
        )
        for kind, label in ConsentKind.choices
    ]


def has_consent(*, user: User, kind: str) -> bool:
    """Whether the person's yes to this kind is in force. A yes to an earlier
    version still counts until they withdraw it: they agreed to those words."""
    return Consent.objects.filter(
        user=user, text__kind=kind, withdrawn_at__isnull=True
    ).exists()


# --- Erasure --------------------------------------------------------------------


def user_erase_blockers(*, user: User) -> list[str]:
    """Why the person cannot erase their account yet (empty when they can)."""
    blockers = []
    if (
        user.is_coordinator
        and user.is_active
        and not User.objects.filter(is_coordinator=True, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    ):
        blockers.append(
            "You are the organisation's only coordinator. Make someone else a "
            "coordinator first, then come back to delete your account."
        )
    other_leads = Membership.objects.filter(
        group=OuterRef("group"),
        role=Membership.Role.LEAD,
        status=Membership.Status.ACTIVE,
    ).exclude(user=user)
    sole_leads = (
        Membership.objects.filter(
            user=user,
            role=Membership.Role.LEAD,
            status=Membership.Status.ACTIVE,
            group__archived_at__isnull=True,
        )
        .filter(~Exists(other_leads))
        .select_related("group")
        .order_by("group__name")
    )
    blockers.extend(
        f"You are the only lead of {membership.group.name}. Name another lead "
        "of the group first, then come back to delete your account."
        for membership in sole_leads
    )
    return blockers


# --- Data export ----------------------------------------------------------------

EXPORT_FORMAT_VERSION = 1

# Every relation from another model to the person, and the export section that
# holds it. tests/members/test_export.py walks the user model's relations and
# fails for one found neither here nor in EXPORT_WITHHELD: a new model with a
# foreign key to the user must decide what the person gets to see.
EXPORT_SECTIONS = {
    "account.EmailAddress.user": "email_addresses",
    "mfa.Authenticator.user": "two_factor",
    "members.User.groups": "account",
    "members.User.user_permissions": "account",
    "members.Consent.user": "consents",
    "members.HelpPage.updated_by": "help_pages_edited",
    "groups.Membership.user": "memberships",
    "groups.Acknowledgement.user": "guideline_acknowledgements",
    "groups.GuidelineVersion.published_by": "guideline_versions_published",
    "groups.Resource.added_by": "resources_added",
    "groups.Invitation.used_by": "invitations_used",
    "groups.Invitation.created_by": "invitations_created",
    "sessions_app.CalendarFeed.user": "calendar_feed",
    "sessions_app.SentMessage.recipient": "reminders_sent",
    "sessions_app.FeedbackReceipt.user": "meeting_feedback_given",
    "sessions_app.Icebreaker.created_by": "icebreakers_added",
}

_RUNNING_A_GROUP = (
    "They describe meetings and other members. Your own attendance, "
    "facilitation and rota preferences are in the file."
)

# What the app holds about the person but does not put in the file, and why.
# The export lists these in its "withheld" section (without "source").
EXPORT_WITHHELD = [
    {
        "source": "sessions_app.FeedbackResponse",
        "what": "Your answers to the anonymous meeting pulse",
        "why": "They are stored without your name, so nobody, including us, "
        "can find which answers were yours. The file lists the meetings you "
        "answered about.",
    },
    {
        "source": "sessions_app.CalendarFeed.token",
        "what": "The secret part of your calendar address",
        "why": "Anyone holding it could read your meeting times; the file says "
        "only whether the address is on.",
    },
    *(
        {"source": source, "what": what, "why": _RUNNING_A_GROUP}
        for source, what in (
            ("sessions_app.MeetingEvent.actor", "Changes you made to meetings"),
            ("sessions_app.MeetingSchedule.created_by", "Schedules you set up"),
            ("sessions_app.Assignment.assigned_by", "Facilitators you assigned"),
            ("sessions_app.Attendance.marked_by", "Attendance you took for others"),
            ("sessions_app.AutoFillRun.started_by", "Rota auto-fill runs you started"),
        )
    ),
    {
        "source": "groups.Membership.removal_reason",
        "what": "Leads' notes on why a membership was ended",
        "why": "These are the group leads' own notes, kept so they can look "
        "after the group; they are not shown to the member.",
    },
    {
        "source": "admin.LogEntry.user",
        "what": "The admin site's history of changes made by staff",
        "why": "It is the organisation's record of its administration and "
        "names other people's records.",
    },
    {
        "source": "mfa.Authenticator.data",
        "what": "Two-factor secrets and recovery codes",
        "why": "Anyone holding them could sign in as you. The file says only "
        "whether two-factor authentication is on.",
    },
    {
        "source": "members.User.password",
        "what": "Your password",
        "why": "It is stored only as a one-way hash that nobody can read back.",
    },
    {
        "source": "groups.Invitation.token",
        "what": "The secret part of invitation links",
        "why": "Anyone holding a valid link could join the group with it.",
    },
    {
        "source": "groups.Resource.file",
        "what": "The contents of files you uploaded to a resource library",
        "why": "They are listed by name and size; the files themselves stay in "
        "the library, where you can download them.",
    },
    {
        "source": "django.contrib.sessions",
        "what": "Login sessions",
        "why": "Technical records that keep you signed in; they expire on "
        "their own and hold nothing you entered.",
    },
]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def user_data_export(*, user: User) -> dict:
    """Everything Circle holds about the person, as JSON-ready data.

    A fixed number of queries (one per section) however much there is.
    Withheld data is named, with the reason, in the "withheld" section."""
    email_addresses = [
        {
            "email": address.email,
            "verified": address.verified,
            "primary": address.primary,
        }
        for address in EmailAddress.objects.filter(user=user).order_by(
            "-primary", "email"
        )
    ]
    consents = [
        {
            "kind": consent.text.kind,
            "consent": consent.text.get_kind_display(),
            "text_version": consent.text.version,
            "text": consent.text.text,
            "text_published_at": _iso(consent.text.published_at),
            "granted_at": _iso(consent.granted_at),
            "withdrawn_at": _iso(consent.withdrawn_at),
        }
        for consent in Consent.objects.filter(user=user)
        .select_related("text")
        .order_by("granted_at", "id")
    ]
    memberships = [
        {
            "group": membership.group.name,
            "role": membership.get_role_display(),
            "status": membership.get_status_display(),
            "requested_at": _iso(membership.requested_at),
            "joined_at": _iso(membership.joined_at),
            "status_changed_at": _iso(membership.status_changed_at),
            "takes_part_in_rota": membership.takes_part_in_rota,
            "willing_to_mentor": membership.willing_to_mentor,
            "your_request_message": membership.request_message,
            "leads_reply_to_you": membership.decision_message,
        }
        for membership in Membership.objects.filter(user=user)
        .select_related("group")
        .order_by("requested_at", "id")
    ]
    acknowledgements = [
        {
            "group": ack.version.group.name,
            "guidelines_version": ack.version.number,
            "acknowledged_at": _iso(ack.acknowledged_at),
        }
        for ack in Acknowledgement.objects.filter(user=user)
        .select_related("version__group")
        .order_by("acknowledged_at", "id")
    ]
    versions_published = [
        {
            "group": version.group.name,
            "guidelines_version": version.number,
            "change_note": version.change_note,
            "published_at": _iso(version.published_at),
        }
        for version in GuidelineVersion.objects.filter(published_by=user)
        .select_related("group")
        .order_by("published_at", "id")
    ]
    resources = [
        {
            "title": resource.title,
            "group": resource.group.name if resource.group else None,
            "library": "group" if resource.group else "organisation-wide",
            "kind": resource.get_kind_display(),
            "description": resource.description,
            "url": resource.url,
            "file_name": resource.file_name,
            "file_size": resource.size,
            "tags": resource.tags,
            "status": resource.get_status_display(),
            "created_at": _iso(resource.created_at),
            "published_at": _iso(resource.published_at),
        }
        for resource in Resource.objects.filter(added_by=user)
        .select_related("group")
        .order_by("created_at", "id")
    ]
    invitations_used = [
        {"group": invitation.group.name, "used_at": _iso(invitation.used_at)}
        for invitation in Invitation.objects.filter(used_by=user)
        .select_related("group")
        .order_by("used_at", "id")
    ]
    invitations_created = [
        {
            "group": invitation.group.name,
            "note": invitation.note,
            "created_at": _iso(invitation.created_at),
            "expires_at": _iso(invitation.expires_at),
            "state": invitation.state,
        }
        for invitation in Invitation.objects.filter(created_by=user)
        .select_related("group")
        .order_by("created_at", "id")
    ]
    help_pages = [
        {
            "language": page.language,
            "title": page.title,
            "updated_at": _iso(page.updated_at),
        }
        for page in HelpPage.objects.filter(updated_by=user).order_by("language")
    ]
    from sessions_app.models import (
        Assignment,
        Attendance,
        Blockout,
        CalendarFeed,
        FacilitationPreference,
        FeedbackReceipt,
        Icebreaker,
        SentMessage,
    )

    attendance = [
        {
            "group": record.meeting.group.name,
            "meeting_starts_at": _iso(record.meeting.starts_at),
            "status": record.get_status_display(),
            "checked_in_yourself": record.self_checked_in,
        }
        for record in Attendance.objects.filter(membership__user=user)
        .select_related("meeting__group")
        .order_by("meeting__starts_at", "id")
    ]
    facilitation = [
        {
            "group": assignment.meeting.group.name,
            "meeting_starts_at": _iso(assignment.meeting.starts_at),
            "role": assignment.get_role_display(),
            "why_you": assignment.reason,
        }
        for assignment in Assignment.objects.filter(membership__user=user)
        .select_related("meeting__group")
        .order_by("meeting__starts_at", "id")
    ]
    rota_preferences = {
        "blockouts": [
            {
                "group": blockout.membership.group.name,
                "kind": blockout.get_kind_display(),
                "from": blockout.starts_on and blockout.starts_on.isoformat(),
                "to": blockout.ends_on and blockout.ends_on.isoformat(),
                "week_of_month": blockout.week_of_month,
                "note": blockout.note,
            }
            for blockout in Blockout.objects.filter(membership__user=user)
            .select_related("membership__group")
            .order_by("id")
        ],
        "most_often": [
            {
                "group": preference.membership.group.name,
                "at_most": preference.max_times,
                "in_weeks": preference.per_weeks,
            }
            for preference in FacilitationPreference.objects.filter(
                membership__user=user
            ).select_related("membership__group")
        ],
    }
    reminders_sent = [
        {
            "kind": message.kind,
            "meeting_starts_at": _iso(message.meeting.starts_at),
            "sent_at": _iso(message.sent_at),
        }
        for message in SentMessage.objects.filter(recipient=user)
        .select_related("meeting")
        .order_by("sent_at", "id")
    ]
    feedback_given = [
        {
            "group": receipt.meeting.group.name,
            "meeting_starts_at": _iso(receipt.meeting.starts_at),
        }
        for receipt in FeedbackReceipt.objects.filter(user=user)
        .select_related("meeting__group")
        .order_by("meeting__starts_at", "id")
    ]
    icebreakers = [
        {"prompt": icebreaker.prompt, "category": icebreaker.category}
        for icebreaker in Icebreaker.objects.filter(created_by=user).order_by("id")
    ]
    return {
        "about": (
            "Everything Circle holds about you, as of exported_at. Times are in "
            "UTC (ISO 8601). What is not included, and why, is listed under "
            "'withheld'."
        ),
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": _iso(timezone.now()),
        "account": {
            "login_email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "is_active": user.is_active,
            "coordinator": user.is_coordinator,
            "admin_site_access": user.is_staff,
            "superuser": user.is_superuser,
            "admin_permission_groups": sorted(
                user.groups.values_list("name", flat=True)
            ),
            "admin_permissions": sorted(
                f"{app}.{codename}"
                for app, codename in user.user_permissions.values_list(
                    "content_type__app_label", "codename"
                )
            ),
        },
        "profile": {
            "display_name": user.display_name,
            "pronouns": user.pronouns,
            "time_zone": user.time_zone,
            "language": user.language,
        },
        "notification_preferences": {
            "email_reminders": user.email_reminders,
            "reminder_hours_before": user.reminder_hours_before,
            "reminder_lead_time": user.get_reminder_hours_before_display(),
        },
        "email_addresses": email_addresses,
        "two_factor": {
            # Recovery codes alone do not sign anyone in: they back up a method.
            "enabled": Authenticator.objects.filter(user=user)
            .exclude(type=Authenticator.Type.RECOVERY_CODES)
            .exists(),
        },
        "consents": consents,
        "memberships": memberships,
        "guideline_acknowledgements": acknowledgements,
        "guideline_versions_published": versions_published,
        "resources_added": resources,
        "invitations_used": invitations_used,
        "invitations_created": invitations_created,
        "help_pages_edited": help_pages,
        "meeting_attendance": attendance,
        "facilitation": facilitation,
        "rota_preferences": rota_preferences,
        "calendar_feed": {"on": CalendarFeed.objects.filter(user=user).exists()},
        "reminders_sent": reminders_sent,
        "meeting_feedback_given": feedback_given,
        "icebreakers_added": icebreakers,
        "withheld": [
            {"what": item["what"], "why": item["why"]} for item in EXPORT_WITHHELD
        ],
    }
