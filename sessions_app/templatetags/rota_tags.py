"""The rota's slot on the meeting page, filled without touching the
meeting view: it reads what it needs through rota_selectors."""

from django import template
from django.db.models import Prefetch
from django.utils import timezone

from sessions_app import rota_selectors
from sessions_app.models import Meeting, SwapRequest
from sessions_app.permissions import can_manage_meetings

register = template.Library()


@register.inclusion_tag("sessions_app/rota_meeting_slot.html", takes_context=True)
def meeting_rota(context):
    """Facilitators with their reasons, open swap offers, and the actions the
    viewer may take. Expects meeting, group and membership in the context."""
    meeting = context["meeting"]
    membership = context["membership"]
    changeable = (
        meeting.status == Meeting.Status.SCHEDULED
        and meeting.starts_at > timezone.now()
        and not meeting.group.is_archived
    )
    # One query for the facilitators, one more for open swaps only when
    # there are facilitators (a prefetch of nothing costs nothing).
    assignments = list(
        meeting.assignments.select_related("membership__user")
        .prefetch_related(
            Prefetch(
                "swap_requests",
                queryset=SwapRequest.objects.filter(
                    status=SwapRequest.Status.OPEN
                ).select_related("requested_by__user", "offered_to__user"),
                to_attr="open_swaps",
            )
        )
        .order_by("role")
    )
    swaps = []
    if changeable:
        for assignment in assignments:
            for swap in assignment.open_swaps:
                swap.assignment = assignment
                swaps.append(swap)
    can_take = set()
    if swaps and rota_selectors.is_eligible(membership):
        mine = {a.membership_id for a in assignments}
        can_take = {
            swap.pk
            for swap in swaps
            if membership.pk not in mine and swap.offered_to_id in (None, membership.pk)
        }
    return {
        "group": meeting.group,
        "meeting": meeting,
        "membership": membership,
        "assignments": assignments,
        "swaps": swaps,
        "can_take": can_take,
        "changeable": changeable,
        "can_manage": can_manage_meetings(membership),
    }


@register.inclusion_tag("sessions_app/rota_unfilled_alert.html")
def rota_unfilled_alert(group, membership):
    """For leads: coming meetings without a facilitator (for the meeting list)."""
    if not can_manage_meetings(membership):
        return {"group": group, "unfilled": []}
    return {
        "group": group,
        "unfilled": list(rota_selectors.unfilled_meetings(group=group)),
    }
