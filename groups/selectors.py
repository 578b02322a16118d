from django.db.models import Count, Q

from members.models import User

from .models import Group, Membership


def memberships_for_user(*, user):
    """The user's active memberships, with their groups, leads first."""
    return (
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE)
        .select_related("group")
        .order_by("-role", "group__name")
    )


def group_roster(*, group: Group):
    """Active members of a group as other members may see them."""
    return (
        Membership.objects.filter(group=group, status=Membership.Status.ACTIVE)
        .select_related("user")
        .only("role", "user__display_name", "user__pronouns", "group_id")
        .order_by("-role", "user__display_name")
    )


def organisation_counts() -> dict:
    """Organisation-wide counts for the coordinator's entry page."""
    active = Q(status=Membership.Status.ACTIVE)
    people = Membership.objects.aggregate(
        active_members=Count("user", filter=active, distinct=True),
        leads=Count(
            "user", filter=active & Q(role=Membership.Role.LEAD), distinct=True
        ),
    )
    return {
        "groups": Group.objects.count(),
        **people,
        "coordinators": User.objects.filter(
            is_coordinator=True, is_active=True
        ).count(),
    }
