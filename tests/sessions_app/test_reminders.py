"""Reminders and change notices: due at the right time, sent exactly once."""

from datetime import time, timedelta
from smtplib import SMTPException
from unittest import mock
from zoneinfo import ZoneInfo

from django.core import mail

import pytest

from groups.models import Membership
from sessions_app import reminders, services, tasks
from sessions_app.models import Assignment, SentMessage
from tests.sessions_app.calendar_helpers import (
    agreed_member,
    group_with_lead,
    meeting_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_setup():
    group, lead = group_with_lead(name="Evening Circle", time_zone="Europe/London")
    members = [agreed_member(group) for _ in range(3)]
    return group, lead, members


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


class TestMemberReminders:
    def test_running_twice_sends_each_person_one(self, group_setup):
        group, lead, members = group_setup
        meeting = meeting_in(group, lead, timedelta(hours=20))
        assert tasks.send_member_reminders() == 4  # three members and the lead
        assert tasks.send_member_reminders() == 0
        expected = sorted(user.email for user in [*members, lead])
        assert recipients() == expected
        assert SentMessage.objects.filter(
            kind=reminders.MEMBER_REMINDER, meeting=meeting
        ).count() == len(expected)

    def test_not_before_the_chosen_lead_time(self, group_setup):
        group, lead, members = group_setup
        members[0].reminder_hours_before = 2
        members[0].save()
        members[1].reminder_hours_before = 48
        members[1].save()
        meeting_in(group, lead, timedelta(hours=30))
        tasks.send_member_reminders()
        assert recipients() == [members[1].email]

    def test_none_for_a_cancelled_meeting(self, group_setup):
        group, lead, _ = group_setup
        meeting = meeting_in(group, lead, timedelta(hours=20))
        services.meeting_cancel(meeting=meeting, acting_user=lead)
        assert tasks.send_member_reminders() == 0
        assert not any("Reminder" in m.subject for m in mail.outbox)

    def test_none_to_someone_who_left_or_paused(self, group_setup):
        group, lead, members = group_setup
        meeting_in(group, lead, timedelta(hours=20))
        Membership.objects.filter(user=members[0]).update(status=Membership.Status.LEFT)
        Membership.objects.filter(user=members[1]).update(
            status=Membership.Status.PAUSED
        )
        tasks.send_member_reminders()
        assert recipients() == sorted([members[2].email, lead.email])

    def test_none_when_reminders_are_off(self, group_setup):
        group, lead, members = group_setup
        for user in [*members, lead]:
            user.email_reminders = False
            user.save()
        meeting_in(group, lead, timedelta(hours=20))
        assert tasks.send_member_reminders() == 0
        assert mail.outbox == []

    def test_checked_again_at_send_time(self, group_setup):
        """Someone who leaves between the selection and the send gets nothing."""
        group, lead, members = group_setup
        meeting_in(group, lead, timedelta(hours=20))
        due = reminders.member_reminders_due()
        Membership.objects.filter(user=members[0]).update(status=Membership.Status.LEFT)
        sent = sum(
            reminders._send_once(d, reminders._build_member_reminder) for d in due
        )
        assert sent == 3
        assert members[0].email not in recipients()
        # Nothing recorded for them either, so coming back is not blocked.
        assert not SentMessage.objects.filter(recipient=members[0]).exists()

    def test_a_failed_send_is_retried_and_sent_once(self, group_setup):
        group, lead, _ = group_setup
        meeting_in(group, lead, timedelta(hours=20))
        with (
            mock.patch(
                "django.core.mail.EmailMessage.send", side_effect=SMTPException("down")
            ),
            pytest.raises(SMTPException),
        ):
            reminders.send_member_reminders()
        assert SentMessage.objects.count() == 0
        assert reminders.send_member_reminders() == 4
        assert reminders.send_member_reminders() == 0
        assert len(mail.outbox) == 4

    def test_times_in_the_recipients_own_zone(self, group_setup):
        group, lead, members = group_setup
        reader = members[0]
        reader.time_zone = "America/New_York"
        reader.save()
        meeting = meeting_in(group, lead, timedelta(hours=20))
        tasks.send_member_reminders()
        (message,) = [m for m in mail.outbox if m.to == [reader.email]]
        local = meeting.starts_at.astimezone(ZoneInfo("America/New_York"))
        assert f"{local:%H:%M}" in message.body
        assert "(America/New_York)" in message.body
        assert meeting.get_absolute_url() in message.body
        assert message.subject.startswith("[Circle] Reminder: Evening Circle")


class TestFacilitatorReminders:
    def test_three_days_before_with_agenda_and_meeting_page(self, group_setup):
        group, lead, members = group_setup
        soon = meeting_in(group, lead, timedelta(days=2, hours=12))
        later = meeting_in(group, lead, timedelta(days=5))
        for meeting in (soon, later):
            Assignment.objects.create(
                meeting=meeting,
                membership=Membership.objects.get(user=members[0], group=group),
            )
        services.meeting_set_agenda(
            meeting=soon,
            acting_user=lead,
            items=[{"title": "Check-in round", "minutes": 15}],
        )
        assert tasks.send_facilitator_reminders() == 1
        assert tasks.send_facilitator_reminders() == 0
        (message,) = mail.outbox
        assert message.to == [members[0].email]
        assert "Check-in round (15 min)" in message.body
        assert soon.get_absolute_url() in message.body
        assert "swap" in message.body

    def test_none_after_swapping_away_or_cancelling(self, group_setup):
        group, lead, members = group_setup
        meeting = meeting_in(group, lead, timedelta(days=2))
        assignment = Assignment.objects.create(
            meeting=meeting,
            membership=Membership.objects.get(user=members[0], group=group),
        )
        due = reminders.facilitator_reminders_due()
        assignment.delete()
        assert not any(
            reminders._send_once(d, reminders._build_facilitator_reminder) for d in due
        )
        Assignment.objects.create(
            meeting=meeting,
            membership=Membership.objects.get(user=members[1], group=group),
        )
        services.meeting_cancel(meeting=meeting, acting_user=lead)
        assert tasks.send_facilitator_reminders() == 0
        assert mail.outbox == []


class TestNoFacilitatorAlerts:
    def test_leads_told_once_about_an_unstaffed_meeting_within_a_week(
        self, group_setup
    ):
        group, lead, members = group_setup
        second_lead = agreed_member(group, role=Membership.Role.LEAD)
        unstaffed = meeting_in(group, lead, timedelta(days=6))
        staffed = meeting_in(group, lead, timedelta(days=3))
        meeting_in(group, lead, timedelta(days=9))  # not yet
        Assignment.objects.create(
            meeting=staffed,
            membership=Membership.objects.get(user=members[0], group=group),
        )
        assert tasks.send_no_facilitator_alerts() == 2
        assert tasks.send_no_facilitator_alerts() == 0
        assert recipients() == sorted([lead.email, second_lead.email])
        assert all(unstaffed.get_absolute_url() in m.body for m in mail.outbox)


class TestChangeNotices:
    def test_cancellation_told_once_to_active_members_but_not_the_actor(
        self, group_setup
    ):
        group, lead, members = group_setup
        meeting = meeting_in(group, lead, timedelta(days=4))
        Membership.objects.filter(user=members[2]).update(status=Membership.Status.LEFT)
        services.meeting_cancel(meeting=meeting, acting_user=lead, reason="Snow")
        assert tasks.send_change_notices() == 2
        assert tasks.send_change_notices() == 0
        assert recipients() == sorted([members[0].email, members[1].email])
        assert all("Snow" in m.body for m in mail.outbox)
        event = meeting.events.get(kind="cancelled")
        assert set(
            SentMessage.objects.filter(meeting=meeting).values_list("kind", "occasion")
        ) == {(reminders.MEETING_CANCELLED, f"event-{event.pk}")}

    def test_a_move_is_told_with_the_new_time(self, group_setup):
        group, lead, _ = group_setup
        meeting = meeting_in(group, lead, timedelta(days=4))
        day = meeting.starts_at.astimezone(ZoneInfo(group.time_zone)).date()
        services.meeting_move(
            meeting=meeting,
            acting_user=lead,
            day=day + timedelta(days=1),
            local_time=time(10, 15),
        )
        assert tasks.send_change_notices() == 3
        assert all("MOVED" in m.body and "10:15" in m.body for m in mail.outbox)

    def test_several_changes_share_one_email_each_told_once(self, group_setup):
        group, lead, _ = group_setup
        first = meeting_in(group, lead, timedelta(days=4))
        second = meeting_in(group, lead, timedelta(days=11))
        services.meeting_cancel(meeting=first, acting_user=lead)
        assert tasks.send_change_notices() == 3
        services.meeting_cancel(meeting=second, acting_user=lead)
        assert tasks.send_change_notices() == 3
        assert tasks.send_change_notices() == 0
        assert len(mail.outbox) == 6
        assert SentMessage.objects.count() == 6
