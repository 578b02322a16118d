"""Shared set-up for the calendar and reminder tests: groups whose members
agreed to the guidelines (the condition for seeing meetings)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from groups import services as group_services
from sessions_app import services
from tests.groups.factories import (
    GroupFactory,
    LeadMembershipFactory,
    MembershipFactory,
)


def group_with_lead(**group_fields):
    """A group with published guidelines its lead agreed to (by publishing)."""
    group = GroupFactory(**group_fields)
    lead = LeadMembershipFactory(group=group).user
    group_services.guideline_draft_save(
        group=group,
        items=[{"title": "Listen", "explanation": "Kindly."}],
        acting_user=lead,
    )
    group_services.guideline_publish(group=group, change_note="v1", acting_user=lead)
    return group, lead


def agreed_member(group, **membership_fields):
    membership = MembershipFactory(group=group, **membership_fields)
    group_services.guideline_acknowledge(user=membership.user, group=group)
    return membership.user


def meeting_in(group, lead, delta: timedelta, **fields):
    """A one-off meeting starting ``delta`` from now (to the minute)."""
    zone = ZoneInfo(group.time_zone)
    start = (timezone.now() + delta).astimezone(zone)
    return services.meeting_create(
        group=group,
        acting_user=lead,
        day=start.date(),
        local_time=time(start.hour, start.minute),
        **fields,
    )


def at(year, month, day, hour=12, zone="UTC") -> datetime:
    return datetime(year, month, day, hour, tzinfo=ZoneInfo(zone))
