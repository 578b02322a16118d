"""The rota's pages: every URL for every role, bad input on every form, and
query counts that do not grow with the group."""

from datetime import time, timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from groups.models import Membership
from sessions_app import rota_services, services
from sessions_app.models import (
    Assignment,
    Blockout,
    FacilitationPreference,
    SwapRequest,
)
from tests.roles import (
    INSIDE_GROUP,
    LEAD,
    LEADS_ONLY,
    LOGIN,
    MEMBER,
    check_roles,
    expect,
)
from tests.sessions_app.rota_factories import (
    agree,
    publish_guidelines,
    rota_member,
    upcoming,
    weekly_group,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rota_roles(roles):
    """roles.group with guidelines both role users agreed to, the member on
    the rota, weekly meetings, and the member facilitating the first."""
    group = roles.group
    lead = group.memberships.get(user=roles[LEAD])
    member = group.memberships.get(user=roles[MEMBER])
    publish_guidelines(group, lead.user)
    agree(member)
    member.takes_part_in_rota = True
    member.save()
    start = timezone.localdate() + timedelta(days=1)
    services.schedule_create(
        group=group,
        acting_user=lead.user,
        frequency="weekly",
        weekday=start.weekday(),
        local_time=time(18, 0),
        starts_on=start,
    )
    first = upcoming(group)[0]
    assignment = rota_services.assignment_set(
        meeting=first,
        membership=member,
        role="facilitator",
        acting_user=lead.user,
        confirm=True,
    )
    roles.lead_membership, roles.member_membership = lead, member
    roles.meeting, roles.assignment = first, assignment
    return roles


def url(name, **kwargs):
    return reverse(f"sessions_app:{name}", kwargs=kwargs)


class TestRoles:
    @pytest.mark.parametrize("name", ["rota", "rota_me"])
    def test_pages_for_the_group(self, client, rota_roles, name):
        check_roles(
            client, rota_roles, url(name, slug=rota_roles.group.slug), INSIDE_GROUP
        )

    def test_rota_is_404_before_agreeing_to_the_current_guidelines(self, client):
        group, _lead, (member,) = weekly_group(members=1)
        not_agreed = rota_member(group, agreed=False)
        client.force_login(not_agreed.user)
        assert client.get(url("rota", slug=group.slug)).status_code == 404
        client.force_login(member.user)
        assert client.get(url("rota", slug=group.slug)).status_code == 200

    def test_assign_by_hand_is_for_leads(self, client, rota_roles):
        target = url(
            "rota_assign", slug=rota_roles.group.slug, pk=rota_roles.meeting.pk
        )
        check_roles(client, rota_roles, target, LEADS_ONLY)

    def test_asking_for_a_swap_is_for_the_assigned_facilitator(
        self, client, rota_roles
    ):
        target = url(
            "swap_request", slug=rota_roles.group.slug, pk=rota_roles.meeting.pk
        )
        check_roles(client, rota_roles, target, expect(LOGIN, 404, 200, 403, 404))

    @pytest.mark.parametrize(
        ("name", "inside"),
        [
            ("rota_participation", 302),  # empty: "not taking part", saved
            ("blockout_add", 200),  # empty: shown again with errors
            ("preference_set", 200),
        ],
    )
    def test_my_settings_posts(self, client, rota_roles, name, inside):
        check_roles(
            client,
            rota_roles,
            url(name, slug=rota_roles.group.slug),
            expect(LOGIN, 404, inside, inside, 404),
            method="post",
        )

    def test_removing_a_blockout_only_ones_own(self, client, rota_roles):
        member = rota_roles.member_membership
        blockout = rota_services.blockout_add(
            membership=member,
            acting_user=member.user,
            kind="week_of_month",
            week_of_month=1,
        )
        target = url("blockout_remove", slug=rota_roles.group.slug, pk=blockout.pk)
        check_roles(
            client, rota_roles, target, expect(LOGIN, 404, 302, 404, 404), method="post"
        )
        assert not Blockout.objects.exists()

    def test_autofill_and_undo_are_for_leads(self, client, rota_roles):
        slug = rota_roles.group.slug
        check_roles(
            client,
            rota_roles,
            url("rota_autofill", slug=slug),
            expect(LOGIN, 404, 403, 302, 404),
            method="post",
        )
        run = rota_roles.group.autofill_runs.get()
        check_roles(
            client,
            rota_roles,
            url("rota_autofill_undo", slug=slug, pk=run.pk),
            expect(LOGIN, 404, 403, 302, 404),
            method="post",
        )
        run.refresh_from_db()
        assert run.undone_at is not None

    def test_unassign_is_for_leads(self, client, rota_roles):
        target = url(
            "rota_unassign",
            slug=rota_roles.group.slug,
            pk=rota_roles.meeting.pk,
            assignment_pk=rota_roles.assignment.pk,
        )
        check_roles(
            client, rota_roles, target, expect(LOGIN, 404, 403, 302, 404), method="post"
        )
        assert not Assignment.objects.filter(pk=rota_roles.assignment.pk).exists()

    def test_accept_and_withdraw(self, client, rota_roles):
        other = rota_member(rota_roles.group)
        swap = rota_services.swap_request(
            assignment=rota_roles.assignment,
            acting_user=rota_roles[MEMBER],
        )
        # Everyone inside is sent back to the meeting with a message; only
        # someone eligible could take it, and neither role user is.
        check_roles(
            client,
            rota_roles,
            url("swap_accept", pk=swap.pk),
            expect(LOGIN, 404, 302, 302, 404),
            method="post",
        )
        swap.refresh_from_db()
        assert swap.status == SwapRequest.Status.OPEN
        check_roles(
            client,
            rota_roles,
            url("swap_withdraw", pk=swap.pk),
            expect(LOGIN, 404, 302, 302, 404),
            method="post",
        )
        swap.refresh_from_db()
        assert swap.status == SwapRequest.Status.WITHDRAWN
        assert other  # on the rota, but nobody asked them to act here


class TestMeetingPage:
    def test_shows_reasons_swap_offers_and_the_right_buttons(self, client, rota_roles):
        other = rota_member(rota_roles.group)
        rota_services.swap_request(
            assignment=rota_roles.assignment,
            acting_user=rota_roles[MEMBER],
            message="Away that week",
        )
        meeting_url = rota_roles.meeting.get_absolute_url()
        client.force_login(rota_roles[MEMBER])
        page = client.get(meeting_url).content.decode()
        assert "assigned by hand by" in page
        assert "Withdraw my request" in page
        assert "I'll take it" not in page
        client.force_login(other.user)
        page = client.get(meeting_url).content.decode()
        assert "I'll take it" in page
        assert "Away that week" in page
        client.force_login(rota_roles[LEAD])
        page = client.get(meeting_url).content.decode()
        assert "Assign by hand" in page
        assert "I'll take it" not in page

    def test_the_facilitator_is_offered_to_ask_someone(self, client, rota_roles):
        client.force_login(rota_roles[MEMBER])
        page = client.get(rota_roles.meeting.get_absolute_url()).content.decode()
        assert "Ask someone to take this" in page

    def test_swap_accepted_through_the_page(self, client, rota_roles):
        other = rota_member(rota_roles.group)
        swap = rota_services.swap_request(
            assignment=rota_roles.assignment, acting_user=rota_roles[MEMBER]
        )
        client.force_login(other.user)
        response = client.post(url("swap_accept", pk=swap.pk), follow=True)
        assert "You have taken this meeting" in response.content.decode()
        rota_roles.assignment.refresh_from_db()
        assert rota_roles.assignment.membership == other
        response = client.post(url("swap_accept", pk=swap.pk), follow=True)
        assert "already took this meeting" in response.content.decode()


class TestBadInput:
    def _post(self, client, rota_roles, name, data, user=MEMBER):
        client.force_login(rota_roles[user])
        return client.post(url(name, slug=rota_roles.group.slug), data)

    @pytest.mark.parametrize(
        ("data", "error"),
        [
            (
                {"kind": "range", "starts_on": "2027-05-02", "ends_on": "2027-05-01"},
                "The last date is before the first date.",
            ),
            ({"kind": "range", "ends_on": "2027-05-01"}, "Give the first date."),
            (
                {"kind": "week_of_month", "week_of_month": "5"},
                "Select a valid choice.",
            ),
            (
                {"kind": "week_of_month", "week_of_month": "0"},
                "Select a valid choice.",
            ),
            ({"kind": "week_of_month"}, "Choose a week of the month."),
            (
                {
                    "kind": "range",
                    "starts_on": "2027-05-01",
                    "ends_on": "2027-05-01",
                    "note": "x" * 10_000,
                },
                "at most 120 characters",
            ),
        ],
    )
    def test_blockouts(self, client, rota_roles, data, error):
        response = self._post(client, rota_roles, "blockout_add", data)
        assert response.status_code == 200
        assert error in response.content.decode()
        assert not Blockout.objects.exists()

    @pytest.mark.parametrize(
        ("data", "error"),
        [
            ({"max_times": "0", "per_weeks": "4"}, "greater than or equal to 1"),
            ({"max_times": "500", "per_weeks": "4"}, "less than or equal to 52"),
            ({"max_times": "1", "per_weeks": "0"}, "greater than or equal to 1"),
            ({"max_times": "1", "per_weeks": "53"}, "less than or equal to 52"),
        ],
    )
    def test_preference(self, client, rota_roles, data, error):
        response = self._post(client, rota_roles, "preference_set", data)
        assert response.status_code == 200
        assert error in response.content.decode()
        assert not FacilitationPreference.objects.exists()

    def test_assigning_a_forged_membership_of_another_group_is_404(
        self, client, rota_roles
    ):
        stranger = rota_roles.other_group.memberships.get()
        client.force_login(rota_roles[LEAD])
        target = url(
            "rota_assign", slug=rota_roles.group.slug, pk=rota_roles.meeting.pk
        )
        response = client.post(
            target, {"role": "co_facilitator", "membership": stranger.pk}
        )
        assert response.status_code == 404
        assert rota_roles.meeting.assignments.count() == 1

    def test_assigning_someone_not_eligible_warns_then_confirms(
        self, client, rota_roles
    ):
        off_rota = rota_member(rota_roles.group, takes_part_in_rota=False)
        client.force_login(rota_roles[LEAD])
        target = url(
            "rota_assign", slug=rota_roles.group.slug, pk=rota_roles.meeting.pk
        )
        data = {"role": "facilitator", "membership": off_rota.pk}
        page = client.post(target, data).content.decode()
        assert "This breaks the rota" in page
        assert "does not take part in the rota" in page
        rota_roles.assignment.refresh_from_db()
        assert rota_roles.assignment.membership == rota_roles.member_membership
        response = client.post(target, {**data, "confirm": "on"})
        assert response.status_code == 302
        rota_roles.assignment.refresh_from_db()
        assert rota_roles.assignment.membership == off_rota

    def test_assign_with_a_bad_role(self, client, rota_roles):
        client.force_login(rota_roles[LEAD])
        target = url(
            "rota_assign", slug=rota_roles.group.slug, pk=rota_roles.meeting.pk
        )
        response = client.post(
            target, {"role": "boss", "membership": rota_roles.member_membership.pk}
        )
        assert "Select a valid choice" in response.content.decode()

    def test_a_10_kb_swap_message_is_refused(self, client, rota_roles):
        client.force_login(rota_roles[MEMBER])
        target = url(
            "swap_request", slug=rota_roles.group.slug, pk=rota_roles.meeting.pk
        )
        response = client.post(target, {"message": "x" * 10_000})
        assert "at most 300 characters" in response.content.decode()
        assert not SwapRequest.objects.exists()

    def test_a_swap_offered_to_a_forged_member_is_404(self, client, rota_roles):
        stranger = rota_roles.other_group.memberships.get()
        client.force_login(rota_roles[MEMBER])
        target = url(
            "swap_request", slug=rota_roles.group.slug, pk=rota_roles.meeting.pk
        )
        response = client.post(target, {"offered_to": stranger.pk})
        assert response.status_code == 404
        assert not SwapRequest.objects.exists()

    def test_a_swap_offered_to_someone_off_the_rota_is_refused(
        self, client, rota_roles
    ):
        off_rota = rota_member(rota_roles.group, takes_part_in_rota=False)
        client.force_login(rota_roles[MEMBER])
        target = url(
            "swap_request", slug=rota_roles.group.slug, pk=rota_roles.meeting.pk
        )
        response = client.post(target, {"offered_to": off_rota.pk})
        assert "Choose someone on the rota." in response.content.decode()
        assert not SwapRequest.objects.exists()


class TestQueryCounts:
    @pytest.mark.parametrize("size", [5, 40])
    def test_rota_page(self, client, django_assert_num_queries, size):
        group, lead, people = weekly_group(members=size)
        rota_services.autofill_run(group=group, acting_user=lead.user)
        rota_services.swap_request(
            assignment=Assignment.objects.filter(meeting__group=group).first(),
            acting_user=Assignment.objects.filter(meeting__group=group)
            .first()
            .membership.user,
        )
        for person in people[:3]:
            rota_services.blockout_add(
                membership=person,
                acting_user=person.user,
                kind="week_of_month",
                week_of_month=2,
            )
        assert len(upcoming(group)) == 12
        client.force_login(lead.user)
        # Session, user, the group with membership, guidelines agreed,
        # meetings, assignments, open swaps, members with loads, runs.
        with django_assert_num_queries(9):
            response = client.get(url("rota", slug=group.slug))
        assert response.status_code == 200
        assert response.content.decode().count("</tr>") >= 12 + size


def test_the_group_tabs_link_the_rota(client):
    group, _lead, people = weekly_group(members=1)
    client.force_login(people[0].user)
    page = client.get(reverse("sessions_app:meetings", kwargs={"slug": group.slug}))
    assert url("rota", slug=group.slug) in page.content.decode()


def test_paused_members_see_the_rota_but_are_not_on_it(client):
    group, _lead, (member,) = weekly_group(members=1)
    member.status = Membership.Status.PAUSED
    member.save()
    client.force_login(member.user)
    page = client.get(url("rota", slug=group.slug)).content.decode()
    assert "Nobody is on the rota yet." in page


def test_rota_page_shows_loads_and_the_balance(client):
    from tests.sessions_app.rota_factories import past_meeting

    group, _lead, (busy, idle) = weekly_group(members=2)
    for weeks in (2, 4, 6):
        past_meeting(group, weeks_ago=weeks, facilitator=busy)
    past_meeting(group, weeks_ago=30, facilitator=idle)  # older than 6 months
    past_meeting(group, weeks_ago=3, facilitator=idle, status="cancelled")
    client.force_login(idle.user)
    page = client.get(url("rota", slug=group.slug)).content.decode()
    assert "Balance: <strong>3</strong>" in page
    assert "Experienced" in page
    assert "Newcomer (1 of 3)" in page
