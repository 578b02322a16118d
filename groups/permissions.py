"""Who may see and do what in a group.

A group's objects are invisible to people outside it: permission-checked
fetches raise Http404 (never 403) so that existence does not leak.
Coordinators do not see inside groups; they see aggregates (DESIGN.md).
"""

from django.http import Http404

from .models import Group, Membership


def membership_for(user, group: Group) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(
        user=user, group=group, status=Membership.Status.ACTIVE
    ).first()


def is_group_member(user, group: Group) -> bool:
    return membership_for(user, group) is not None


def is_group_lead(user, group: Group) -> bool:
    membership = membership_for(user, group)
    return membership is not None and membership.role == Membership.Role.LEAD


def can_manage_group(user, group: Group) -> bool:
    return is_group_lead(user, group)


def group_get_for_user(*, user, slug: str) -> tuple[Group, Membership]:
    """The group and the user's active membership, or 404."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("group")
        .filter(user=user, group__slug=slug, status=Membership.Status.ACTIVE)
        .first()
    )
    if membership is None:
        raise Http404
    return membership.group, membership
