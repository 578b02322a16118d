"""Who may see and change the resource library and the crisis lines.

A group's library is part of the group: it is fetched through
``groups.permissions.group_get_for_user``, so people outside the group (and
coordinators, who do not see inside groups) get 404. Active members suggest;
active leads publish and reject. The organisation-wide library is open to
everyone signed in; coordinators publish and reject there. An archived group's
library stays readable but takes no changes.

Suggestions are seen only by the people who review them and by whoever made
them; a forged id of another library's resource looks like no resource at all.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from groups.models import CrisisResource, Group, Membership, Resource
from groups.permissions import group_get_for_user, membership_for
from members.permissions import coordinator_required, is_coordinator


@dataclass(frozen=True)
class Library:
    """One library (a group's, or the organisation's when ``group`` is None)
    as one user may use it."""

    group: Group | None
    membership: Membership | None
    is_contributor: bool  # may suggest, unless the group is archived
    is_reviewer: bool  # sees suggestions; may publish, unless archived

    @property
    def is_organisation_wide(self) -> bool:
        return self.group is None

    @property
    def read_only(self) -> bool:
        return self.group is not None and self.group.is_archived

    @property
    def can_suggest(self) -> bool:
        return self.is_contributor and not self.read_only

    @property
    def can_publish(self) -> bool:
        return self.is_reviewer and not self.read_only


def _is_active_lead(membership: Membership | None) -> bool:
    return (
        membership is not None
        and membership.status == Membership.Status.ACTIVE
        and membership.role == Membership.Role.LEAD
    )


def can_suggest_resource(user, group: Group | None) -> bool:
    """Anyone signed in suggests to the organisation-wide library; active
    members to their group's."""
    if not (user.is_authenticated and user.is_active):
        return False
    if group is None:
        return True
    return membership_for(user, group) is not None


def can_review_resources(user, group: Group | None) -> bool:
    """Coordinators review the organisation-wide library; a group's active
    leads review its library."""
    if group is None:
        return is_coordinator(user)
    return _is_active_lead(membership_for(user, group))


def can_manage_crisis_resources(user) -> bool:
    return is_coordinator(user)


def library_get_for_user(*, user, slug: str | None = None) -> Library:
    """The organisation-wide library (no slug) or a group's library, as this
    user may use it; 404 for a group they do not see."""
    if not user.is_authenticated:
        raise Http404
    if slug is None:
        return Library(
            group=None,
            membership=None,
            is_contributor=user.is_active,
            is_reviewer=is_coordinator(user),
        )
    group, membership = group_get_for_user(user=user, slug=slug)
    return Library(
        group=group,
        membership=membership,
        is_contributor=membership.status == Membership.Status.ACTIVE,
        is_reviewer=_is_active_lead(membership),
    )


def library_get_for_reviewer(*, user, slug: str | None = None) -> Library:
    """The library if the user reviews it: 404 for a group they do not see,
    403 for its members who are not leads."""
    library = library_get_for_user(user=user, slug=slug)
    if not library.is_reviewer:
        raise PermissionDenied
    return library


def resource_get_for_user(*, user, library: Library, pk: int) -> Resource:
    """A resource of this library the user may see, or 404: published ones,
    their own suggestions, and every suggestion for reviewers."""
    resource = (
        Resource.objects.select_related("added_by")
        .filter(pk=pk, group=library.group)
        .first()
    )
    if resource is None:
        raise Http404
    if (
        resource.status == Resource.Status.PUBLISHED
        or library.is_reviewer
        or (resource.added_by_id is not None and resource.added_by_id == user.pk)
    ):
        # The library already holds the group: no second query for it.
        resource.group = library.group
        return resource
    raise Http404


def resource_get_for_review(*, user, library: Library, pk: int) -> Resource:
    """A resource to publish or reject: 404 if the user can't see it, 403 if
    they can but do not review this library."""
    resource = resource_get_for_user(user=user, library=library, pk=pk)
    if not library.is_reviewer:
        raise PermissionDenied
    return resource


def crisis_resource_get_for_user(*, user, pk: int) -> CrisisResource:
    """A crisis line for a coordinator to change; 403 for anyone else."""
    if not can_manage_crisis_resources(user):
        raise PermissionDenied
    line = CrisisResource.objects.filter(pk=pk).first()
    if line is None:
        raise Http404
    return line


def library_reviewer_required(view):
    """Reviewer pages of a library. The organisation-wide library's reviewers
    are coordinators, so its pages need two-factor like every coordinator
    page; a group's pages need a signed-in user and leave the lead check (and
    its 404/403) to ``library_get_for_reviewer``."""
    for_coordinators = coordinator_required(view)
    for_leads = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if kwargs.get("slug") is None:
            return for_coordinators(request, *args, **kwargs)
        return for_leads(request, *args, **kwargs)

    return wrapper
