from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.utils import timezone

from groups.models import Acknowledgement, Group, GuidelineVersion, Membership
from groups.permissions import SEES_GROUP

from .models import Assignment, Icebreaker, Meeting


def agreed_current_guidelines():
    """An Exists() for a Membership queryset: its user agreed to the group's
    current guidelines version (the condition for seeing meetings)."""
    current = (
        GuidelineVersion.objects.filter(group=OuterRef(OuterRef("group")))
        .order_by("-number")
        .values("pk")[:1]
    )
    return Exists(
        Acknowledgement.objects.filter(user=OuterRef("user"), version=Subquery(current))
    )


def groups_with_meetings_for(user):
    """Ids (as a subquery) of the groups whose meetings ``user`` sees: active or
    paused members who agreed to the current guidelines."""
    return (
        Membership.objects.filter(user=user, status__in=SEES_GROUP)
        .filter(agreed_current_guidelines())
        .values("group_id")
    )


def _with_facilitators(queryset):
    return queryset.select_related("group").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("membership__user").order_by(
                "role"
            ),
        )
    )


def meetings_upcoming_for_group(*, group: Group, limit: int | None = None):
    meetings = _with_facilitators(
        group.meetings.filter(ends_at__gte=timezone.now()).order_by("starts_at")
    )
    return meetings[:limit] if limit else meetings


def meetings_past_for_group(*, group: Group, limit: int = 20):
    return _with_facilitators(
        group.meetings.filter(ends_at__lt=timezone.now()).order_by("-starts_at")
    )[:limit]


def meetings_upcoming_for_user(*, user, limit: int = 5):
    """The next meetings of the groups where the user sees meetings."""
    return _with_facilitators(
        Meeting.objects.filter(
            group_id__in=groups_with_meetings_for(user),
            ends_at__gte=timezone.now(),
            status=Meeting.Status.SCHEDULED,
        ).order_by("starts_at")
    )[:limit]


def meetings_facilitating_for_user(*, user, limit: int = 5):
    return _with_facilitators(
        Meeting.objects.filter(
            assignments__membership__user=user,
            ends_at__gte=timezone.now(),
            status=Meeting.Status.SCHEDULED,
        ).order_by("starts_at")
    )[:limit]


def icebreakers_for_group(*, group: Group):
    from django.db.models import Q

    return Icebreaker.objects.filter(
        Q(group__isnull=True) | Q(group=group), is_active=True
    ).order_by("depth", "category", "prompt")


def resources_for_meetings(*, group: Group):
    """Published resources a meeting of ``group`` may link: its own library's
    and the organisation's."""
    from django.db.models import Q

    from groups.models import Resource

    return Resource.objects.filter(
        Q(group__isnull=True) | Q(group=group), status=Resource.Status.PUBLISHED
    ).order_by("title")
