"""Every write about attendance and anonymous meeting feedback.

Rules (README, "Attendance and feedback"):

- The check-in window opens ``CHECK_IN_BEFORE`` (30 minutes) before a meeting
  starts and closes when it ends. Members check themselves in only inside it;
  facilitators and leads mark attendance from the moment it opens, and may
  correct it at any time afterwards.
- A meeting becomes HELD when its first attendance is recorded (a check-in or
  a facilitator's mark). "Did not meet" removes the attendance again.
- Every attendance change after the meeting ended writes a MeetingEvent
  (kind "attendance") naming the actor. The person marked is named by their
  membership number, never by name: the meeting's history is shown to every
  member, and names copied into history would survive account erasure.
- Feedback is anonymous: FeedbackResponse has no user and no time. Only a
  FeedbackReceipt ("this person answered") is kept, to allow one answer each.
  Responses get a random primary key, so their order cannot be matched to the
  order of receipts.
"""

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from groups.models import Membership
from groups.services.common import ensure_not_archived
from members.models import User

from .models import Attendance, FeedbackReceipt, FeedbackResponse, Meeting, MeetingEvent

CHECK_IN_BEFORE = timedelta(minutes=30)
FEEDBACK_WINDOW = timedelta(days=7)
COMMENT_MAX = 1000
SCORE_RANGE = range(1, 6)
# Random primary keys for responses: below 2**53 so JavaScript and JSON
# readers keep them exact; 2**52 values make a collision vanishingly rare.
_RANDOM_PK_FLOOR = 2**52
_RANDOM_PK_SPAN = 2**52

Status = Attendance.Status


def check_in_opens(meeting: Meeting):
    return meeting.starts_at - CHECK_IN_BEFORE


def in_check_in_window(meeting: Meeting, now=None) -> bool:
    now = now or timezone.now()
    return check_in_opens(meeting) <= now <= meeting.ends_at


def feedback_closes(meeting: Meeting):
    return meeting.ends_at + FEEDBACK_WINDOW


def _lock_meeting(meeting: Meeting) -> Meeting:
    """Lock the meeting's row: two facilitators marking at once, or a check-in
    racing "did not meet", are served one after the other."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.status = locked.status
    return meeting


def _ensure_markable(meeting: Meeting, now) -> None:
    ensure_not_archived(meeting.group)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting was cancelled: it has no attendance.")
    if now < check_in_opens(meeting):
        raise ValidationError(
            "This meeting has not started yet: attendance opens 30 minutes "
            "before the start."
        )


def _rostered(meeting: Meeting, membership: Membership) -> None:
    """Only the group's active members are on the roster (paused and past
    members are not)."""
    if (
        membership.group_id != meeting.group_id
        or membership.status != Membership.Status.ACTIVE
    ):
        raise ValidationError("This person is not on the group's roster.")


def _record(meeting: Meeting, kind: str, actor: User | None, detail: str) -> None:
    MeetingEvent.objects.create(
        meeting=meeting, kind=kind, actor=actor, detail=detail[:500]
    )


def _becomes_held(meeting: Meeting, actor: User | None) -> None:
    if meeting.status in (Meeting.Status.SCHEDULED, Meeting.Status.DID_NOT_MEET):
        was = meeting.get_status_display()
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])
        _record(meeting, MeetingEvent.Kind.STATUS, actor, f"{was} → Held")


def _change_detail(membership_id: int, old: str | None, new: str) -> str:
    before = Status(old).label if old else "not marked"
    return f"Member #{membership_id}: {before} → {Status(new).label}"


def _set(
    meeting: Meeting,
    memberships: list[Membership],
    status: str,
    acting_user: User,
    *,
    self_checked_in: bool = False,
) -> int:
    """Write ``status`` for each membership; returns how many changed."""
    now = timezone.now()
    existing = {
        a.membership_id: a
        for a in Attendance.objects.filter(meeting=meeting, membership__in=memberships)
    }
    changed, events = 0, []
    for membership in memberships:
        row = existing.get(membership.pk)
        if row is not None and row.status == status:
            continue
        old = row.status if row else None
        if row is None:
            row = Attendance(meeting=meeting, membership=membership)
        row.status = status
        row.self_checked_in = self_checked_in
        row.marked_by = acting_user
        row.marked_at = now
        row.save()
        changed += 1
        if now > meeting.ends_at:
            events.append(
                MeetingEvent(
                    meeting=meeting,
                    kind=MeetingEvent.Kind.ATTENDANCE,
                    actor=acting_user,
                    detail=_change_detail(membership.pk, old, status),
                    at=now,
                )
            )
    MeetingEvent.objects.bulk_create(events)
    if changed:
        _becomes_held(meeting, acting_user)
    return changed


@transaction.atomic
def attendance_mark(
    *, meeting: Meeting, membership: Membership, status: str, acting_user: User
) -> Attendance:
    """A facilitator or lead marks one rostered member present, absent or
    excused. Marking a "did not meet" meeting means it met after all."""
    if status not in Status.values:
        raise ValidationError("Choose present, absent or excused.")
    meeting = _lock_meeting(meeting)
    _ensure_markable(meeting, timezone.now())
    _rostered(meeting, membership)
    _set(meeting, [membership], status, acting_user)
    return Attendance.objects.get(meeting=meeting, membership=membership)


@transaction.atomic
def attendance_mark_all_present(*, meeting: Meeting, acting_user: User) -> int:
    """Mark every rostered member present. Returns how many rows changed."""
    meeting = _lock_meeting(meeting)
    _ensure_markable(meeting, timezone.now())
    roster = list(
        Membership.objects.filter(
            group_id=meeting.group_id, status=Membership.Status.ACTIVE
        ).order_by("pk")
    )
    if not roster:
        raise ValidationError("Nobody is on the group's roster.")
    return _set(meeting, roster, Status.PRESENT, acting_user)


@transaction.atomic
def meeting_did_not_meet(*, meeting: Meeting, acting_user: User) -> int:
    """The group did not meet: the meeting says so and its attendance is
    removed. Refused once anyone has given feedback (it was held). Returns how
    many attendance records were removed."""
    meeting = _lock_meeting(meeting)
    _ensure_markable(meeting, timezone.now())
    if meeting.status == Meeting.Status.DID_NOT_MEET:
        return 0
    if FeedbackReceipt.objects.filter(meeting=meeting).exists():
        raise ValidationError(
            "People who were there have already given feedback: this meeting was held."
        )
    removed, _ = Attendance.objects.filter(meeting=meeting).delete()
    was = meeting.get_status_display()
    meeting.status = Meeting.Status.DID_NOT_MEET
    meeting.save(update_fields=["status", "updated_at"])
    detail = f"{was} → Did not meet"
    if removed:
        detail += f" ({removed} attendance records removed)"
    _record(meeting, MeetingEvent.Kind.STATUS, acting_user, detail)
    return removed


@transaction.atomic
def attendance_check_in(*, meeting: Meeting, user: User) -> Attendance:
    """A member says "I'm here", from 30 minutes before the start to the end."""
    meeting = _lock_meeting(meeting)
    now = timezone.now()
    ensure_not_archived(meeting.group)
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.DID_NOT_MEET):
        raise ValidationError(
            f"This meeting is marked {meeting.get_status_display().lower()}."
        )
    if not in_check_in_window(meeting, now):
        raise ValidationError(
            "Check-in is open from 30 minutes before the meeting until it ends."
        )
    membership = Membership.objects.filter(
        group_id=meeting.group_id, user=user, status=Membership.Status.ACTIVE
    ).first()
    if membership is None:
        raise ValidationError("Only the group's active members can check in.")
    _set(meeting, [membership], Status.PRESENT, user, self_checked_in=True)
    return Attendance.objects.get(meeting=meeting, membership=membership)


def _score(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({name: "Choose a number from 1 to 5."})
    if value not in SCORE_RANGE:
        raise ValidationError({name: "Choose a number from 1 to 5."})
    return value


def feedback_can_answer(*, meeting: Meeting, user: User, now=None) -> str | None:
    """Why the user may not answer (a sentence), or None if they may."""
    now = now or timezone.now()
    if meeting.status != Meeting.Status.HELD or now < meeting.ends_at:
        return "Feedback opens when a meeting has been held."
    if now > feedback_closes(meeting):
        return "Feedback on this meeting has closed."
    was_there = Attendance.objects.filter(
        meeting=meeting, membership__user=user, status=Status.PRESENT
    ).exists()
    if not was_there:
        return "Feedback is for the people who were at the meeting."
    if FeedbackReceipt.objects.filter(meeting=meeting, user=user).exists():
        return "You have already given feedback on this meeting. Thank you."
    return None


@transaction.atomic
def feedback_submit(
    *,
    meeting: Meeting,
    user: User,
    felt_safe: int,
    felt_listened_to: int,
    felt_judged: int,
    comment: str = "",
    at: datetime | None = None,
) -> None:
    """Record one anonymous answer: the scores go into a FeedbackResponse
    without the user or a time, and a FeedbackReceipt records only that this
    person answered (one answer each). Returns nothing, on purpose: callers
    must not hold the response next to the person. ``at`` stands in for "now"
    when seeding demo data (views never pass it); it is not stored."""
    scores = {
        "felt_safe": _score("felt_safe", felt_safe),
        "felt_listened_to": _score("felt_listened_to", felt_listened_to),
        "felt_judged": _score("felt_judged", felt_judged),
    }
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(
            {"comment": f"Keep the comment to {COMMENT_MAX} characters."}
        )
    meeting = _lock_meeting(meeting)
    why_not = feedback_can_answer(meeting=meeting, user=user, now=at)
    if why_not:
        raise ValidationError(why_not)
    try:
        with transaction.atomic():
            FeedbackReceipt.objects.create(meeting=meeting, user=user)
    except IntegrityError:
        # A double submit that got past the check above.
        raise ValidationError(
            "You have already given feedback on this meeting. Thank you."
        ) from None
    response = FeedbackResponse(meeting=meeting, comment=comment, **scores)
    response.full_clean(exclude=["meeting", "id"])
    _save_with_random_pk(response)


def _save_with_random_pk(response: FeedbackResponse) -> None:
    """Insert with a random id, so the table's id order says nothing about
    who answered when (receipts keep their sequential ids)."""
    for _attempt in range(5):
        response.pk = _RANDOM_PK_FLOOR + secrets.randbelow(_RANDOM_PK_SPAN)
        try:
            with transaction.atomic():
                response.save(force_insert=True)
        except IntegrityError:
            continue
        return
    raise IntegrityError("Could not store the feedback; please try again.")
