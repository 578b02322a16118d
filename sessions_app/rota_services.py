"""Every write about the facilitation rota and swaps. The choosing itself is
the pure rota.autofill; this module feeds it from the database and records
each change in the meeting's history (MeetingEvent).

Notifications are MeetingEvent rows (ASSIGNED, UNASSIGNED, SWAP_ASKED,
SWAPPED): the reminders task sends e-mail from them, a request never does.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from groups.models import Group, Membership
from groups.services.common import ensure_not_archived
from members.models import User

from . import rota, rota_selectors
from .models import (
    Assignment,
    AutoFillRun,
    Blockout,
    FacilitationPreference,
    Meeting,
    MeetingEvent,
    SwapRequest,
)

HORIZON = timedelta(weeks=12)
# The widest frequency window is 52 weeks: look that far back.
HISTORY = timedelta(weeks=52)
NEEDS_CONFIRM = "needs_confirm"
MESSAGE_MAX = 300


@dataclass
class AutoFillResult:
    run: AutoFillRun | None  # None when there was nothing to assign
    assignments: list[Assignment] = field(default_factory=list)
    unfilled: list[tuple[Meeting, str]] = field(default_factory=list)


def _record(meeting: Meeting, kind: str, actor: User | None, detail: str) -> None:
    MeetingEvent.objects.create(
        meeting=meeting, kind=kind, actor=actor, detail=detail[:500]
    )


def _name(membership: Membership) -> str:
    return membership.user.display_name


def _role_name(role: str) -> str:
    return Assignment.Role(role).label.lower()


def _member(membership: Membership, earlier: dict[int, int]) -> rota.Member:
    preference = getattr(membership, "facilitation", None)
    return rota.Member(
        id=membership.pk,
        name=_name(membership),
        blockouts=tuple(
            rota.Blockout(week_of_month=b.week_of_month)
            if b.kind == Blockout.Kind.WEEK_OF_MONTH
            else rota.Blockout(starts_on=b.starts_on, ends_on=b.ends_on)
            for b in membership.blockouts.all()
        ),
        max_times=preference.max_times if preference else None,
        per_weeks=preference.per_weeks if preference else 4,
        earlier_count=earlier.get(membership.pk, 0),
    )


def _rota_input(group: Group, start: datetime, end: datetime, extra=()):
    """Eligible members (plus ``extra`` memberships) and the group's meetings
    that are not cancelled from a year before ``start`` to ``end``."""
    memberships = {
        m.pk: m
        for m in rota_selectors.eligible_memberships(group=group).prefetch_related(
            "blockouts"
        )
    }
    extras = [m for m in extra if m.pk not in memberships]
    since = start - HISTORY
    earlier = dict(
        rota_selectors.facilitated()
        .filter(meeting__group=group, meeting__starts_at__lt=since)
        .values_list("membership_id")
        .annotate(n=Count("pk"))
    )
    tz = ZoneInfo(group.time_zone)
    rows = (
        group.meetings.filter(starts_at__gte=since, starts_at__lte=end)
        .exclude(status=Meeting.Status.CANCELLED)
        .prefetch_related("assignments")
        .order_by("starts_at", "pk")
    )
    meetings = {
        meeting.pk: (
            meeting,
            rota.Meeting(
                meeting.pk,
                meeting.starts_at,
                meeting.starts_at.astimezone(tz).date(),
                tuple((a.membership_id, a.role) for a in meeting.assignments.all()),
            ),
        )
        for meeting in rows
    }
    members = [_member(m, earlier) for m in memberships.values()]
    return memberships, members, [_member(m, earlier) for m in extras], meetings


def _local_today(group: Group) -> date:
    return timezone.now().astimezone(ZoneInfo(group.time_zone)).date()


@transaction.atomic
def autofill_run(
    *, group: Group, acting_user: User | None, until: date | None = None
) -> AutoFillResult:
    """Assign facilitators to the coming meetings (to ``until``, default 12
    weeks ahead) that have nobody, each with its reason. A meeting nobody
    fits stays empty: it is returned in ``unfilled`` and the rota page and
    meeting list show it to leads. No rule is ever broken."""
    ensure_not_archived(group)
    # One run per group at a time: the second waits and sees the first's work.
    Group.objects.select_for_update(of=("self",)).filter(pk=group.pk).first()
    now = timezone.now()
    tz = ZoneInfo(group.time_zone)
    last_day = until or _local_today(group) + HORIZON
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=tz)
    memberships, members, _, meetings = _rota_input(group, now, end)
    to_fill = {
        pk
        for pk, (meeting, slot) in meetings.items()
        if meeting.status == Meeting.Status.SCHEDULED
        and meeting.starts_at > now
        and not slot.assigned
    }
    result = rota.autofill(
        members=members,
        meetings=[slot for _, slot in meetings.values()],
        to_fill=to_fill,
    )
    outcome = AutoFillResult(
        run=None,
        unfilled=[(meetings[u.meeting_id][0], u.reason) for u in result.unfilled],
    )
    if not result.choices:
        return outcome
    run = AutoFillRun.objects.create(group=group, started_by=acting_user)
    outcome.run = run
    # In bulk: a year of meetings is two inserts, not two per meeting.
    assignments, events = [], []
    for choice in result.choices:
        meeting = meetings[choice.meeting_id][0]
        membership = memberships[choice.member_id]
        assignments.append(
            Assignment(
                meeting=meeting,
                membership=membership,
                role=choice.role,
                reason=choice.reason[:300],
                autofill_run=run,
                assigned_by=acting_user,
            )
        )
        detail = (
            f"Auto-fill: {_name(membership)} as {_role_name(choice.role)} "
            f"({choice.reason})"
        )
        events.append(
            MeetingEvent(
                meeting=meeting,
                kind=MeetingEvent.Kind.ASSIGNED,
                actor=acting_user,
                detail=detail[:500],
            )
        )
    outcome.assignments = Assignment.objects.bulk_create(assignments)
    MeetingEvent.objects.bulk_create(events)
    return outcome


def autofill_all() -> int:
    """Auto-fill every current group (for the periodic task). Returns how
    many assignments it made."""
    made = 0
    for group in Group.objects.filter(archived_at__isnull=True):
        made += len(autofill_run(group=group, acting_user=None).assignments)
    return made


@transaction.atomic
def autofill_undo(*, run: AutoFillRun, acting_user: User) -> int:
    """Remove the run's assignments to meetings still to come that nobody
    changed since (a swap or a lead's change takes them out of the run).
    Returns how many it removed."""
    run = AutoFillRun.objects.select_for_update(of=("self",)).get(pk=run.pk)
    ensure_not_archived(run.group)
    if run.undone_at is not None:
        raise ValidationError("This auto-fill was already undone.")
    removable = list(
        run.assignments.filter(
            meeting__starts_at__gt=timezone.now(),
            meeting__status=Meeting.Status.SCHEDULED,
        )
        .exclude(swap_requests__isnull=False)
        .select_related("meeting", "membership__user")
    )
    for assignment in removable:
        _record(
            assignment.meeting,
            MeetingEvent.Kind.UNASSIGNED,
            acting_user,
            f"Auto-fill undone: {_name(assignment.membership)} no longer "
            f"{_role_name(assignment.role)}",
        )
        assignment.delete()
    run.undone_at = timezone.now()
    run.save(update_fields=["undone_at"])
    return len(removable)


def _ensure_upcoming(meeting: Meeting) -> None:
    ensure_not_archived(meeting.group)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(
            f"This meeting is {meeting.get_status_display().lower()}: its "
            "facilitators can no longer change."
        )
    if meeting.starts_at <= timezone.now():
        raise ValidationError("This meeting has started: its facilitators stay.")


def assignment_check(
    *, meeting: Meeting, membership: Membership, role: str
) -> list[str]:
    """The rules that assigning ``membership`` in ``role`` would break."""
    breaks = rota_selectors.why_not_eligible(membership)
    start = meeting.starts_at
    _, members, extra, meetings = _rota_input(
        meeting.group, start, start + HISTORY, extra=[membership]
    )
    slots = []
    for pk, (_, slot) in meetings.items():
        if pk == meeting.pk:  # without the slot's current holder
            slot = rota.Meeting(
                slot.id,
                slot.starts_at,
                slot.day,
                tuple((m, r) for m, r in slot.assigned if r != role),
            )
        slots.append(slot)
    candidate = next(m for m in [*members, *extra] if m.id == membership.pk)
    return breaks + rota.rule_breaks(
        members=members,
        meetings=slots,
        meeting_id=meeting.pk,
        member=candidate,
        role=role,
    )


@transaction.atomic
def assignment_set(
    *,
    meeting: Meeting,
    membership: Membership,
    role: str,
    acting_user: User,
    confirm: bool = False,
) -> Assignment:
    """A lead assigns (or changes) a meeting's facilitator or co-facilitator by
    hand. Rules it would break are raised as one ValidationError (code
    "needs_confirm", one message per rule) unless ``confirm``."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=meeting.pk)
    )
    _ensure_upcoming(meeting)
    if membership.group_id != meeting.group_id:
        raise ValidationError("Choose a member of this group.")
    if role not in Assignment.Role.values:
        raise ValidationError("Choose facilitator or co-facilitator.")
    other = meeting.assignments.filter(membership=membership).exclude(role=role)
    if other.exists():
        raise ValidationError(
            f"{_name(membership)} is already the {_role_name(other.get().role)} "
            "of this meeting."
        )
    current = (
        meeting.assignments.select_related("membership__user").filter(role=role).first()
    )
    if current and current.membership_id == membership.pk:
        return current
    breaks = assignment_check(meeting=meeting, membership=membership, role=role)
    if breaks and not confirm:
        raise ValidationError(
            [ValidationError(text, code=NEEDS_CONFIRM) for text in breaks]
        )
    reason = f"assigned by hand by {acting_user.display_name}"
    if breaks:
        reason += " (confirmed despite: " + "; ".join(breaks) + ")"
    if current is None:
        assignment = Assignment.objects.create(
            meeting=meeting,
            membership=membership,
            role=role,
            reason=reason[:300],
            assigned_by=acting_user,
        )
        detail = f"{_name(membership)} as {_role_name(role)}, by hand"
    else:
        detail = (
            f"{_name(membership)} replaces {_name(current.membership)} as "
            f"{_role_name(role)}, by hand"
        )
        current.swap_requests.filter(status=SwapRequest.Status.OPEN).update(
            status=SwapRequest.Status.WITHDRAWN, decided_at=timezone.now()
        )
        assignment = current
        assignment.membership = membership
        assignment.reason = reason[:300]
        assignment.autofill_run = None  # changed since: undo leaves it
        assignment.assigned_by = acting_user
        assignment.assigned_at = timezone.now()
        assignment.save()
    if breaks:
        detail += "; confirmed despite: " + "; ".join(breaks)
    _record(meeting, MeetingEvent.Kind.ASSIGNED, acting_user, detail)
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, acting_user: User) -> None:
    """A lead takes a facilitator off a meeting (its open swaps end too)."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("meeting__group", "membership__user")
        .get(pk=assignment.pk)
    )
    _ensure_upcoming(assignment.meeting)
    _record(
        assignment.meeting,
        MeetingEvent.Kind.UNASSIGNED,
        acting_user,
        f"{_name(assignment.membership)} no longer {_role_name(assignment.role)}",
    )
    assignment.delete()


def _ensure_own(membership: Membership, acting_user: User) -> None:
    if membership.user_id != acting_user.pk:
        raise ValidationError("Only the member sets their own rota settings.")
    ensure_not_archived(membership.group)


@transaction.atomic
def rota_participation_set(
    *, membership: Membership, takes_part: bool, acting_user: User
) -> Membership:
    """A member joins or leaves the facilitation rota. Leaving keeps the
    meetings they already have (they can ask someone to take them)."""
    _ensure_own(membership, acting_user)
    if takes_part and membership.status != Membership.Status.ACTIVE:
        raise ValidationError("Members on a break are not on the rota.")
    membership.takes_part_in_rota = takes_part
    membership.save(update_fields=["takes_part_in_rota"])
    return membership


@transaction.atomic
def blockout_add(
    *,
    membership: Membership,
    acting_user: User,
    kind: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
    week_of_month: int | None = None,
    note: str = "",
) -> Blockout:
    """When the member cannot facilitate: dates (both included) or a week of
    every month (1 to 4: days 7n-6 to 7n; -1: the last seven days)."""
    _ensure_own(membership, acting_user)
    if kind == Blockout.Kind.RANGE:
        if starts_on is None or ends_on is None:
            raise ValidationError({"starts_on": "Give the first and last date."})
        if ends_on < starts_on:
            raise ValidationError({"ends_on": "The last date is before the first."})
        if (ends_on - starts_on).days > 366:
            raise ValidationError({"ends_on": "Block out a year at most at once."})
        week_of_month = None
    elif kind == Blockout.Kind.WEEK_OF_MONTH:
        if week_of_month not in (1, 2, 3, 4, -1):
            raise ValidationError(
                {"week_of_month": "Choose the first to fourth week, or the last."}
            )
        starts_on = ends_on = None
    else:
        raise ValidationError({"kind": "Choose dates or a week of every month."})
    blockout = Blockout(
        membership=membership,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        week_of_month=week_of_month,
        note=note.strip(),
    )
    blockout.full_clean()
    blockout.save()
    return blockout


@transaction.atomic
def blockout_remove(*, blockout: Blockout, acting_user: User) -> None:
    _ensure_own(blockout.membership, acting_user)
    blockout.delete()


@transaction.atomic
def preference_set(
    *,
    membership: Membership,
    acting_user: User,
    max_times: int | None,
    per_weeks: int = 4,
) -> FacilitationPreference:
    """At most ``max_times`` in any ``per_weeks`` weeks (None: no limit)."""
    _ensure_own(membership, acting_user)
    if max_times is not None and not 1 <= max_times <= 52:
        raise ValidationError({"max_times": "Choose between 1 and 52 times."})
    if not 1 <= per_weeks <= 52:
        raise ValidationError({"per_weeks": "Choose between 1 and 52 weeks."})
    preference, _ = FacilitationPreference.objects.update_or_create(
        membership=membership,
        defaults={"max_times": max_times, "per_weeks": per_weeks},
    )
    return preference


@transaction.atomic
def swap_request(
    *,
    assignment: Assignment,
    acting_user: User,
    offered_to: Membership | None = None,
    message: str = "",
) -> SwapRequest:
    """The assigned facilitator asks a named eligible member, or everyone
    eligible, to take the meeting. One open request per assignment."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("meeting__group", "membership__user")
        .get(pk=assignment.pk)
    )
    meeting = assignment.meeting
    _ensure_upcoming(meeting)
    if assignment.membership.user_id != acting_user.pk:
        raise ValidationError("Only the assigned facilitator can ask for a swap.")
    message = message.strip()
    if len(message) > MESSAGE_MAX:
        raise ValidationError(
            {"message": f"Keep the message to {MESSAGE_MAX} characters."}
        )
    if assignment.swap_requests.filter(status=SwapRequest.Status.OPEN).exists():
        raise ValidationError("You already asked: withdraw that request first.")
    if offered_to is not None:
        if offered_to.group_id != meeting.group_id or not rota_selectors.is_eligible(
            offered_to
        ):
            raise ValidationError({"offered_to": "Choose someone on the rota."})
        if meeting.assignments.filter(membership=offered_to).exists():
            raise ValidationError(
                {"offered_to": f"{_name(offered_to)} already facilitates it."}
            )
    swap = SwapRequest.objects.create(
        assignment=assignment,
        requested_by=assignment.membership,
        offered_to=offered_to,
        message=message,
    )
    whom = _name(offered_to) if offered_to else "anyone on the rota"
    _record(
        meeting,
        MeetingEvent.Kind.SWAP_ASKED,
        acting_user,
        f"{_name(assignment.membership)} asked {whom} to take the "
        f"{_role_name(assignment.role)} role",
    )
    return swap


def _check_can_accept(swap: SwapRequest, taker: Membership | None) -> None:
    """Why this person cannot take the swap now (raises), given the locked row."""
    if swap.status == SwapRequest.Status.ACCEPTED:
        raise ValidationError(
            f"{_name(swap.accepted_by)} already took this meeting."
            if swap.accepted_by
            else "Someone already took this meeting."
        )
    if swap.status != SwapRequest.Status.OPEN:
        raise ValidationError("This request was withdrawn.")
    meeting = swap.assignment.meeting
    _ensure_upcoming(meeting)
    if taker is None or not rota_selectors.is_eligible(taker):
        raise ValidationError(
            "Only members on the rota who agreed to the current guidelines can "
            "take a meeting."
        )
    if taker.pk == swap.requested_by_id:
        raise ValidationError("This is your own request.")
    if swap.offered_to_id and swap.offered_to_id != taker.pk:
        raise ValidationError("This request was made to someone else.")
    if meeting.assignments.filter(membership=taker).exists():
        raise ValidationError("You already facilitate this meeting.")


@transaction.atomic
def swap_accept(*, swap: SwapRequest, acting_user: User) -> Assignment:
    """Take the meeting. The request's row is locked, so of two people
    accepting at once one gets it and the other is told who did."""
    swap = (
        SwapRequest.objects.select_for_update(of=("self",))
        # Not accepted_by: after waiting for the lock, PostgreSQL re-reads the
        # locked row but not rows joined to it; accepted_by loads fresh later.
        .select_related("assignment__meeting__group")
        .get(pk=swap.pk)
    )
    group = swap.assignment.meeting.group
    taker = (
        Membership.objects.select_related("user", "group")
        .filter(group=group, user=acting_user)
        .first()
    )
    _check_can_accept(swap, taker)
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("membership__user", "meeting")
        .get(pk=swap.assignment_id)
    )
    before = assignment.membership
    assignment.membership = taker
    assignment.autofill_run = None  # changed since: undo leaves it
    assignment.reason = f"took over from {_name(before)} (swap)"
    assignment.assigned_by = acting_user
    assignment.assigned_at = timezone.now()
    assignment.save()
    swap.status = SwapRequest.Status.ACCEPTED
    swap.accepted_by = taker
    swap.decided_at = timezone.now()
    swap.save(update_fields=["status", "accepted_by", "decided_at"])
    _record(
        assignment.meeting,
        MeetingEvent.Kind.SWAPPED,
        acting_user,
        f"{_name(taker)} took over from {_name(before)} as "
        f"{_role_name(assignment.role)}",
    )
    return assignment


@transaction.atomic
def swap_withdraw(*, swap: SwapRequest, acting_user: User) -> SwapRequest:
    """The requester takes the request back while it is open."""
    swap = (
        SwapRequest.objects.select_for_update(of=("self",))
        .select_related("assignment__meeting", "requested_by__user")
        .get(pk=swap.pk)
    )
    if swap.requested_by.user_id != acting_user.pk:
        raise ValidationError("Only the person who asked can withdraw it.")
    if swap.status != SwapRequest.Status.OPEN:
        raise ValidationError(
            "Someone already took this meeting."
            if swap.status == SwapRequest.Status.ACCEPTED
            else "This request is no longer open."
        )
    swap.status = SwapRequest.Status.WITHDRAWN
    swap.decided_at = timezone.now()
    swap.save(update_fields=["status", "decided_at"])
    _record(
        swap.assignment.meeting,
        MeetingEvent.Kind.SWAP_ASKED,
        acting_user,
        f"{_name(swap.requested_by)} withdrew the request to swap",
    )
    return swap
