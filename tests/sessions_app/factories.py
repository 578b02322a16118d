"""Factories for sessions_app. Shared: append, don't replace."""

from datetime import timedelta

from django.utils import timezone

import factory

from sessions_app.models import Assignment, Attendance, Meeting
from tests.groups.factories import GroupFactory, MembershipFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    """A scheduled meeting starting in a day, 90 minutes long. Pass
    ``starts_at`` (``ends_at`` follows) for meetings in the past or now."""

    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(minutes=90))
    status = Meeting.Status.SCHEDULED


class PastMeetingFactory(MeetingFactory):
    """Ended two days ago (inside the feedback window)."""

    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    meeting = factory.SubFactory(MeetingFactory)
    membership = factory.SubFactory(
        MembershipFactory, group=factory.SelfAttribute("..meeting.group")
    )
    role = Assignment.Role.FACILITATOR


class AttendanceFactory(factory.django.DjangoModelFactory):
    """A raw attendance row (tests of behaviour should call the services)."""

    class Meta:
        model = Attendance

    meeting = factory.SubFactory(PastMeetingFactory)
    membership = factory.SubFactory(
        MembershipFactory, group=factory.SelfAttribute("..meeting.group")
    )
    status = Attendance.Status.PRESENT
