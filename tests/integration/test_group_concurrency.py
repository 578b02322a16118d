"""Racing writes on the real PostgreSQL: the group row lock keeps capacity."""

import threading
import time

from django.core.exceptions import ValidationError
from django.db import connection, connections

import pytest

from groups import services
from groups.models import Membership
from tests.conftest import require_service
from tests.groups.factories import (
    GroupFactory,
    LeadMembershipFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.services


@pytest.fixture
def slow_count(monkeypatch):
    """Hold each transaction for a moment after it counted the places, so two
    racing requests overlap for certain instead of by luck."""
    from groups.services import membership

    counted = membership.places_taken

    def places_taken(group):
        taken = counted(group)
        time.sleep(0.3)
        return taken

    monkeypatch.setattr(membership, "places_taken", places_taken)


def race(*calls):
    """Run the calls at the same moment in threads with their own connections;
    return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_approvals_racing_for_the_last_place_fill_it_once(attempt, slow_count):
    require_service("PostgreSQL", connection.vendor == "postgresql", "row locks")
    group = GroupFactory(capacity=2)
    lead = LeadMembershipFactory(group=group)
    first, second = (
        MembershipFactory(group=group, status=Membership.Status.PENDING)
        for _ in range(2)
    )
    results = race(
        lambda: services.membership_approve(membership=first, acting_user=lead.user),
        lambda: services.membership_approve(membership=second, acting_user=lead.user),
    )
    approved = [r for r in results if isinstance(r, Membership)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(approved) == 1, results
    assert len(refused) == 1, results
    assert "is full" in refused[0].messages[0]
    assert group.memberships.filter(status=Membership.Status.ACTIVE).count() == 2


@pytest.mark.django_db(transaction=True)
def test_one_invitation_used_twice_at_once_admits_one_person(slow_count):
    require_service("PostgreSQL", connection.vendor == "postgresql", "row locks")
    group = GroupFactory(capacity=10)
    lead = LeadMembershipFactory(group=group)
    invitation = services.invitation_create(group=group, acting_user=lead.user)
    people = [MembershipFactory().user for _ in range(2)]
    results = race(
        *(
            (
                lambda person=person: services.invitation_accept(
                    invitation=invitation, user=person
                )
            )
            for person in people
        )
    )
    assert sum(isinstance(r, Membership) for r in results) == 1, results
    assert group.memberships.filter(status=Membership.Status.ACTIVE).count() == 2
