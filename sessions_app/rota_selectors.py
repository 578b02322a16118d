"""Reads for the facilitation rota, shared by its views, services and the
meeting page's rota slot."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from groups.models import Acknowledgement, Group, Membership

from .models import Assignment, AutoFillRun, Meeting, SwapRequest

LOAD_WINDOW = timedelta(weeks=26)
ROTA_WEEKS = 12
NEWCOMER_BELOW = 3

NOT_CANCELLED = ~Q(meeting__status=Meeting.Status.CANCELLED)


def _agreed_current(group: Group):
    current = group.guideline_versions.order_by("-number").values("pk")[:1]
    return Acknowledgement.objects.filter(version__in=current).values("user_id")


def eligible_memberships(*, group: Group):
    """Who the auto-fill may choose: active members who take part in the rota
    and agreed to the group's current guidelines."""
    return (
        Membership.objects.filter(
            group=group,
            status=Membership.Status.ACTIVE,
            takes_part_in_rota=True,
            user_id__in=_agreed_current(group),
        )
        .select_related("user", "facilitation")
        .order_by("user__display_name", "pk")
    )


def is_eligible(membership: Membership) -> bool:
    return (
        eligible_memberships(group=membership.group).filter(pk=membership.pk).exists()
    )


def why_not_eligible(membership: Membership) -> list[str]:
    """What keeps a member off the rota, in words (empty: eligible)."""
    name = membership.user.display_name
    reasons = []
    if membership.status != Membership.Status.ACTIVE:
        reasons.append(f"{name} is not an active member")
    if not membership.takes_part_in_rota:
        reasons.append(f"{name} does not take part in the rota")
    if (
        not _agreed_current(membership.group)
        .filter(user_id=membership.user_id)
        .exists()
    ):
        reasons.append(f"{name} has not agreed to the current guidelines")
    return reasons


def facilitated():
    """Assignments that count as having facilitated: meeting not cancelled."""
    return Assignment.objects.filter(NOT_CANCELLED)


@dataclass
class Overview:
    meetings: list[Meeting]
    members: list[Membership]  # eligible, annotated: load, upcoming, total, last
    balance: int | None
    unfilled: list[Meeting]
    runs: list[AutoFillRun]


def _loads(queryset, now: datetime):
    past = Q(
        assignments__meeting__starts_at__lt=now,
        assignments__meeting__starts_at__gte=now - LOAD_WINDOW,
    ) & ~Q(assignments__meeting__status=Meeting.Status.CANCELLED)
    coming = Q(
        assignments__meeting__starts_at__gte=now,
        assignments__meeting__status=Meeting.Status.SCHEDULED,
    )
    ever = ~Q(assignments__meeting__status=Meeting.Status.CANCELLED) & Q(
        assignments__isnull=False
    )
    return queryset.annotate(
        load=Count("assignments", filter=past),
        upcoming=Count("assignments", filter=coming),
        total=Count("assignments", filter=ever),
        last_facilitated=Max(
            "assignments__meeting__starts_at",
            filter=Q(assignments__meeting__starts_at__lt=now)
            & ~Q(assignments__meeting__status=Meeting.Status.CANCELLED),
        ),
    )


def _coming(*, group: Group, weeks: int, now=None):
    """The group's scheduled meetings not yet over, starting within ``weeks``."""
    now = now or timezone.now()
    return group.meetings.filter(
        ends_at__gte=now,
        starts_at__lt=now + timedelta(weeks=weeks),
        status=Meeting.Status.SCHEDULED,
    )


def upcoming_meetings(*, group: Group, weeks: int = ROTA_WEEKS, now=None):
    """The coming weeks' meetings that are not cancelled, with facilitators
    and open swap offers."""
    return (
        _coming(group=group, weeks=weeks, now=now)
        .select_related("group")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("membership__user")
                .prefetch_related(
                    Prefetch(
                        "swap_requests",
                        queryset=SwapRequest.objects.filter(
                            status=SwapRequest.Status.OPEN
                        ).select_related("offered_to__user"),
                        to_attr="open_swaps",
                    )
                )
                .order_by("role"),
            )
        )
        .order_by("starts_at")
    )


def unfilled_meetings(*, group: Group, weeks: int = ROTA_WEEKS, now=None):
    """Coming meetings without a facilitator: leads are alerted to these."""
    return (
        _coming(group=group, weeks=weeks, now=now)
        .exclude(assignments__role=Assignment.Role.FACILITATOR)
        .order_by("starts_at")
    )


def rota_overview(*, group: Group, now=None) -> Overview:
    """The rota page: the coming weeks, each eligible member's load (times
    facilitated in the last 26 weeks) and the balance figure (max minus min
    load; None with fewer than two members)."""
    now = now or timezone.now()
    meetings = list(upcoming_meetings(group=group, now=now))
    members = list(_loads(eligible_memberships(group=group), now))
    loads = [member.load for member in members]
    balance = max(loads) - min(loads) if len(loads) > 1 else None
    unfilled = [
        meeting
        for meeting in meetings
        if not any(
            a.role == Assignment.Role.FACILITATOR for a in meeting.assignments.all()
        )
    ]
    runs = list(
        group.autofill_runs.select_related("started_by").annotate(
            kept=Count("assignments")
        )[:5]
    )
    return Overview(meetings, members, balance, unfilled, runs)


def open_swaps_for_meeting(*, meeting: Meeting):
    return (
        SwapRequest.objects.filter(
            assignment__meeting=meeting, status=SwapRequest.Status.OPEN
        )
        .select_related("assignment", "requested_by__user", "offered_to__user")
        .order_by("created_at")
    )


def swaps_offered_to(*, membership: Membership):
    """Open offers this member may take: named to them, or to anyone."""
    return (
        SwapRequest.objects.filter(
            assignment__meeting__group_id=membership.group_id,
            assignment__meeting__status=Meeting.Status.SCHEDULED,
            assignment__meeting__starts_at__gte=timezone.now(),
            status=SwapRequest.Status.OPEN,
        )
        .filter(Q(offered_to=membership) | Q(offered_to__isnull=True))
        .exclude(requested_by=membership)
        .select_related("assignment__meeting", "requested_by__user")
        .order_by("assignment__meeting__starts_at")
    )


def my_rota(*, membership: Membership):
    """A member's own blockouts and preference."""
    preference = getattr(membership, "facilitation", None)
    return {
        "blockouts": list(membership.blockouts.all()),
        "preference": preference,
    }
