"""Attendance: the facilitator's page, check-in, "did not meet", history,
bad input and query counts."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from groups.models import Membership
from sessions_app import attendance_services as services
from sessions_app.attendance_selectors import attendance_roster
from sessions_app.models import Attendance, Meeting, MeetingEvent
from tests.groups.factories import MembershipFactory
from tests.roles import (
    LEAD,
    LEADS_ONLY,
    LOGIN,
    MEMBER,
    OTHER_GROUP_MEMBER,
    check_roles,
    expect,
)
from tests.sessions_app.attendance_helpers import (
    agree,
    agree_all,
    facilitate,
    meeting_ended,
    meeting_now,
    url,
)
from tests.sessions_app.factories import MeetingFactory

pytestmark = pytest.mark.django_db
Status = Attendance.Status


def membership(roles, role):
    return Membership.objects.get(group=roles.group, user=roles[role])


@pytest.fixture
def now_meeting(roles):
    agree_all(roles)
    return meeting_now(roles.group)


class TestRoles:
    def test_attendance_page_is_for_runners(self, client, roles, now_meeting):
        check_roles(client, roles, url("attendance", now_meeting), LEADS_ONLY)

    def test_the_meetings_facilitator_takes_attendance(
        self, client, roles, now_meeting
    ):
        facilitate(now_meeting, membership(roles, MEMBER))
        check_roles(
            client,
            roles,
            url("attendance", now_meeting),
            expect(LOGIN, 404, 200, 200, 404),
        )

    def test_marking_is_for_runners(self, client, roles, now_meeting):
        target = membership(roles, MEMBER)
        check_roles(
            client,
            roles,
            url("attendance", now_meeting),
            expect(LOGIN, 404, 403, 302, 404),
            method="post",
            data={"membership": target.pk, "status": "present"},
        )
        row = Attendance.objects.get(meeting=now_meeting)
        assert (row.membership, row.status, row.marked_by) == (
            target,
            Status.PRESENT,
            roles[LEAD],
        )

    def test_check_in_is_for_members_of_the_group(self, client, roles, now_meeting):
        check_roles(
            client,
            roles,
            url("check_in", now_meeting),
            expect(LOGIN, 404, 302, 302, 404),
            method="post",
        )
        rows = Attendance.objects.filter(meeting=now_meeting)
        assert {r.membership.user for r in rows} == {roles[MEMBER], roles[LEAD]}
        assert all(r.self_checked_in and r.status == Status.PRESENT for r in rows)

    def test_check_in_is_post_only(self, client, roles, now_meeting):
        client.force_login(roles[MEMBER])
        assert client.get(url("check_in", now_meeting)).status_code == 405

    def test_unagreed_guidelines_hide_the_page(self, client, roles):
        meeting = meeting_now(roles.group)  # nobody agreed to anything
        client.force_login(roles[LEAD])
        assert client.get(url("attendance", meeting)).status_code == 404

    def test_meeting_page_slot(self, client, roles, now_meeting):
        client.force_login(roles[LEAD])
        page = client.get(now_meeting.get_absolute_url()).content.decode()
        assert "Take attendance" in page
        client.force_login(roles[MEMBER])
        page = client.get(now_meeting.get_absolute_url()).content.decode()
        assert "Take attendance" not in page
        assert "I&#x27;m here" in page or "I'm here" in page
        client.post(url("check_in", now_meeting))
        page = client.get(now_meeting.get_absolute_url()).content.decode()
        assert "You are checked in" in page


class TestPage:
    def test_one_tap_without_javascript_redirects_to_the_row(
        self, client, roles, now_meeting
    ):
        target = membership(roles, MEMBER)
        client.force_login(roles[LEAD])
        response = client.post(
            url("attendance", now_meeting),
            {"membership": target.pk, "status": "excused"},
        )
        assert response["Location"].endswith(f"#m-{target.pk}")
        assert Attendance.objects.get(membership=target).status == Status.EXCUSED

    def test_one_tap_with_htmx_answers_the_row(self, client, roles, now_meeting):
        target = membership(roles, MEMBER)
        client.force_login(roles[LEAD])
        response = client.post(
            url("attendance", now_meeting),
            {"membership": target.pk, "status": "absent"},
            headers={"HX-Request": "true"},
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert body.strip().startswith('<li class="list-group-item attendance-row"')
        assert 'value="absent" class="btn btn-lg btn-secondary"' in body
        assert 'aria-pressed="true"' in body

    def test_everyone_present_and_did_not_meet(self, client, roles, now_meeting):
        client.force_login(roles[LEAD])
        client.post(url("attendance", now_meeting), {"action": "all_present"})
        assert (
            Attendance.objects.filter(
                meeting=now_meeting, status=Status.PRESENT
            ).count()
            == 2
        )
        now_meeting.refresh_from_db()
        assert now_meeting.status == Meeting.Status.HELD
        client.post(url("attendance", now_meeting), {"action": "did_not_meet"})
        now_meeting.refresh_from_db()
        assert now_meeting.status == Meeting.Status.DID_NOT_MEET
        assert not Attendance.objects.filter(meeting=now_meeting).exists()

    def test_page_has_no_inline_script_or_style(self, client, roles, now_meeting):
        client.force_login(roles[LEAD])
        body = client.get(url("attendance", now_meeting)).content.decode()
        assert "style=" not in body
        assert "<script>" not in body
        assert "Mark everyone present" in body
        assert "Did not meet" in body

    @pytest.mark.parametrize("size", [5, 40])
    def test_query_count_does_not_grow_with_the_roster(
        self, client, roles, now_meeting, size, django_assert_num_queries
    ):
        for _ in range(size - 2):
            extra = MembershipFactory(group=roles.group)
            services.attendance_mark(
                meeting=now_meeting,
                membership=extra,
                status=Status.ABSENT,
                acting_user=roles[LEAD],
            )
        client.force_login(roles[LEAD])
        with django_assert_num_queries(8):
            response = client.get(url("attendance", now_meeting))
        assert response.content.decode().count("attendance-row") == size


class TestBadInput:
    def test_cancelled_meeting_refuses_attendance(self, client, roles):
        agree_all(roles)
        meeting = meeting_now(roles.group, status=Meeting.Status.CANCELLED)
        client.force_login(roles[LEAD])
        response = client.post(
            url("attendance", meeting),
            {"membership": membership(roles, MEMBER).pk, "status": "present"},
            follow=True,
        )
        assert "cancelled" in response.content.decode()
        assert Attendance.objects.count() == 0
        with pytest.raises(ValidationError, match="cancelled"):
            services.attendance_mark_all_present(
                meeting=meeting, acting_user=roles[LEAD]
            )
        assert Attendance.objects.count() == 0

    def test_forged_member_of_another_group_is_404(self, client, roles, now_meeting):
        outsider = Membership.objects.get(user=roles[OTHER_GROUP_MEMBER])
        client.force_login(roles[LEAD])
        response = client.post(
            url("attendance", now_meeting),
            {"membership": outsider.pk, "status": "present"},
        )
        assert response.status_code == 404
        assert Attendance.objects.count() == 0
        with pytest.raises(ValidationError, match="roster"):
            services.attendance_mark(
                meeting=now_meeting,
                membership=outsider,
                status=Status.PRESENT,
                acting_user=roles[LEAD],
            )
        assert Attendance.objects.count() == 0

    @pytest.mark.parametrize("status", ["here", "", "PRESENT"])
    def test_unknown_status(self, client, roles, now_meeting, status):
        client.force_login(roles[LEAD])
        response = client.post(
            url("attendance", now_meeting),
            {"membership": membership(roles, MEMBER).pk, "status": status},
            follow=True,
        )
        assert "Choose present, absent or excused" in response.content.decode()
        assert Attendance.objects.count() == 0
        assert Meeting.objects.get(pk=now_meeting.pk).status == "scheduled"

    def test_paused_member_is_not_rostered(self, roles, now_meeting):
        paused = MembershipFactory(group=roles.group, status=Membership.Status.PAUSED)
        with pytest.raises(ValidationError, match="roster"):
            services.attendance_mark(
                meeting=now_meeting,
                membership=paused,
                status=Status.PRESENT,
                acting_user=roles[LEAD],
            )
        services.attendance_mark_all_present(
            meeting=now_meeting, acting_user=roles[LEAD]
        )
        assert not Attendance.objects.filter(membership=paused).exists()
        assert paused.pk not in {p.pk for p in attendance_roster(meeting=now_meeting)}

    def test_future_meeting_refuses_attendance(self, roles):
        agree_all(roles)
        meeting = MeetingFactory(group=roles.group)  # tomorrow
        with pytest.raises(ValidationError, match="not started"):
            services.attendance_mark_all_present(
                meeting=meeting, acting_user=roles[LEAD]
            )
        with pytest.raises(ValidationError, match="30 minutes"):
            services.attendance_check_in(meeting=meeting, user=roles[MEMBER])
        assert Attendance.objects.count() == 0
        assert Meeting.objects.get(pk=meeting.pk).status == "scheduled"

    @pytest.mark.parametrize(
        ("starts_in", "allowed"),
        [
            (timedelta(minutes=31), False),
            (timedelta(minutes=29), True),
            (timedelta(minutes=-89), True),
            (timedelta(minutes=-91), False),
        ],
    )
    def test_check_in_window(self, client, roles, starts_in, allowed):
        agree_all(roles)
        meeting = MeetingFactory(
            group=roles.group, starts_at=timezone.now() + starts_in
        )
        client.force_login(roles[MEMBER])
        response = client.post(url("check_in", meeting), follow=True)
        assert Attendance.objects.count() == (1 if allowed else 0)
        if not allowed:
            assert "Check-in is open from 30 minutes before" in (
                response.content.decode()
            )

    def test_check_in_by_a_paused_member_is_refused(self, roles, now_meeting):
        member = membership(roles, MEMBER)
        member.status = Membership.Status.PAUSED
        member.save()
        with pytest.raises(ValidationError, match="active members"):
            services.attendance_check_in(meeting=now_meeting, user=roles[MEMBER])
        assert Attendance.objects.count() == 0


class TestHeldAndHistory:
    def test_first_attendance_makes_the_meeting_held(self, roles, now_meeting):
        services.attendance_check_in(meeting=now_meeting, user=roles[MEMBER])
        now_meeting.refresh_from_db()
        assert now_meeting.status == Meeting.Status.HELD
        # During the meeting, marks are not history; only the status change is.
        assert list(
            MeetingEvent.objects.filter(meeting=now_meeting).values_list(
                "kind", flat=True
            )
        ) == [MeetingEvent.Kind.STATUS]

    def test_edits_after_the_meeting_are_kept_in_history(self, client, roles):
        agree_all(roles)
        meeting = meeting_ended(roles.group)
        target = membership(roles, MEMBER)
        services.attendance_mark(
            meeting=meeting,
            membership=target,
            status=Status.PRESENT,
            acting_user=roles[LEAD],
        )
        services.attendance_mark(
            meeting=meeting,
            membership=target,
            status=Status.EXCUSED,
            acting_user=roles[LEAD],
        )
        services.attendance_mark(  # no change, no history
            meeting=meeting,
            membership=target,
            status=Status.EXCUSED,
            acting_user=roles[LEAD],
        )
        events = list(
            MeetingEvent.objects.filter(
                meeting=meeting, kind=MeetingEvent.Kind.ATTENDANCE
            ).order_by("pk")
        )
        assert [(e.actor, e.detail) for e in events] == [
            (roles[LEAD], f"Member #{target.pk}: not marked → Present"),
            (roles[LEAD], f"Member #{target.pk}: Present → Excused"),
        ]
        # History names people by number only (members see the meeting's
        # history); the runner's page shows the name.
        assert roles[MEMBER].display_name not in events[0].detail
        client.force_login(roles[LEAD])
        body = client.get(url("attendance", meeting)).content.decode()
        assert f"{roles[MEMBER].display_name}: Present → Excused" in body

    def test_mark_all_after_the_meeting_writes_one_event_per_change(self, roles):
        agree_all(roles)
        meeting = meeting_ended(roles.group)
        changed = services.attendance_mark_all_present(
            meeting=meeting, acting_user=roles[LEAD]
        )
        assert changed == 2
        assert (
            MeetingEvent.objects.filter(
                meeting=meeting, kind=MeetingEvent.Kind.ATTENDANCE
            ).count()
            == 2
        )

    def test_marking_a_did_not_meet_meeting_means_it_met(self, roles, now_meeting):
        services.meeting_did_not_meet(meeting=now_meeting, acting_user=roles[LEAD])
        services.attendance_mark(
            meeting=now_meeting,
            membership=membership(roles, MEMBER),
            status=Status.PRESENT,
            acting_user=roles[LEAD],
        )
        now_meeting.refresh_from_db()
        assert now_meeting.status == Meeting.Status.HELD
        details = set(
            MeetingEvent.objects.filter(
                meeting=now_meeting, kind=MeetingEvent.Kind.STATUS
            ).values_list("detail", flat=True)
        )
        assert details == {"Scheduled → Did not meet", "Did not meet → Held"}

    def test_check_in_on_a_did_not_meet_meeting_is_refused(self, roles, now_meeting):
        services.meeting_did_not_meet(meeting=now_meeting, acting_user=roles[LEAD])
        with pytest.raises(ValidationError, match="did not meet"):
            services.attendance_check_in(meeting=now_meeting, user=roles[MEMBER])
        assert Attendance.objects.count() == 0

    def test_archived_group_is_read_only(self, roles, now_meeting):
        roles.group.archived_at = timezone.now()
        roles.group.save()
        now_meeting.refresh_from_db()
        with pytest.raises(ValidationError, match="archived"):
            services.attendance_mark_all_present(
                meeting=now_meeting, acting_user=roles[LEAD]
            )
        assert Attendance.objects.count() == 0


def test_roster_is_one_query(roles):
    agree(roles.group, [roles[MEMBER], roles[LEAD]])
    meeting = meeting_ended(roles.group)
    left = MembershipFactory(group=roles.group)
    services.attendance_mark_all_present(meeting=meeting, acting_user=roles[LEAD])
    left.status = Membership.Status.LEFT
    left.save()
    with CaptureQueriesContext(connection) as queries:
        roster = attendance_roster(meeting=meeting)
        names = [
            (p.user.display_name, p.attendance_status, p.on_roster) for p in roster
        ]
    assert len(queries) == 1
    assert (left.user.display_name, "present", False) in names
    assert len(names) == 3
