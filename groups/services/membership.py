from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from members.models import User

from ..models import INVITATION_VALID_FOR, Group, Invitation, Membership
from .common import active_leads, ensure_not_archived, lock_group, places_taken

Status = Membership.Status
Role = Membership.Role


def _full_message(group: Group) -> str:
    return (
        f"{group.name} is full ({group.capacity} of {group.capacity} places). "
        "The request stays in the queue until a place frees up."
    )


def _lock_membership(membership: Membership) -> Membership:
    # Only the membership row: places are guarded by lock_group(), explicitly.
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("group", "user")
        .get(pk=membership.pk)
    )


def _set_status(membership: Membership, status: str, **fields) -> Membership:
    membership.status = status
    membership.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(membership, name, value)
    membership.save()
    return membership


@transaction.atomic
def membership_request(*, user: User, group: Group, message: str = "") -> Membership:
    """Ask to join an open group. A full group still takes requests: they
    queue until a lead can approve them."""
    ensure_not_archived(group)
    if not group.is_open:
        raise ValidationError(f"{group.name} is by invitation only.")
    membership = (
        Membership.objects.select_for_update().filter(user=user, group=group).first()
    )
    if membership is not None:
        if membership.status in (Status.ACTIVE, Status.PAUSED):
            raise ValidationError(f"You are already a member of {group.name}.")
        if membership.status == Status.PENDING:
            raise ValidationError(f"You have already asked to join {group.name}.")
        # Someone who left, or was declined, may ask again.
        membership.role = Role.MEMBER
        membership.requested_at = timezone.now()
        membership.decision_message = ""
        return _set_status(membership, Status.PENDING, request_message=message)
    return Membership.objects.create(
        user=user, group=group, status=Status.PENDING, request_message=message
    )


@transaction.atomic
def membership_withdraw_request(*, membership: Membership, acting_user: User) -> None:
    membership = _lock_membership(membership)
    if membership.user_id != acting_user.pk or membership.status != Status.PENDING:
        raise ValidationError("There is no open request to withdraw.")
    _set_status(membership, Status.LEFT)


@transaction.atomic
def membership_approve(
    *, membership: Membership, acting_user: User, message: str = ""
) -> Membership:
    """Let a pending member in, if the group has a place."""
    group = lock_group(membership.group)
    ensure_not_archived(group)
    membership = _lock_membership(membership)
    if membership.status != Status.PENDING:
        raise ValidationError("This request has already been answered.")
    if places_taken(group) >= group.capacity:
        raise ValidationError(_full_message(group))
    return _set_status(
        membership, Status.ACTIVE, joined_at=timezone.now(), decision_message=message
    )


@transaction.atomic
def membership_decline(
    *, membership: Membership, acting_user: User, message: str = ""
) -> Membership:
    ensure_not_archived(membership.group)
    membership = _lock_membership(membership)
    if membership.status != Status.PENDING:
        raise ValidationError("This request has already been answered.")
    return _set_status(membership, Status.DECLINED, decision_message=message)


@transaction.atomic
def membership_pause(*, membership: Membership, acting_user: User) -> Membership:
    """A break: still a member, keeps their place, but off the roster and rota."""
    ensure_not_archived(membership.group)
    lock_group(membership.group)
    membership = _lock_membership(membership)
    if membership.status != Status.ACTIVE:
        raise ValidationError("Only an active membership can be paused.")
    if _is_last_lead(membership.group, membership):
        raise ValidationError(
            "You are the group's only lead: make someone else a lead before pausing."
        )
    return _set_status(membership, Status.PAUSED)


@transaction.atomic
def membership_resume(*, membership: Membership, acting_user: User) -> Membership:
    ensure_not_archived(membership.group)
    membership = _lock_membership(membership)
    if membership.status != Status.PAUSED:
        raise ValidationError("Only a paused membership can be resumed.")
    return _set_status(membership, Status.ACTIVE)


def _is_last_lead(group: Group, membership: Membership) -> bool:
    return (
        membership.is_lead
        and not active_leads(group).exclude(pk=membership.pk).exists()
    )


def _hand_over(group: Group, leaving: Membership, successor: Membership | None) -> None:
    """The last lead names a successor before going."""
    if not _is_last_lead(group, leaving):
        return
    if successor is None:
        raise ValidationError(
            {"successor": "You are the group's only lead: name another lead first."}
        )
    successor = _lock_membership(successor)
    if (
        successor.group_id != group.pk
        or successor.status != Status.ACTIVE
        or successor.pk == leaving.pk
    ):
        raise ValidationError({"successor": "Choose an active member of this group."})
    successor.role = Role.LEAD
    successor.save(update_fields=["role"])


@transaction.atomic
def membership_leave(
    *, membership: Membership, acting_user: User, successor: Membership | None = None
) -> Membership:
    """Leave a group. Attendance and survey history stay for aggregates;
    the person leaves rosters and rotas."""
    group = lock_group(membership.group)
    ensure_not_archived(group)
    membership = _lock_membership(membership)
    if membership.status not in (Status.ACTIVE, Status.PAUSED):
        raise ValidationError("You are not a member of this group.")
    _hand_over(group, membership, successor)
    return _set_status(
        membership, Status.LEFT, role=Role.MEMBER, takes_part_in_rota=False
    )


@transaction.atomic
def membership_remove(
    *, membership: Membership, acting_user: User, reason: str
) -> Membership:
    """A lead removes someone. The reason is for leads only."""
    group = lock_group(membership.group)
    ensure_not_archived(group)
    membership = _lock_membership(membership)
    if membership.status not in (Status.ACTIVE, Status.PAUSED):
        raise ValidationError("Only a current member can be removed.")
    if _is_last_lead(group, membership):
        raise ValidationError(
            "This is the group's only lead: make someone else a lead first."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say briefly why (only leads will see it)."})
    return _set_status(
        membership,
        Status.LEFT,
        role=Role.MEMBER,
        takes_part_in_rota=False,
        removal_reason=reason.strip(),
    )


@transaction.atomic
def membership_set_role(
    *, membership: Membership, role: str, acting_user: User
) -> Membership:
    group = lock_group(membership.group)
    ensure_not_archived(group)
    membership = _lock_membership(membership)
    if role not in Role.values:
        raise ValidationError("Unknown role.")
    if membership.status != Status.ACTIVE:
        raise ValidationError("Only an active member can change role.")
    if role == Role.MEMBER and _is_last_lead(group, membership):
        raise ValidationError(
            "This is the group's only lead: make someone else a lead first."
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def invitation_create(
    *,
    group: Group,
    acting_user: User,
    note: str = "",
    valid_for: timedelta = INVITATION_VALID_FOR,
) -> Invitation:
    ensure_not_archived(group)
    now = timezone.now()
    return Invitation.objects.create(
        group=group,
        note=note,
        created_by=acting_user,
        created_at=now,
        expires_at=now + valid_for,
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, acting_user: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != "valid":
        raise ValidationError(f"This invitation is already {invitation.state}.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


INVITATION_PROBLEMS = {
    "used": (
        "This invitation has already been used. Ask a lead of the group for a new link."
    ),
    "expired": "This invitation has expired. Ask a lead of the group for a new link.",
    "revoked": "This invitation was withdrawn by the group's leads.",
}


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join through a single-use link. Nothing is spent unless the person joins."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != "valid":
        raise ValidationError(INVITATION_PROBLEMS[invitation.state])
    group = lock_group(invitation.group)
    ensure_not_archived(group)
    membership = (
        Membership.objects.select_for_update().filter(user=user, group=group).first()
    )
    if membership is not None and membership.status in (Status.ACTIVE, Status.PAUSED):
        raise ValidationError(f"You are already a member of {group.name}.")
    if places_taken(group) >= group.capacity:
        raise ValidationError(
            f"{group.name} is full right now. The invitation is still valid: "
            "try again when a place frees up, or ask a lead."
        )
    now = timezone.now()
    if membership is None:
        membership = Membership(user=user, group=group)
    membership.role = Role.MEMBER
    membership.joined_at = now
    _set_status(membership, Status.ACTIVE)
    invitation.used_at = now
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by"])
    return membership
