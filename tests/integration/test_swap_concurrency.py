"""Two people accepting the same swap at once on the real PostgreSQL: the
swap row's lock gives one winner, and the other is told who took it."""

import time

from django.core.exceptions import ValidationError
from django.db import connection

import pytest

from sessions_app import rota_services
from sessions_app.models import Assignment, MeetingEvent, SwapRequest
from tests.conftest import require_service
from tests.integration.test_group_concurrency import race
from tests.sessions_app.rota_factories import upcoming, weekly_group

pytestmark = pytest.mark.services


@pytest.fixture
def slow_check(monkeypatch):
    """Hold each transaction a moment after it checked the swap is open, so
    the two accepts overlap for certain: without the lock both would pass."""
    checked = rota_services._check_can_accept

    def check(swap, taker):
        checked(swap, taker)
        time.sleep(0.3)

    monkeypatch.setattr(rota_services, "_check_can_accept", check)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_accepting_at_once_one_wins_the_other_is_told(attempt, slow_check):
    require_service("PostgreSQL", connection.vendor == "postgresql", "row locks")
    group, lead, (asker, first, second) = weekly_group(members=3)
    assignment = rota_services.assignment_set(
        meeting=upcoming(group)[0],
        membership=asker,
        role="facilitator",
        acting_user=lead.user,
        confirm=True,
    )
    swap = rota_services.swap_request(assignment=assignment, acting_user=asker.user)
    results = race(
        lambda: rota_services.swap_accept(swap=swap, acting_user=first.user),
        lambda: rota_services.swap_accept(swap=swap, acting_user=second.user),
    )
    won = [r for r in results if isinstance(r, Assignment)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 1, results
    assert len(refused) == 1, results
    winner = won[0].membership
    assert refused[0].messages == [
        f"{winner.user.display_name} already took this meeting."
    ]
    assignment.refresh_from_db()
    swap.refresh_from_db()
    assert assignment.membership == winner
    assert swap.accepted_by == winner
    assert swap.status == SwapRequest.Status.ACCEPTED
    assert MeetingEvent.objects.filter(kind=MeetingEvent.Kind.SWAPPED).count() == 1
