"""Every write about groups, membership, invitations and guidelines.

Split by topic; import from here: ``from groups import services``."""

from .groups import group_archive, group_create, group_unarchive, group_update
from .guidelines import (
    default_guidelines_ensure,
    default_guidelines_save,
    guideline_acknowledge,
    guideline_draft_save,
    guideline_publish,
)
from .membership import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_approve,
    membership_decline,
    membership_leave,
    membership_pause,
    membership_remove,
    membership_request,
    membership_resume,
    membership_set_role,
    membership_withdraw_request,
)

__all__ = [
    "default_guidelines_ensure",
    "default_guidelines_save",
    "group_archive",
    "group_create",
    "group_unarchive",
    "group_update",
    "guideline_acknowledge",
    "guideline_draft_save",
    "guideline_publish",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "membership_approve",
    "membership_decline",
    "membership_leave",
    "membership_pause",
    "membership_remove",
    "membership_request",
    "membership_resume",
    "membership_set_role",
    "membership_withdraw_request",
]
