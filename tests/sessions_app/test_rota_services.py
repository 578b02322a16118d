"""The rota's services against the database: eligibility, auto-fill with
reasons and runs, undo, assignment by hand, preferences and blockouts."""

import itertools
from datetime import date, timedelta

from django.core.exceptions import ValidationError

import pytest

from groups import services as group_services
from groups.models import Membership
from sessions_app import rota_selectors, rota_services, services
from sessions_app.models import (
    Assignment,
    AutoFillRun,
    Blockout,
    FacilitationPreference,
    MeetingEvent,
)
from tests.sessions_app.rota_factories import (
    past_meeting,
    publish_guidelines,
    rota_member,
    upcoming,
    weekly_group,
)

pytestmark = pytest.mark.django_db


class TestEligibility:
    def test_only_active_rota_members_who_agreed_to_the_current_version(self):
        group, _lead, (eligible, *_) = weekly_group(members=1)
        not_in_rota = rota_member(group, takes_part_in_rota=False)
        not_agreed = rota_member(group, agreed=False)
        paused = rota_member(group, status=Membership.Status.PAUSED)
        left = rota_member(group, status=Membership.Status.LEFT)
        assert list(rota_selectors.eligible_memberships(group=group)) == [eligible]
        for membership in (not_in_rota, not_agreed, paused, left):
            assert rota_selectors.why_not_eligible(membership)
        assert rota_selectors.why_not_eligible(eligible) == []

    def test_a_new_guideline_version_takes_people_off_until_they_agree(self):
        group, lead, (member,) = weekly_group(members=1)
        publish_guidelines(group, lead.user, explanation="Kindly.")  # version 2
        assert not rota_selectors.is_eligible(member)
        group_services.guideline_acknowledge(user=member.user, group=group)
        assert rota_selectors.is_eligible(member)


class TestAutoFill:
    def test_fills_every_coming_meeting_with_reasons_and_a_run(self):
        group, lead, people = weekly_group(members=3)
        result = rota_services.autofill_run(group=group, acting_user=lead.user)
        meetings = upcoming(group)
        assert result.run is not None
        assert result.unfilled == []
        leads = [a for a in result.assignments if a.role == "facilitator"]
        assert sorted(a.meeting_id for a in leads) == [m.pk for m in meetings]
        assert len(meetings) == 12
        assert all(
            a.autofill_run == result.run and a.reason for a in result.assignments
        )
        assert result.assignments[0].reason == "has not facilitated yet"
        # Newcomers all: they take turns; once one has three, they lead with a
        # newcomer beside them.
        assert [a.membership for a in leads[:3]] == people
        assert any(a.role == "co_facilitator" for a in result.assignments)
        events = MeetingEvent.objects.filter(kind=MeetingEvent.Kind.ASSIGNED)
        assert events.count() == len(result.assignments)
        assert "Auto-fill:" in events.first().detail

    def test_least_recently_first_with_the_weeks_in_the_reason(self):
        # The third member is a newcomer: paired, not leading.
        group, lead, (recent, longest, _newcomer) = weekly_group(members=3)
        for weeks in (1, 2, 3):  # experienced, both
            past_meeting(group, weeks_ago=weeks + 10, facilitator=recent)
            past_meeting(group, weeks_ago=weeks + 20, facilitator=longest)
        past_meeting(group, weeks_ago=2, facilitator=recent)
        result = rota_services.autofill_run(group=group, acting_user=lead.user)
        first = [a for a in result.assignments if a.meeting == upcoming(group)[0]]
        lead_one = next(a for a in first if a.role == Assignment.Role.FACILITATOR)
        assert lead_one.membership == longest
        assert lead_one.reason.startswith("longest since last facilitated: 21 weeks")
        co = next(a for a in first if a.role == Assignment.Role.CO_FACILITATOR)
        assert co.reason.startswith("newcomer (0 of 3 facilitated) paired with")

    def test_cancelled_meetings_do_not_count_as_facilitated(self):
        group, lead, (a, b) = weekly_group(members=2)
        for weeks in (5, 6, 7):
            past_meeting(group, weeks_ago=weeks, facilitator=a)
        past_meeting(group, weeks_ago=1, facilitator=b, status="cancelled")
        result = rota_services.autofill_run(group=group, acting_user=lead.user)
        first = result.assignments[0]
        assert first.membership == b
        assert first.reason.startswith("has not facilitated yet")

    def test_nobody_fits_leaves_it_empty_and_leads_see_it(self, client):
        group, lead, (member,) = weekly_group(members=1)
        first = upcoming(group)[0]
        day = first.starts_at.date()
        rota_services.blockout_add(
            membership=member,
            acting_user=member.user,
            kind=Blockout.Kind.RANGE,
            starts_on=day - timedelta(days=1),
            ends_on=day + timedelta(days=1),
        )
        result = rota_services.autofill_run(group=group, acting_user=lead.user)
        assert [m for m, _ in result.unfilled] == [first]
        assert result.unfilled[0][1] == "nobody fits: 1 blocked out"
        assert not first.assignments.exists()
        assert list(rota_selectors.unfilled_meetings(group=group)) == [first]
        client.force_login(lead.user)
        page = client.get(f"/meetings/{group.slug}/rota/").content.decode()
        assert "1 coming meeting without a facilitator" in page

    def test_keeps_meetings_that_have_someone_and_a_second_run_adds_nothing(self):
        group, lead, (a, b) = weekly_group(members=2)
        first = upcoming(group)[0]
        rota_services.assignment_set(
            meeting=first, membership=b, role="facilitator", acting_user=lead.user
        )
        result = rota_services.autofill_run(group=group, acting_user=lead.user)
        assert len(result.assignments) == 11
        assert first.assignments.get().membership == b
        assert upcoming(group)[1].assignments.get().membership == a  # not b again
        again = rota_services.autofill_run(group=group, acting_user=lead.user)
        assert again.run is None
        assert again.assignments == []
        assert AutoFillRun.objects.count() == 1

    def test_respects_the_frequency_preference(self):
        group, lead, (a, _b) = weekly_group(members=2)
        rota_services.preference_set(
            membership=a, acting_user=a.user, max_times=1, per_weeks=4
        )
        result = rota_services.autofill_run(group=group, acting_user=lead.user)
        mine = sorted(
            x.meeting.starts_at for x in result.assignments if x.membership == a
        )
        assert all(
            later - earlier >= timedelta(weeks=4)
            for earlier, later in itertools.pairwise(mine)
        )
        # b takes the weeks a may not, twice in a row then, and says why.
        assert result.unfilled == []
        assert any("nobody else fits" in x.reason for x in result.assignments)


class TestUndo:
    def test_removes_the_runs_assignments_not_changed_since(self):
        group, lead, (a, _b, c) = weekly_group(members=3)
        result = rota_services.autofill_run(group=group, acting_user=lead.user)
        changed = result.assignments[0]
        swapped = result.assignments[1]
        rota_services.assignment_set(
            meeting=changed.meeting,
            membership=c if changed.membership != c else a,
            role="facilitator",
            acting_user=lead.user,
            confirm=True,
        )
        swap = rota_services.swap_request(
            assignment=swapped, acting_user=swapped.membership.user
        )
        removed = rota_services.autofill_undo(run=result.run, acting_user=lead.user)
        assert removed == len(result.assignments) - 2
        assert set(Assignment.objects.values_list("pk", flat=True)) == {
            changed.pk,
            swap.assignment_id,
        }
        unassigned = MeetingEvent.objects.filter(kind=MeetingEvent.Kind.UNASSIGNED)
        assert unassigned.count() == removed
        result.run.refresh_from_db()
        assert result.run.undone_at is not None
        with pytest.raises(ValidationError, match="already undone"):
            rota_services.autofill_undo(run=result.run, acting_user=lead.user)


class TestAssignByHand:
    def test_a_broken_rule_needs_confirming_and_nothing_is_saved_before(self):
        group, lead, (a, _b) = weekly_group(members=2)
        first = upcoming(group)[0]
        rota_services.blockout_add(
            membership=a,
            acting_user=a.user,
            kind=Blockout.Kind.RANGE,
            starts_on=first.starts_at.date() - timedelta(days=3),
            ends_on=first.starts_at.date() + timedelta(days=3),
        )
        with pytest.raises(ValidationError) as caught:
            rota_services.assignment_set(
                meeting=first, membership=a, role="facilitator", acting_user=lead.user
            )
        assert caught.value.error_list[0].code == rota_services.NEEDS_CONFIRM
        assert any("blocked out" in m for m in caught.value.messages)
        assert not first.assignments.exists()
        assert not first.events.filter(kind=MeetingEvent.Kind.ASSIGNED).exists()
        assignment = rota_services.assignment_set(
            meeting=first,
            membership=a,
            role="facilitator",
            acting_user=lead.user,
            confirm=True,
        )
        assert "confirmed despite" in assignment.reason
        assert "blocked out" in first.events.get(kind="assigned").detail

    def test_someone_not_eligible_is_a_warning_to_confirm(self):
        group, lead, (_a,) = weekly_group(members=1)
        outsider_of_rota = rota_member(group, takes_part_in_rota=False)
        first = upcoming(group)[0]
        with pytest.raises(ValidationError) as caught:
            rota_services.assignment_set(
                meeting=first,
                membership=outsider_of_rota,
                role="facilitator",
                acting_user=lead.user,
            )
        assert any("does not take part in the rota" in m for m in caught.value.messages)

    def test_changing_keeps_one_row_withdraws_its_swap_and_leaves_the_run(self):
        group, lead, (a, b, c) = weekly_group(members=3)
        run = rota_services.autofill_run(group=group, acting_user=lead.user)
        assignment = run.assignments[0]
        swap = rota_services.swap_request(
            assignment=assignment, acting_user=assignment.membership.user
        )
        other = next(p for p in (a, b, c) if p != assignment.membership)
        changed = rota_services.assignment_set(
            meeting=assignment.meeting,
            membership=other,
            role="facilitator",
            acting_user=lead.user,
            confirm=True,
        )
        assert changed.pk == assignment.pk
        assert changed.autofill_run is None
        swap.refresh_from_db()
        assert swap.status == "withdrawn"
        assert (
            "replaces"
            in assignment.meeting.events.filter(kind="assigned").first().detail
        )

    def test_a_member_cannot_hold_both_roles(self):
        group, lead, (a, _b) = weekly_group(members=2)
        first = upcoming(group)[0]
        rota_services.assignment_set(
            meeting=first,
            membership=a,
            role="facilitator",
            acting_user=lead.user,
            confirm=True,
        )
        with pytest.raises(ValidationError, match="already the facilitator"):
            rota_services.assignment_set(
                meeting=first,
                membership=a,
                role="co_facilitator",
                acting_user=lead.user,
                confirm=True,
            )

    def test_a_cancelled_meeting_cannot_be_assigned(self):
        group, lead, (a,) = weekly_group(members=1)
        first = upcoming(group)[0]
        services.meeting_cancel(meeting=first, acting_user=lead.user)
        with pytest.raises(ValidationError, match="cancelled"):
            rota_services.assignment_set(
                meeting=first,
                membership=a,
                role="facilitator",
                acting_user=lead.user,
                confirm=True,
            )


class TestMySettings:
    def test_blockouts_and_preference_validate(self):
        _group, _lead, (a,) = weekly_group(members=1)
        bad = [
            {
                "kind": "range",
                "starts_on": date(2027, 5, 2),
                "ends_on": date(2027, 5, 1),
            },
            {"kind": "range", "starts_on": None, "ends_on": date(2027, 5, 1)},
            {"kind": "week_of_month", "week_of_month": 5},
            {"kind": "week_of_month", "week_of_month": 0},
            {"kind": "sometimes"},
        ]
        for fields in bad:
            with pytest.raises(ValidationError):
                rota_services.blockout_add(membership=a, acting_user=a.user, **fields)
        assert not Blockout.objects.exists()
        for max_times in (0, 500):
            with pytest.raises(ValidationError):
                rota_services.preference_set(
                    membership=a, acting_user=a.user, max_times=max_times
                )
        assert not FacilitationPreference.objects.exists()

    def test_only_the_member_changes_their_own(self):
        _group, lead, (a,) = weekly_group(members=1)
        with pytest.raises(ValidationError, match="own"):
            rota_services.preference_set(
                membership=a, acting_user=lead.user, max_times=1
            )

    def test_leaving_the_rota_takes_them_off(self):
        _group, _lead, (a,) = weekly_group(members=1)
        rota_services.rota_participation_set(
            membership=a, takes_part=False, acting_user=a.user
        )
        assert not rota_selectors.is_eligible(a)


def test_autofill_queries_do_not_grow_with_the_group():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (3, 12):
        group, lead, _ = weekly_group(members=size)
        with CaptureQueriesContext(connection) as queries:
            result = rota_services.autofill_run(group=group, acting_user=lead.user)
        assert len(result.assignments) >= 12
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_meeting_list_alert_shows_leads_the_empty_meetings():
    from django.template import Context, Template

    group, lead, (member,) = weekly_group(members=1)
    template = Template(
        "{% load rota_tags %}{% rota_unfilled_alert group membership %}"
    )
    for_lead = template.render(Context({"group": group, "membership": lead}))
    assert "12 coming meetings without a facilitator" in for_lead
    for_member = template.render(Context({"group": group, "membership": member}))
    assert "without a facilitator" not in for_member
    rota_services.autofill_run(group=group, acting_user=lead.user)
    assert "without a facilitator" not in template.render(
        Context({"group": group, "membership": lead})
    )
