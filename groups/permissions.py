"""Who may see and do what in a group.

A group's objects are invisible to people outside it: permission-checked
fetches raise Http404 (never 403) so that existence does not leak. Members of
the group who lack a role get 403. Coordinators do not see inside groups;
they see aggregates and manage groups' settings (DESIGN.md).

Active and paused members see their group; pending members only their
request; people who left or were declined, nothing.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Acknowledgement, Group, Membership

SEES_GROUP = (Membership.Status.ACTIVE, Membership.Status.PAUSED)


def membership_for(user, group: Group) -> Membership | None:
    """The user's active membership of the group, if any."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(
        user=user, group=group, status=Membership.Status.ACTIVE
    ).first()


def is_group_member(user, group: Group) -> bool:
    return membership_for(user, group) is not None


def is_group_lead(user, group: Group) -> bool:
    membership = membership_for(user, group)
    return membership is not None and membership.is_lead


def can_manage_group(user, group: Group) -> bool:
    return is_group_lead(user, group)


def can_manage_membership(membership: Membership) -> bool:
    """Leads manage members; only an active lead, and never in an archived group."""
    return (
        membership.status == Membership.Status.ACTIVE
        and membership.is_lead
        and not membership.group.is_archived
    )


def has_acknowledged_current(user, group: Group) -> bool:
    """Whether the user agreed to the group's current guidelines. Until they
    do, they see the guidelines but not the group's meetings, rota or members."""
    current = group.guideline_versions.order_by("-number").values("pk")[:1]
    return Acknowledgement.objects.filter(user=user, version__in=current).exists()


def group_get_for_user(*, user, slug: str) -> tuple[Group, Membership]:
    """The group and the user's (active or paused) membership, or 404."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("group")
        .filter(user=user, group__slug=slug, status__in=SEES_GROUP)
        .first()
    )
    if membership is None:
        raise Http404
    return membership.group, membership


def group_get_for_lead(*, user, slug: str) -> tuple[Group, Membership]:
    """The group and the user's membership if they lead it: 404 for outsiders,
    403 for members who are not leads."""
    group, membership = group_get_for_user(user=user, slug=slug)
    if not (membership.status == Membership.Status.ACTIVE and membership.is_lead):
        raise PermissionDenied
    return group, membership


def membership_in_group(*, group: Group, pk: int) -> Membership:
    """A membership of ``group`` (any status: the service says what is wrong
    with it), or 404: a forged id of another group's member looks like none."""
    membership = (
        Membership.objects.select_related("user", "group")
        .filter(group=group, pk=pk)
        .first()
    )
    if membership is None:
        raise Http404
    return membership
