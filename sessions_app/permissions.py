"""Who may see and do what with meetings.

A group's meetings are for its active and paused members who agreed to the
current guidelines (groups.permissions); everyone else gets 404. Leads manage
schedules and meetings; a meeting's facilitators run it.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from groups import permissions as group_permissions
from groups.models import Group, Membership

from .models import Assignment, Meeting


def group_for_meetings(*, user, slug: str) -> tuple[Group, Membership]:
    """The group, if the user may see its meetings: a member who agreed to the
    current guidelines. 404 otherwise (the group page asks them to agree)."""
    group, membership = group_permissions.group_get_for_user(user=user, slug=slug)
    if not group_permissions.has_acknowledged_current(user, group):
        raise Http404
    return group, membership


def group_for_lead(*, user, slug: str) -> tuple[Group, Membership]:
    group, membership = group_for_meetings(user=user, slug=slug)
    if not (membership.status == Membership.Status.ACTIVE and membership.is_lead):
        raise PermissionDenied
    return group, membership


def meeting_get_for_user(*, user, slug: str, pk: int) -> tuple[Meeting, Membership]:
    group, membership = group_for_meetings(user=user, slug=slug)
    meeting = (
        Meeting.objects.select_related("group", "icebreaker", "schedule")
        .filter(group=group, pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting, membership


def is_facilitator(meeting: Meeting, membership: Membership) -> bool:
    return Assignment.objects.filter(meeting=meeting, membership=membership).exists()


def can_run_meeting(meeting: Meeting, membership: Membership) -> bool:
    """Facilitators and the group's leads run a meeting (agenda, attendance)."""
    return membership.status == Membership.Status.ACTIVE and (
        membership.is_lead or is_facilitator(meeting, membership)
    )


def can_manage_meetings(membership: Membership) -> bool:
    return membership.status == Membership.Status.ACTIVE and membership.is_lead


def meeting_get_for_runner(*, user, slug: str, pk: int) -> tuple[Meeting, Membership]:
    meeting, membership = meeting_get_for_user(user=user, slug=slug, pk=pk)
    if not can_run_meeting(meeting, membership):
        raise PermissionDenied
    return meeting, membership


def meeting_get_for_lead(*, user, slug: str, pk: int) -> tuple[Meeting, Membership]:
    meeting, membership = meeting_get_for_user(user=user, slug=slug, pk=pk)
    if not can_manage_meetings(membership):
        raise PermissionDenied
    return meeting, membership
