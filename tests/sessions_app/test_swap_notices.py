"""Whoever asked for a swap, and the leads, hear once that it was taken."""

from django.core import mail

import pytest

from sessions_app import reminders, rota_services
from sessions_app.models import Assignment, SentMessage
from tests.sessions_app.rota_factories import upcoming, weekly_group

pytestmark = pytest.mark.django_db


def test_requester_and_leads_are_told_once_and_the_taker_not():
    group, lead, members = weekly_group(members=2)
    asker, taker = members
    meeting = upcoming(group)[0]
    assignment = Assignment.objects.create(meeting=meeting, membership=asker)
    swap = rota_services.swap_request(assignment=assignment, acting_user=asker.user)
    rota_services.swap_accept(swap=swap, acting_user=taker.user)

    assert reminders.send_swap_notices() == 2
    assert reminders.send_swap_notices() == 0  # a repeated tick sends nothing
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([asker.user.email, lead.user.email])
    told_asker = next(m for m in mail.outbox if m.to == [asker.user.email])
    assert taker.user.display_name in told_asker.body
    assert "no longer facilitating" in told_asker.body
    assert SentMessage.objects.filter(kind=reminders.SWAP_TAKEN).count() == 2


def test_an_open_request_or_a_cancelled_meeting_sends_nothing():
    group, lead, members = weekly_group(members=2)
    asker, taker = members
    meeting = upcoming(group)[0]
    assignment = Assignment.objects.create(meeting=meeting, membership=asker)
    swap = rota_services.swap_request(assignment=assignment, acting_user=asker.user)
    assert reminders.send_swap_notices() == 0
    rota_services.swap_accept(swap=swap, acting_user=taker.user)
    from sessions_app import services

    services.meeting_cancel(meeting=meeting, acting_user=lead.user)
    assert reminders.send_swap_notices() == 0
    assert not mail.outbox
