from django.db.models import Prefetch
from django.utils import timezone

from groups.models import Group, Membership
from groups.permissions import SEES_GROUP

from .models import Assignment, Icebreaker, Meeting


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
    from django.db.models import F, OuterRef, Subquery

    from groups.models import Acknowledgement, GuidelineVersion

    # Groups whose *current* guidelines the user agreed to.
    current = (
        GuidelineVersion.objects.filter(group=OuterRef("version__group"))
        .order_by("-number")
        .values("number")[:1]
    )
    agreed_groups = (
        Acknowledgement.objects.filter(user=user)
        .annotate(current_number=Subquery(current))
        .filter(version__number=F("current_number"))
        .values("version__group_id")
    )
    groups = Membership.objects.filter(
        user=user, status__in=SEES_GROUP, group_id__in=agreed_groups
    ).values("group_id")
    return _with_facilitators(
        Meeting.objects.filter(
            group_id__in=groups,
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
