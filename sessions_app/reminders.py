"""Meeting reminders and change notices, each sent exactly once.

Periodic tasks (tasks.py) call the ``send_*`` functions here. Each finds what
is due in the database, then sends every message inside a transaction that
first inserts its ``SentMessage`` row (unique on kind, meeting, recipient and
occasion). A second worker, a retried task or a repeated beat tick that
reaches the same message hits the unique constraint (on PostgreSQL it waits
for the first transaction, then fails) and skips it; a send that fails rolls
its row back, so the next run tries again.

What is checked again at send time, inside that transaction: the meeting is
still scheduled (a cancelled one gets its cancellation notice, not a
reminder), the recipient still an active member of the group and still
wanting e-mail reminders.

Kinds:

- ``member_reminder``: each active member who agreed to the group's current
  guidelines and wants e-mail reminders, ``User.reminder_hours_before``
  before the meeting.
- ``facilitator_reminder``: the meeting's facilitator and co-facilitator, 3
  days before, with the agenda and the meeting page (where swaps are asked).
- ``no_facilitator``: the group's active leads, once, when a meeting within 7
  days has no facilitator.
- ``meeting_cancelled`` / ``meeting_moved``: the group's active members, once
  per ``MeetingEvent`` (occasion ``event-<pk>``); all the notices due to one
  person go out in one e-mail.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from groups.models import Membership
from members.models import ReminderLeadTime, User

from .models import Assignment, Meeting, MeetingEvent, SentMessage
from .selectors import agreed_current_guidelines

logger = logging.getLogger(__name__)

MEMBER_REMINDER = "member_reminder"
FACILITATOR_REMINDER = "facilitator_reminder"
NO_FACILITATOR = "no_facilitator"
MEETING_CANCELLED = "meeting_cancelled"
MEETING_MOVED = "meeting_moved"

FACILITATOR_LEAD_TIME = timedelta(days=3)
NO_FACILITATOR_WITHIN = timedelta(days=7)
# Change notices older than this are not sent any more (e.g. after a long
# broker outage): by then the news is stale or the meeting is over.
CHANGE_NOTICE_WINDOW = timedelta(days=7)

EVENT_KINDS = {
    MeetingEvent.Kind.CANCELLED: MEETING_CANCELLED,
    MeetingEvent.Kind.MOVED: MEETING_MOVED,
}


@dataclass(frozen=True)
class Due:
    kind: str
    meeting: Meeting
    recipient: User
    occasion: str = ""
    event: MeetingEvent | None = None


# ---------------------------------------------------------------- helpers


def site_url() -> str:
    """Scheme and host for links in e-mails (there is no request to ask)."""
    return settings.SITE_URL


def _zone_of(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone)
    except (ValueError, KeyError):  # an erased or odd value
        return ZoneInfo(settings.TIME_ZONE)


def _local(moment: datetime, user: User) -> datetime:
    return moment.astimezone(_zone_of(user))


def _already_sent(kind: str | list[str], meetings, occasions=None) -> set[tuple]:
    kinds = [kind] if isinstance(kind, str) else kind
    rows = SentMessage.objects.filter(kind__in=kinds, meeting__in=meetings)
    if occasions is not None:
        rows = rows.filter(occasion__in=occasions)
    return set(rows.values_list("kind", "meeting_id", "recipient_id", "occasion"))


def _active_memberships(*, group_ids, agreed: bool = True):
    memberships = Membership.objects.filter(
        group_id__in=group_ids,
        status=Membership.Status.ACTIVE,
        user__is_active=True,
    ).select_related("user")
    if agreed:
        memberships = memberships.filter(agreed_current_guidelines())
    return memberships


def _still_member(meeting: Meeting, user: User, *, lead: bool = False) -> bool:
    memberships = Membership.objects.filter(
        group_id=meeting.group_id,
        user=user,
        user__is_active=True,
        status=Membership.Status.ACTIVE,
    )
    if lead:
        memberships = memberships.filter(role=Membership.Role.LEAD)
    return memberships.exists()


def _fresh(meeting: Meeting) -> Meeting | None:
    return Meeting.objects.select_related("group").filter(pk=meeting.pk).first()


def _fresh_user(user: User) -> User | None:
    return User.objects.filter(pk=user.pk, is_active=True).first()


def _message(template: str, *, recipient: User, subject: str, context) -> EmailMessage:
    # Template date filters convert to the active zone: make it the reader's.
    with timezone.override(_zone_of(recipient)):
        body = render_to_string(
            f"sessions_app/email/{template}.txt",
            {"recipient": recipient, "site_name": settings.SITE_NAME, **context},
        )
    return EmailMessage(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=body,
        to=[recipient.email],
    )


def _send_once(due: Due, build: Callable[[Meeting, User], EmailMessage | None]) -> bool:
    """Send one message unless it was sent already or is no longer due.

    ``build`` gets the meeting and recipient as they are now, inside the
    transaction, and returns None when the message should not go out."""
    try:
        with transaction.atomic():
            SentMessage.objects.create(
                kind=due.kind,
                meeting=due.meeting,
                recipient=due.recipient,
                occasion=due.occasion,
            )
            meeting, recipient = _fresh(due.meeting), _fresh_user(due.recipient)
            message = build(meeting, recipient) if meeting and recipient else None
            if message is None:
                # Not due any more: undo the row, so a later change (say, the
                # member coming back) is not blocked by it.
                transaction.set_rollback(True)
                return False
            message.send(fail_silently=False)
    except IntegrityError:
        return False  # sent already, or being sent by another worker now
    return True


# ------------------------------------------------------ member reminders


def member_reminders_due(*, now: datetime | None = None) -> list[Due]:
    """(meeting, member) pairs whose member reminder is due now and unsent."""
    now = now or timezone.now()
    longest = timedelta(hours=max(ReminderLeadTime.values))
    meetings = list(
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + longest,
        ).select_related("group")
    )
    if not meetings:
        return []
    by_group = defaultdict(list)
    for meeting in meetings:
        by_group[meeting.group_id].append(meeting)
    sent = _already_sent(MEMBER_REMINDER, meetings)
    found = []
    memberships = _active_memberships(group_ids=list(by_group)).filter(
        user__email_reminders=True
    )
    for membership in memberships:
        user = membership.user
        for meeting in by_group[membership.group_id]:
            if meeting.starts_at - now > user.reminder_lead_time:
                continue
            if (MEMBER_REMINDER, meeting.pk, user.pk, "") in sent:
                continue
            found.append(Due(MEMBER_REMINDER, meeting, user))
    return found


def _build_member_reminder(meeting: Meeting, user: User) -> EmailMessage | None:
    if (
        meeting.status != Meeting.Status.SCHEDULED
        or meeting.starts_at <= timezone.now()
    ):
        return None
    if not user.email_reminders or not _still_member(meeting, user):
        return None
    start = _local(meeting.starts_at, user)
    return _message(
        "member_reminder",
        recipient=user,
        subject=f"Reminder: {meeting.group.name}, {start:%A %-d %B %H:%M}",
        context=_meeting_context(meeting, user),
    )


def _meeting_context(meeting: Meeting, user: User) -> dict:
    return {
        "meeting": meeting,
        "group": meeting.group,
        "local_start": _local(meeting.starts_at, user),
        "local_end": _local(meeting.ends_at, user),
        "time_zone": user.time_zone,
        "meeting_url": site_url() + meeting.get_absolute_url(),
        "profile_url": site_url() + reverse("members:profile"),
    }


def send_member_reminders(*, now: datetime | None = None) -> int:
    """Send the member reminders that are due. Returns how many were sent."""
    return sum(
        _send_once(due, _build_member_reminder) for due in member_reminders_due(now=now)
    )


# -------------------------------------------------- facilitator reminders


def facilitator_reminders_due(*, now: datetime | None = None) -> list[Due]:
    now = now or timezone.now()
    assignments = list(
        Assignment.objects.filter(
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + FACILITATOR_LEAD_TIME,
            membership__status=Membership.Status.ACTIVE,
            membership__user__is_active=True,
            membership__user__email_reminders=True,
        ).select_related("meeting__group", "membership__user")
    )
    sent = _already_sent(FACILITATOR_REMINDER, [a.meeting_id for a in assignments])
    return [
        Due(FACILITATOR_REMINDER, a.meeting, a.membership.user)
        for a in assignments
        if (FACILITATOR_REMINDER, a.meeting_id, a.membership.user_id, "") not in sent
    ]


def _build_facilitator_reminder(meeting: Meeting, user: User) -> EmailMessage | None:
    if (
        meeting.status != Meeting.Status.SCHEDULED
        or meeting.starts_at <= timezone.now()
    ):
        return None
    if not user.email_reminders:
        return None
    assignment = (
        Assignment.objects.filter(
            meeting=meeting,
            membership__user=user,
            membership__status=Membership.Status.ACTIVE,
        )
        .select_related("meeting__icebreaker")
        .first()
    )
    if assignment is None:  # swapped away, or left the group
        return None
    start = _local(meeting.starts_at, user)
    return _message(
        "facilitator_reminder",
        recipient=user,
        subject=f"You facilitate {meeting.group.name} on {start:%A %-d %B}",
        context={
            **_meeting_context(meeting, user),
            "role": assignment.get_role_display().lower(),
            "agenda": meeting.agenda,
            "icebreaker": assignment.meeting.icebreaker,
        },
    )


def send_facilitator_reminders(*, now: datetime | None = None) -> int:
    return sum(
        _send_once(due, _build_facilitator_reminder)
        for due in facilitator_reminders_due(now=now)
    )


# ------------------------------------------------- no facilitator (leads)


def _unstaffed(queryset):
    return queryset.exclude(assignments__role=Assignment.Role.FACILITATOR)


def no_facilitator_alerts_due(*, now: datetime | None = None) -> list[Due]:
    now = now or timezone.now()
    meetings = list(
        _unstaffed(
            Meeting.objects.filter(
                status=Meeting.Status.SCHEDULED,
                starts_at__gt=now,
                starts_at__lte=now + NO_FACILITATOR_WITHIN,
            )
        ).select_related("group")
    )
    if not meetings:
        return []
    by_group = defaultdict(list)
    for meeting in meetings:
        by_group[meeting.group_id].append(meeting)
    sent = _already_sent(NO_FACILITATOR, meetings)
    leads = _active_memberships(group_ids=list(by_group), agreed=False).filter(
        role=Membership.Role.LEAD
    )
    return [
        Due(NO_FACILITATOR, meeting, lead.user)
        for lead in leads
        for meeting in by_group[lead.group_id]
        if (NO_FACILITATOR, meeting.pk, lead.user_id, "") not in sent
    ]


def _build_no_facilitator(meeting: Meeting, user: User) -> EmailMessage | None:
    # Not a reminder but a request for action: sent whatever the lead's
    # reminder setting, while the meeting still needs someone.
    if (
        meeting.status != Meeting.Status.SCHEDULED
        or meeting.starts_at <= timezone.now()
    ):
        return None
    if _unstaffed(Meeting.objects.filter(pk=meeting.pk)).count() == 0:
        return None
    if not _still_member(meeting, user, lead=True):
        return None
    start = _local(meeting.starts_at, user)
    return _message(
        "no_facilitator",
        recipient=user,
        subject=f"No facilitator yet: {meeting.group.name}, {start:%A %-d %B}",
        context=_meeting_context(meeting, user),
    )


def send_no_facilitator_alerts(*, now: datetime | None = None) -> int:
    return sum(
        _send_once(due, _build_no_facilitator)
        for due in no_facilitator_alerts_due(now=now)
    )


# -------------------------------------------------------- change notices


def change_notices_due(*, now: datetime | None = None) -> list[Due]:
    """Who is still to be told about recent cancellations and moves."""
    now = now or timezone.now()
    events = list(
        MeetingEvent.objects.filter(
            kind__in=list(EVENT_KINDS),
            at__gte=now - CHANGE_NOTICE_WINDOW,
            meeting__ends_at__gt=now,
        )
        .select_related("meeting__group")
        .order_by("at", "pk")
    )
    if not events:
        return []
    meetings = {event.meeting_id for event in events}
    sent = _already_sent(
        list(EVENT_KINDS.values()),
        meetings,
        occasions=[f"event-{event.pk}" for event in events],
    )
    by_group = defaultdict(list)
    for event in events:
        by_group[event.meeting.group_id].append(event)
    found = []
    for membership in _active_memberships(group_ids=list(by_group)):
        for event in by_group[membership.group_id]:
            if event.actor_id == membership.user_id:
                continue  # they made the change
            kind, occasion = EVENT_KINDS[event.kind], f"event-{event.pk}"
            if (kind, event.meeting_id, membership.user_id, occasion) in sent:
                continue
            found.append(
                Due(kind, event.meeting, membership.user, occasion, event=event)
            )
    return found


def _notice_still_due(due: Due, meeting: Meeting) -> bool:
    if due.kind == MEETING_CANCELLED:
        return meeting.status == Meeting.Status.CANCELLED
    # A move of a meeting cancelled since is told by the cancellation.
    return meeting.status == Meeting.Status.SCHEDULED


def _send_notices_once(recipient: User, dues: list[Due]) -> int:
    """One e-mail to ``recipient`` with every change still untold; each change
    recorded by its own row, so each is told once."""
    try:
        with transaction.atomic():
            user = _fresh_user(recipient)
            if user is None:
                return 0
            told = []
            for due in dues:
                meeting = _fresh(due.meeting)
                if meeting is None or not _notice_still_due(due, meeting):
                    continue
                if not _still_member(meeting, user):
                    continue
                try:
                    with transaction.atomic():
                        SentMessage.objects.create(
                            kind=due.kind,
                            meeting=meeting,
                            recipient=user,
                            occasion=due.occasion,
                        )
                except IntegrityError:
                    continue  # told already, or being told by another worker
                told.append((due, meeting))
            if not told:
                return 0
            changes = [
                {
                    "cancelled": due.kind == MEETING_CANCELLED,
                    "meeting": meeting,
                    "group": meeting.group,
                    "local_start": _local(meeting.starts_at, user),
                    "local_end": _local(meeting.ends_at, user),
                    "reason": meeting.cancel_reason,
                    "meeting_url": site_url() + meeting.get_absolute_url(),
                }
                for due, meeting in told
            ]
            if len(changes) == 1:
                change = changes[0]
                what = "Cancelled" if change["cancelled"] else "Moved"
                subject = (
                    f"{what}: {change['group'].name}, {change['local_start']:%A %-d %B}"
                )
            else:
                subject = f"{len(changes)} meetings changed"
            _message(
                "meeting_changes",
                recipient=user,
                subject=subject,
                context={"changes": changes, "time_zone": user.time_zone},
            ).send(fail_silently=False)
            return len(told)
    except IntegrityError:
        # The outer insert raced another worker in a way the savepoints did
        # not catch (e.g. on commit): nothing was sent by us.
        return 0


def send_change_notices(*, now: datetime | None = None) -> int:
    """Tell members about cancelled and moved meetings. Returns how many
    changes were told (several may share one e-mail)."""
    by_recipient: dict[int, list[Due]] = defaultdict(list)
    people: dict[int, User] = {}
    for due in change_notices_due(now=now):
        by_recipient[due.recipient.pk].append(due)
        people[due.recipient.pk] = due.recipient
    return sum(
        _send_notices_once(people[pk], dues) for pk, dues in by_recipient.items()
    )


# ---------------------------------------------------------- swap notices

SWAP_TAKEN = "swap_taken"


def swap_notices_due(*, now: datetime | None = None) -> list[Due]:
    """Who is still to hear that a facilitator swap was taken: the member who
    asked, and the group's leads (not whoever took it)."""
    from .models import SwapRequest

    now = now or timezone.now()
    swaps = list(
        SwapRequest.objects.filter(
            status=SwapRequest.Status.ACCEPTED,
            decided_at__gte=now - CHANGE_NOTICE_WINDOW,
            assignment__meeting__ends_at__gt=now,
        ).select_related(
            "assignment__meeting__group", "requested_by__user", "accepted_by__user"
        )
    )
    if not swaps:
        return []
    meetings = {swap.assignment.meeting for swap in swaps}
    sent = _already_sent(SWAP_TAKEN, meetings)
    leads = defaultdict(list)
    for lead in _active_memberships(
        group_ids={m.group_id for m in meetings}, agreed=False
    ).filter(role=Membership.Role.LEAD):
        leads[lead.group_id].append(lead.user)
    found = []
    for swap in swaps:
        meeting, occasion = swap.assignment.meeting, f"swap-{swap.pk}"
        taker = swap.accepted_by.user_id if swap.accepted_by else None
        recipients = {swap.requested_by.user.pk: swap.requested_by.user}
        recipients |= {user.pk: user for user in leads[meeting.group_id]}
        for user in recipients.values():
            if (
                user.pk != taker
                and (SWAP_TAKEN, meeting.pk, user.pk, occasion) not in sent
            ):
                found.append(Due(SWAP_TAKEN, meeting, user, occasion))
    return found


def _build_swap_taken(due: Due):
    from .models import SwapRequest

    def build(meeting: Meeting, user: User) -> EmailMessage | None:
        swap = (
            SwapRequest.objects.select_related(
                "accepted_by__user", "requested_by__user"
            )
            .filter(pk=int(due.occasion.removeprefix("swap-")))
            .first()
        )
        if swap is None or meeting.status != Meeting.Status.SCHEDULED:
            return None
        if not _still_member(meeting, user):
            return None
        start = _local(meeting.starts_at, user)
        return _message(
            "swap_taken",
            recipient=user,
            subject=f"Swap taken: {meeting.group.name}, {start:%A %-d %B}",
            context={
                **_meeting_context(meeting, user),
                "taker": swap.accepted_by.user.display_name if swap.accepted_by else "",
                "asked_by": swap.requested_by.user.display_name,
                "you_asked": swap.requested_by.user_id == user.pk,
            },
        )

    return build


def send_swap_notices(*, now: datetime | None = None) -> int:
    return sum(
        _send_once(due, _build_swap_taken(due)) for due in swap_notices_due(now=now)
    )
