"""Swaps: named and open offers, who may take them, and taking one twice."""

from django.core.exceptions import ValidationError

import pytest

from sessions_app import rota_services
from sessions_app.models import MeetingEvent, SwapRequest
from tests.sessions_app.rota_factories import rota_member, upcoming, weekly_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned():
    group, lead, (asker, named, anyone) = weekly_group(members=3)
    assignment = rota_services.assignment_set(
        meeting=upcoming(group)[0],
        membership=asker,
        role="facilitator",
        acting_user=lead.user,
        confirm=True,
    )
    return group, lead, asker, named, anyone, assignment


def test_a_named_offer_is_for_that_member_only(assigned):
    _group, _lead, asker, named, anyone, assignment = assigned
    swap = rota_services.swap_request(
        assignment=assignment, acting_user=asker.user, offered_to=named, message="Ill"
    )
    event = assignment.meeting.events.get(kind=MeetingEvent.Kind.SWAP_ASKED)
    assert named.user.display_name in event.detail
    with pytest.raises(ValidationError, match="made to someone else"):
        rota_services.swap_accept(swap=swap, acting_user=anyone.user)
    taken = rota_services.swap_accept(swap=swap, acting_user=named.user)
    assert taken.pk == assignment.pk
    assert taken.membership == named
    assert taken.reason == f"took over from {asker.user.display_name} (swap)"
    swap.refresh_from_db()
    assert swap.status == SwapRequest.Status.ACCEPTED
    assert swap.accepted_by == named
    swapped = assignment.meeting.events.get(kind=MeetingEvent.Kind.SWAPPED)
    assert swapped.actor == named.user
    assert "took over from" in swapped.detail


def test_an_open_offer_goes_to_the_first_eligible_to_accept(assigned):
    _group, _lead, asker, named, anyone, assignment = assigned
    swap = rota_services.swap_request(assignment=assignment, acting_user=asker.user)
    rota_services.swap_accept(swap=swap, acting_user=anyone.user)
    with pytest.raises(ValidationError) as caught:
        rota_services.swap_accept(swap=swap, acting_user=named.user)
    assert caught.value.messages == [
        f"{anyone.user.display_name} already took this meeting."
    ]
    assignment.refresh_from_db()
    assert assignment.membership == anyone


@pytest.mark.parametrize(
    "who", ["off_rota", "not_agreed", "lead_not_in_rota", "requester"]
)
def test_accepting_needs_an_eligible_member(assigned, who):
    group, lead, asker, _named, _anyone, assignment = assigned
    swap = rota_services.swap_request(assignment=assignment, acting_user=asker.user)
    user = {
        "off_rota": lambda: rota_member(group, takes_part_in_rota=False).user,
        "not_agreed": lambda: rota_member(group, agreed=False).user,
        "lead_not_in_rota": lambda: lead.user,
        "requester": lambda: asker.user,
    }[who]()
    with pytest.raises(ValidationError):
        rota_services.swap_accept(swap=swap, acting_user=user)
    swap.refresh_from_db()
    assignment.refresh_from_db()
    assert swap.status == SwapRequest.Status.OPEN
    assert assignment.membership == asker


def test_only_the_facilitator_asks_and_only_once(assigned):
    _group, _lead, asker, named, _anyone, assignment = assigned
    with pytest.raises(ValidationError, match="Only the assigned facilitator"):
        rota_services.swap_request(assignment=assignment, acting_user=named.user)
    rota_services.swap_request(assignment=assignment, acting_user=asker.user)
    with pytest.raises(ValidationError, match="already asked"):
        rota_services.swap_request(assignment=assignment, acting_user=asker.user)
    assert SwapRequest.objects.count() == 1


def test_a_long_message_is_refused_whole(assigned):
    _group, _lead, asker, _named, _anyone, assignment = assigned
    with pytest.raises(ValidationError, match="300 characters"):
        rota_services.swap_request(
            assignment=assignment, acting_user=asker.user, message="x" * 10_000
        )
    assert not SwapRequest.objects.exists()
    assert not MeetingEvent.objects.filter(kind="swap_asked").exists()


def test_withdrawn_cannot_be_taken_and_taken_cannot_be_withdrawn(assigned):
    _group, _lead, asker, named, _anyone, assignment = assigned
    swap = rota_services.swap_request(assignment=assignment, acting_user=asker.user)
    with pytest.raises(ValidationError, match="Only the person who asked"):
        rota_services.swap_withdraw(swap=swap, acting_user=named.user)
    rota_services.swap_withdraw(swap=swap, acting_user=asker.user)
    with pytest.raises(ValidationError, match="withdrawn"):
        rota_services.swap_accept(swap=swap, acting_user=named.user)
    second = rota_services.swap_request(assignment=assignment, acting_user=asker.user)
    rota_services.swap_accept(swap=second, acting_user=named.user)
    with pytest.raises(ValidationError, match="already took"):
        rota_services.swap_withdraw(swap=second, acting_user=asker.user)
    kinds = list(
        assignment.meeting.events.order_by("at", "pk").values_list("kind", flat=True)
    )
    assert kinds == ["assigned", "swap_asked", "swap_asked", "swap_asked", "swapped"]


def test_the_taker_must_not_already_facilitate_it(assigned):
    _group, lead, asker, named, _anyone, assignment = assigned
    rota_services.assignment_set(
        meeting=assignment.meeting,
        membership=named,
        role="co_facilitator",
        acting_user=lead.user,
        confirm=True,
    )
    swap = rota_services.swap_request(assignment=assignment, acting_user=asker.user)
    with pytest.raises(ValidationError, match="already facilitate"):
        rota_services.swap_accept(swap=swap, acting_user=named.user)
