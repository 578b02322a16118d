"""Who may see and do what on the rota. Fetches raise Http404 for anything
outside the user's groups (or before they agreed to the current
guidelines), PermissionDenied for a member of the group without the role."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from . import permissions
from .models import Assignment, AutoFillRun, Blockout, SwapRequest


def run_get_for_lead(*, user, slug: str, pk: int):
    group, membership = permissions.group_for_lead(user=user, slug=slug)
    run = AutoFillRun.objects.filter(group=group, pk=pk).select_related("group").first()
    if run is None:
        raise Http404
    return run, membership


def blockout_get_for_owner(*, user, slug: str, pk: int):
    _group, membership = permissions.group_for_meetings(user=user, slug=slug)
    blockout = (
        Blockout.objects.select_related("membership__group")
        .filter(membership=membership, pk=pk)
        .first()
    )
    if blockout is None:
        raise Http404
    return blockout, membership


def my_assignment_for_meeting(*, user, slug: str, pk: int):
    """The user's own assignment to the meeting (403 if they have none)."""
    meeting, membership = permissions.meeting_get_for_user(user=user, slug=slug, pk=pk)
    assignment = (
        Assignment.objects.select_related("meeting__group", "membership__user")
        .filter(meeting=meeting, membership=membership)
        .first()
    )
    if assignment is None:
        raise PermissionDenied
    return assignment, membership


def swap_get_for_user(*, user, pk: int):
    """A swap request in a group whose meetings the user sees, or 404."""
    swap = (
        SwapRequest.objects.select_related("assignment__meeting__group")
        .filter(pk=pk)
        .first()
    )
    if swap is None:
        raise Http404
    group = swap.assignment.meeting.group
    _, membership = permissions.group_for_meetings(user=user, slug=group.slug)
    return swap, membership


def assignment_get_for_lead(*, user, slug: str, pk: int, assignment_pk: int):
    meeting, membership = permissions.meeting_get_for_lead(user=user, slug=slug, pk=pk)
    assignment = meeting.assignments.filter(pk=assignment_pk).first()
    if assignment is None:
        raise Http404
    return assignment, membership
