"""Shared set-up for the attendance and feedback tests."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from groups import services as group_services
from sessions_app.models import Assignment
from tests.roles import LEAD, MEMBER, OTHER_GROUP_MEMBER
from tests.sessions_app.factories import MeetingFactory


def agree(group, users):
    """Publish guidelines (by the last user, a lead) and have everyone agree."""
    group_services.guideline_draft_save(
        group=group,
        items=[{"title": "Listen", "explanation": "Kindly."}],
        acting_user=users[-1],
    )
    group_services.guideline_publish(
        group=group, change_note="v1", acting_user=users[-1]
    )
    for user in users:
        group_services.guideline_acknowledge(user=user, group=group)


def agree_all(roles):
    agree(roles.group, [roles[MEMBER], roles[LEAD]])
    agree(roles.other_group, [roles[OTHER_GROUP_MEMBER]])


def meeting_now(group, **fields):
    """Started ten minutes ago, ends in eighty: inside the check-in window."""
    start = timezone.now() - timedelta(minutes=10)
    return MeetingFactory(group=group, starts_at=start, **fields)


def meeting_ended(group, days_ago=2, **fields):
    start = timezone.now() - timedelta(days=days_ago, minutes=90)
    return MeetingFactory(group=group, starts_at=start, **fields)


def facilitate(meeting, membership):
    return Assignment.objects.create(
        meeting=meeting, membership=membership, role="facilitator"
    )


def url(name, meeting):
    return reverse(
        f"sessions_app:{name}", kwargs={"slug": meeting.group.slug, "pk": meeting.pk}
    )
