"""Rota state built through the real services (STYLE.md: tests build state
by calling services)."""

from datetime import time, timedelta

from django.utils import timezone

from groups import services as group_services
from groups.models import Membership
from sessions_app import services
from sessions_app.models import Assignment, Meeting
from tests.groups.factories import (
    GroupFactory,
    LeadMembershipFactory,
    MembershipFactory,
)


def publish_guidelines(group, lead_user, *, explanation="Without judgment."):
    group_services.guideline_draft_save(
        group=group,
        items=[{"title": "Listen", "explanation": explanation}],
        acting_user=lead_user,
    )
    return group_services.guideline_publish(
        group=group, change_note="First", acting_user=lead_user
    )


def agree(membership):
    group_services.guideline_acknowledge(user=membership.user, group=membership.group)
    return membership


def rota_member(group, *, agreed=True, **fields):
    fields.setdefault("takes_part_in_rota", True)
    membership = MembershipFactory(group=group, **fields)
    if agreed:
        agree(membership)
    return membership


def weekly_group(*, members=3, lead_in_rota=False, **group_fields):
    """A group with guidelines, a lead, ``members`` rota members who agreed,
    and a weekly schedule (12 weeks of meetings from tomorrow)."""
    group = GroupFactory(**group_fields)
    lead = LeadMembershipFactory(group=group, takes_part_in_rota=lead_in_rota)
    publish_guidelines(group, lead.user)
    people = [rota_member(group) for _ in range(members)]
    start = timezone.localdate() + timedelta(days=1)
    services.schedule_create(
        group=group,
        acting_user=lead.user,
        frequency="weekly",
        weekday=start.weekday(),
        local_time=time(18, 0),
        starts_on=start,
    )
    return group, lead, people


def upcoming(group):
    return list(
        group.meetings.filter(
            status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now()
        ).order_by("starts_at")
    )


def past_meeting(group, *, weeks_ago, facilitator: Membership | None = None, **fields):
    """A meeting that already happened (made directly: services refuse the past)."""
    start = timezone.now() - timedelta(weeks=weeks_ago)
    meeting = Meeting.objects.create(
        group=group,
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        status=fields.pop("status", Meeting.Status.HELD),
        **fields,
    )
    if facilitator is not None:
        Assignment.objects.create(meeting=meeting, membership=facilitator)
    return meeting
