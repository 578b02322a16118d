"""Reads about attendance and anonymous meeting feedback.

Feedback figures obey the minimum cell size (settings.MIN_CELL_SIZE) in a way
that also resists subtraction: a meeting's answers are shown only once its
feedback window has closed (so nobody can watch the figures move as one
person answers) and only when at least MIN_CELL_SIZE people answered. The
group's overall figures pool *only the meetings that are shown*; pooling the
hidden ones too would let a lead subtract the shown meetings from the total
and read a small meeting's answers.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from groups.models import Group, Membership

from .attendance_services import FEEDBACK_WINDOW, check_in_opens, in_check_in_window
from .models import Attendance, FeedbackReceipt, FeedbackResponse, Meeting, MeetingEvent

QUESTIONS = (
    ("felt_safe", "I felt safe to share"),
    ("felt_listened_to", "I felt listened to"),
    ("felt_judged", "I felt judged"),
)
SCORES = (1, 2, 3, 4, 5)


def min_cell_size() -> int:
    return settings.MIN_CELL_SIZE


def attendance_roster(*, meeting: Meeting) -> list[Membership]:
    """The people to mark, in one query: the group's active members, plus
    anyone who has a record for this meeting but has since paused or left
    (shown, not markable). Each carries ``attendance_status`` (or None),
    ``self_checked_in`` and ``on_roster``."""
    record = Attendance.objects.filter(meeting=meeting, membership=OuterRef("pk"))
    people = (
        Membership.objects.filter(group_id=meeting.group_id)
        .filter(
            Q(status=Membership.Status.ACTIVE)
            | Q(pk__in=Attendance.objects.filter(meeting=meeting).values("membership"))
        )
        .select_related("user")
        .only("pk", "status", "role", "group_id", "user__display_name")
        .annotate(
            attendance_status=Subquery(record.values("status")[:1]),
            self_checked_in=Subquery(record.values("self_checked_in")[:1]),
        )
        .order_by("user__display_name", "pk")
    )
    rows = list(people)
    for row in rows:
        row.on_roster = row.status == Membership.Status.ACTIVE
    return rows


def attendance_counts(*, meeting: Meeting) -> dict[str, int]:
    """How many are marked present, absent and excused (no names)."""
    counts = dict.fromkeys(Attendance.Status.values, 0)
    for row in (
        Attendance.objects.filter(meeting=meeting)
        .values("status")
        .annotate(n=Count("pk"))
    ):
        counts[row["status"]] = row["n"]
    return counts


def attendance_history(*, meeting: Meeting, limit: int = 50):
    """Attendance and status changes, newest first, with who made them."""
    return (
        MeetingEvent.objects.filter(
            meeting=meeting,
            kind__in=[MeetingEvent.Kind.ATTENDANCE, MeetingEvent.Kind.STATUS],
        )
        .select_related("actor")
        .only("kind", "detail", "at", "actor__display_name")[:limit]
    )


def attendance_rates_for_group(*, group: Group, since=None) -> dict:
    """Participation for outcomes: held meetings, and present/absent/excused
    counts over them. Counts only, no names."""
    meetings = group.meetings.filter(status=Meeting.Status.HELD)
    if since:
        meetings = meetings.filter(starts_at__gte=since)
    counts = dict.fromkeys(Attendance.Status.values, 0)
    for row in (
        Attendance.objects.filter(meeting__in=meetings)
        .values("status")
        .annotate(n=Count("pk"))
    ):
        counts[row["status"]] = row["n"]
    return {"meetings_held": meetings.count(), **counts}


@dataclass
class FeedbackFigures:
    """Aggregates of a set of answers; ``shown`` is False below the minimum
    cell size, and then nothing else is filled in (not even n)."""

    shown: bool
    n: int | None = None
    means: dict[str, float] = field(default_factory=dict)
    distributions: dict[str, list[int]] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)

    @property
    def questions(self):
        """(label, mean, [(score, count), ...]) for templates."""
        return [
            (
                label,
                self.means[name],
                list(zip(SCORES, self.distributions[name], strict=True)),
            )
            for name, label in QUESTIONS
        ]


def _figures(answers: list[dict], *, with_comments: bool) -> FeedbackFigures:
    n = len(answers)
    if n < min_cell_size():
        return FeedbackFigures(shown=False)
    means, distributions = {}, {}
    for name, _label in QUESTIONS:
        values = [a[name] for a in answers]
        means[name] = round(sum(values) / n, 1)
        distributions[name] = [values.count(score) for score in SCORES]
    comments = sorted(a["comment"] for a in answers if a["comment"])
    return FeedbackFigures(
        shown=True,
        n=n,
        means=means,
        distributions=distributions,
        comments=comments if with_comments else [],
    )


def _closed_held_meetings(group: Group, now):
    return group.meetings.filter(
        status=Meeting.Status.HELD, ends_at__lt=now - FEEDBACK_WINDOW
    )


def feedback_for_meeting(*, meeting: Meeting, now=None) -> FeedbackFigures:
    """One meeting's figures, or "too few to show" (also while its feedback
    window is still open)."""
    now = now or timezone.now()
    if meeting.status != Meeting.Status.HELD or meeting.ends_at >= (
        now - FEEDBACK_WINDOW
    ):
        return FeedbackFigures(shown=False)
    answers = list(
        FeedbackResponse.objects.filter(meeting=meeting).values(
            "felt_safe", "felt_listened_to", "felt_judged", "comment"
        )
    )
    return _figures(answers, with_comments=True)


def feedback_for_group(*, group: Group, limit: int = 20, now=None) -> dict:
    """The lead's page, in two queries: the group's recent held meetings whose
    feedback has closed, each with its figures or "too few to show", and the
    figures pooled over the shown meetings only. Meetings still open for
    feedback are listed with the date it closes."""
    now = now or timezone.now()
    recent = list(
        group.meetings.filter(status=Meeting.Status.HELD, ends_at__lt=now)
        .only("pk", "starts_at", "ends_at", "format", "topic", "group_id")
        .order_by("-starts_at")[:limit]
    )
    closed_ids = set(
        _closed_held_meetings(group, now)
        .filter(pk__in=[m.pk for m in recent])
        .values_list("pk", flat=True)
    )
    by_meeting: dict[int, list[dict]] = {pk: [] for pk in closed_ids}
    # Ordered by the (random) primary key: neither time nor person.
    for answer in (
        FeedbackResponse.objects.filter(meeting_id__in=closed_ids)
        .order_by("pk")
        .values("meeting_id", "felt_safe", "felt_listened_to", "felt_judged", "comment")
    ):
        by_meeting[answer["meeting_id"]].append(answer)
    rows, pooled = [], []
    for meeting in recent:
        if meeting.pk not in closed_ids:
            rows.append(
                {
                    "meeting": meeting,
                    "open_until": meeting.ends_at + FEEDBACK_WINDOW,
                    "figures": FeedbackFigures(shown=False),
                }
            )
            continue
        figures = _figures(by_meeting[meeting.pk], with_comments=True)
        if figures.shown:
            pooled.extend(by_meeting[meeting.pk])
        rows.append({"meeting": meeting, "open_until": None, "figures": figures})
    return {
        "meetings": rows,
        "overall": _figures(pooled, with_comments=False),
        "min_cell_size": min_cell_size(),
    }


def feedback_pending_for_user(*, user, now=None):
    """Held meetings the user was present at, ended, still open for feedback
    and not yet answered: the "How was it?" invitations."""
    now = now or timezone.now()
    answered = FeedbackReceipt.objects.filter(user=user).values("meeting_id")
    return (
        Meeting.objects.filter(
            status=Meeting.Status.HELD,
            ends_at__lte=now,
            ends_at__gte=now - FEEDBACK_WINDOW,
            attendance__membership__user=user,
            attendance__status=Attendance.Status.PRESENT,
        )
        .exclude(pk__in=answered)
        .select_related("group")
        .order_by("-ends_at")
    )


@dataclass
class AttendanceSlot:
    """What the meeting page's attendance slot shows to this person."""

    can_take_attendance: bool = False
    can_check_in: bool = False
    checked_in: bool = False
    can_give_feedback: bool = False
    counts: dict | None = None


def attendance_slot(*, meeting: Meeting, membership: Membership, can_run: bool):
    """State for the meeting page's attendance slot: no query before the
    check-in window opens, at most two after."""
    now = timezone.now()
    slot = AttendanceSlot()
    if meeting.status == Meeting.Status.CANCELLED or meeting.group.is_archived:
        return slot
    slot.can_take_attendance = can_run and now >= check_in_opens(meeting)
    window = in_check_in_window(meeting, now)
    feedback_open = (
        meeting.status == Meeting.Status.HELD
        and meeting.ends_at <= now <= meeting.ends_at + FEEDBACK_WINDOW
    )
    own = None
    if window or feedback_open:  # otherwise the page needs no query here
        own = (
            Attendance.objects.filter(meeting=meeting, membership=membership)
            .values_list("status", flat=True)
            .first()
        )
    if (
        membership.status == Membership.Status.ACTIVE
        and meeting.status != Meeting.Status.DID_NOT_MEET
        and window
    ):
        slot.can_check_in = own != Attendance.Status.PRESENT
        slot.checked_in = own == Attendance.Status.PRESENT
    if feedback_open and own == Attendance.Status.PRESENT:
        slot.can_give_feedback = not FeedbackReceipt.objects.filter(
            meeting=meeting, user_id=membership.user_id
        ).exists()
    if can_run and meeting.status == Meeting.Status.HELD:
        slot.counts = attendance_counts(meeting=meeting)
    return slot
