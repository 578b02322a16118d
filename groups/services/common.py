from django.core.exceptions import ValidationError

from ..models import Group, Membership
from ..selectors import places_taken

__all__ = ["active_leads", "ensure_not_archived", "lock_group", "places_taken"]


def ensure_not_archived(group: Group) -> None:
    if group.is_archived:
        raise ValidationError(
            f"{group.name} is archived: it is read-only and keeps its history."
        )


def lock_group(group: Group) -> Group:
    """Lock the group's row for the rest of the transaction, so that two
    requests racing for the last place are served one after the other."""
    return Group.objects.select_for_update().get(pk=group.pk)


def active_leads(group: Group):
    return group.memberships.filter(
        role=Membership.Role.LEAD, status=Membership.Status.ACTIVE
    )
