"""The private iCalendar feed, the one-meeting download and the settings page."""

from datetime import date, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

import icalendar
import pytest

from groups.models import Membership
from sessions_app import calendar_services, services
from sessions_app.models import Assignment, CalendarFeed
from tests.roles import (
    ANONYMOUS,
    COORDINATOR,
    INSIDE_GROUP,
    LEAD,
    MEMBER,
    OTHER_GROUP_MEMBER,
    SIGNED_IN,
    check_roles,
)
from tests.sessions_app.calendar_helpers import (
    agreed_member,
    at,
    group_with_lead,
    meeting_in,
)
from tests.sessions_app.test_meetings import agree_all

pytestmark = pytest.mark.django_db

THURSDAY = 3


def weekly_schedule(group, lead, *, starts_on, local_time=time(18, 0)):
    return services.schedule_create(
        group=group,
        acting_user=lead,
        frequency="weekly",
        weekday=THURSDAY,
        local_time=local_time,
        duration_minutes=90,
        starts_on=starts_on,
    )


def fetch_feed(client, user):
    feed = calendar_services.calendar_feed_get_or_create(user=user)
    response = client.get(feed.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_of(cal):
    return list(cal.walk("VEVENT"))


class TestDaylightSaving:
    """A weekly 18:00 meeting stays 18:00 local through both clock changes."""

    @pytest.mark.parametrize(
        ("zone", "spring", "autumn"),
        [
            # 2030: London changes on 31 March and 27 October, New York on
            # 10 March and 3 November.
            ("Europe/London", date(2030, 3, 31), date(2030, 10, 27)),
            ("America/New_York", date(2030, 3, 10), date(2030, 11, 3)),
        ],
    )
    def test_feed_and_pages_keep_local_time(self, client, zone, spring, autumn):
        frozen = at(2030, 1, 2)
        with mock.patch("django.utils.timezone.now", return_value=frozen):
            group, lead = group_with_lead(time_zone=zone)
            schedule = weekly_schedule(group, lead, starts_on=date(2030, 1, 3))
            services.meetings_generate(schedule=schedule, until=date(2030, 12, 31))
            meetings = list(schedule.meetings.order_by("starts_at"))
            assert len(meetings) == 52
            # In UTC the meeting moves by an hour at each change...
            utc_hours = {m.starts_at.astimezone(ZoneInfo("UTC")).hour for m in meetings}
            assert len(utc_hours) == 2
            # ...on the pages it stays at 18:00: winter, summer, winter again.
            lead.time_zone = zone
            lead.save()
            client.force_login(lead)
            for meeting in (meetings[0], meetings[20], meetings[-1]):
                page = client.get(meeting.get_absolute_url()).content.decode()
                when = page.split("When</dt>")[1].split("</dd>")[0]
                assert ", 18:00 to 19:30" in when, when

            cal = fetch_feed(client, lead)

        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == [zone]
        events = events_of(cal)
        assert len(events) == 52
        offsets = set()
        for event in events:
            start = event.decoded("DTSTART")
            assert event["DTSTART"].params["TZID"] == zone
            assert (start.hour, start.minute) == (18, 0)
            assert str(start.tzinfo) == zone
            assert event.decoded("DTEND") - start == timedelta(minutes=90)
            offsets.add(start.utcoffset())
        assert len(offsets) == 2
        # The offsets change exactly between the Thursdays around each change.
        by_day = {e.decoded("DTSTART").date(): e.decoded("DTSTART") for e in events}
        before_spring = max(d for d in by_day if d < spring)
        after_spring = min(d for d in by_day if d > spring)
        before_autumn = max(d for d in by_day if d < autumn)
        after_autumn = min(d for d in by_day if d > autumn)
        assert by_day[before_spring].utcoffset() < by_day[after_spring].utcoffset()
        assert by_day[before_autumn].utcoffset() > by_day[after_autumn].utcoffset()

    def test_page_shows_group_time_to_a_viewer_in_another_zone(self, client):
        frozen = at(2030, 1, 2)
        with mock.patch("django.utils.timezone.now", return_value=frozen):
            group, lead = group_with_lead(time_zone="America/New_York")
            schedule = weekly_schedule(group, lead, starts_on=date(2030, 1, 3))
            lead.time_zone = "Europe/London"
            lead.save()
            client.force_login(lead)
            page = client.get(schedule.meetings.first().get_absolute_url())
        when = page.content.decode().split("When</dt>")[1].split("</dd>")[0]
        assert ", 18:00 to 19:30 (America/New_York)" in when

    def test_the_vtimezone_describes_both_offsets(self, client):
        frozen = at(2030, 1, 2)
        with mock.patch("django.utils.timezone.now", return_value=frozen):
            group, lead = group_with_lead(time_zone="America/New_York")
            schedule = weekly_schedule(group, lead, starts_on=date(2030, 1, 3))
            services.meetings_generate(schedule=schedule, until=date(2030, 12, 31))
            cal = fetch_feed(client, lead)
        (vtimezone,) = cal.walk("VTIMEZONE")
        offsets = {
            sub.decoded("TZOFFSETTO") for sub in vtimezone.walk() if "TZOFFSETTO" in sub
        }
        assert {timedelta(hours=-5), timedelta(hours=-4)} <= offsets


class TestFeed:
    @pytest.fixture
    def setup(self):
        group, lead = group_with_lead(time_zone="Europe/Berlin", name="Tuesday Circle")
        member = agreed_member(group)
        meetings = [
            meeting_in(group, lead, timedelta(days=days, hours=2), place="Room 4")
            for days in (1, 8, 15)
        ]
        return group, lead, member, meetings

    def test_parses_with_timezones_summary_location_and_links(self, client, setup):
        _, _, member, meetings = setup
        cal = fetch_feed(client, member)
        assert str(cal["VERSION"]) == "2.0"
        assert cal["PRODID"]
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
        events = events_of(cal)
        assert [str(e["UID"]) for e in events] == [m.uid for m in meetings]
        first = events[0]
        assert str(first["SUMMARY"]) == "Tuesday Circle: Sharing circle"
        assert str(first["LOCATION"]) == "Room 4"
        assert str(first["STATUS"]) == "CONFIRMED"
        assert str(first["URL"]) == "http://testserver" + meetings[0].get_absolute_url()
        assert first.decoded("DTSTART") == meetings[0].starts_at
        assert "DTSTAMP" in first
        assert int(first["SEQUENCE"]) == 0

    def test_uids_are_stable_across_fetches(self, client, setup):
        _, _, member, _ = setup
        first = [str(e["UID"]) for e in events_of(fetch_feed(client, member))]
        second = [str(e["UID"]) for e in events_of(fetch_feed(client, member))]
        assert first == second
        assert len(set(first)) == 3

    def test_cancelled_meeting_stays_marked_cancelled(self, client, setup):
        _, lead, member, meetings = setup
        services.meeting_cancel(meeting=meetings[1], acting_user=lead, reason="Flood")
        events = {str(e["UID"]): e for e in events_of(fetch_feed(client, member))}
        cancelled = events[meetings[1].uid]
        assert str(cancelled["STATUS"]) == "CANCELLED"
        assert int(cancelled["SEQUENCE"]) == 1
        assert "Flood" in str(cancelled["DESCRIPTION"])
        assert str(events[meetings[0].uid]["STATUS"]) == "CONFIRMED"

    def test_a_move_bumps_the_sequence_and_keeps_the_uid(self, client, setup):
        group, lead, member, meetings = setup
        moved = meetings[2]
        new_day = moved.starts_at.astimezone(ZoneInfo(group.time_zone)).date()
        services.meeting_move(
            meeting=moved,
            acting_user=lead,
            day=new_day + timedelta(days=1),
            local_time=time(19, 30),
        )
        events = {str(e["UID"]): e for e in events_of(fetch_feed(client, member))}
        event = events[moved.uid]
        assert int(event["SEQUENCE"]) == 1
        start = event.decoded("DTSTART")
        assert (start.date(), start.hour, start.minute) == (
            new_day + timedelta(days=1),
            19,
            30,
        )

    def test_no_private_data_of_other_members(self, client, setup):
        group, lead, member, meetings = setup
        lead_membership = Membership.objects.get(user=lead, group=group)
        Assignment.objects.create(meeting=meetings[0], membership=lead_membership)
        feed = calendar_services.calendar_feed_get_or_create(user=member)
        body = client.get(feed.get_absolute_url()).content.decode()
        assert lead.display_name not in body
        assert lead.email not in body
        assert member.email not in body

    def test_only_groups_where_the_person_sees_meetings(self, client, setup):
        _, _, member, _ = setup
        other_group, other_lead = group_with_lead()
        meeting_in(other_group, other_lead, timedelta(days=2))
        not_agreed = Membership.objects.create(
            user=member, group=other_group, status=Membership.Status.ACTIVE
        )
        assert len(events_of(fetch_feed(client, member))) == 3
        # Agreeing to the guidelines brings the group's meetings in.
        from groups import services as group_services

        group_services.guideline_acknowledge(user=member, group=other_group)
        assert len(events_of(fetch_feed(client, member))) == 4
        # Leaving takes them out again.
        not_agreed.status = Membership.Status.LEFT
        not_agreed.save()
        assert len(events_of(fetch_feed(client, member))) == 3

    def test_window_is_sixty_days_back_to_a_year_ahead(self, client):
        frozen = at(2030, 1, 2)
        with mock.patch("django.utils.timezone.now", return_value=frozen):
            group, lead = group_with_lead()
            schedule = weekly_schedule(group, lead, starts_on=date(2030, 1, 3))
            services.meetings_generate(schedule=schedule, until=date(2031, 6, 30))
        later = at(2030, 6, 1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            starts = [e.decoded("DTSTART") for e in events_of(fetch_feed(client, lead))]
        assert min(starts) >= later - timedelta(days=60)
        assert max(starts) <= later + timedelta(days=365)
        assert min(starts) < later - timedelta(days=53)
        assert max(starts) > later + timedelta(days=358)


class TestFeedAddress:
    def test_forged_token_is_404(self, client):
        url = reverse("sessions_app:calendar_feed", kwargs={"token": "not-a-token"})
        assert client.get(url).status_code == 404

    def test_regenerating_revokes_the_old_address(self, client):
        _, lead = group_with_lead()
        old = calendar_services.calendar_feed_get_or_create(user=lead)
        old_url = old.get_absolute_url()
        assert client.get(old_url).status_code == 200
        new = calendar_services.calendar_feed_regenerate(user=lead)
        assert new.token != old.token
        assert client.get(old_url).status_code == 404
        assert client.get(new.get_absolute_url()).status_code == 200

    def test_turning_off_revokes_the_address(self, client):
        _, lead = group_with_lead()
        url = calendar_services.calendar_feed_get_or_create(
            user=lead
        ).get_absolute_url()
        assert calendar_services.calendar_feed_revoke(user=lead)
        assert client.get(url).status_code == 404

    def test_an_erased_or_deactivated_account_has_no_feed(self, client):
        _, lead = group_with_lead()
        url = calendar_services.calendar_feed_get_or_create(
            user=lead
        ).get_absolute_url()
        lead.is_active = False
        lead.save()
        assert client.get(url).status_code == 404

    def test_settings_page_shows_the_address_and_makes_a_new_one(self, client):
        _, lead = group_with_lead()
        client.force_login(lead)
        page = client.get(reverse("sessions_app:calendar_settings"))
        assert not CalendarFeed.objects.filter(user=lead).exists()
        assert b"Make my calendar address" in page.content
        response = client.post(reverse("sessions_app:calendar_regenerate"))
        assert response.status_code == 302
        feed = CalendarFeed.objects.get(user=lead)
        page = client.get(reverse("sessions_app:calendar_settings")).content.decode()
        assert f"http://testserver{feed.get_absolute_url()}" in page
        assert "readonly" in page
        assert "<script" not in page.split("</header>")[-1].split("<footer")[0]
        client.post(reverse("sessions_app:calendar_regenerate"))
        assert CalendarFeed.objects.get(user=lead).token != feed.token
        client.post(reverse("sessions_app:calendar_revoke"))
        assert not CalendarFeed.objects.filter(user=lead).exists()

    def test_the_address_changes_only_by_post(self, client):
        _, lead = group_with_lead()
        client.force_login(lead)
        response = client.get(reverse("sessions_app:calendar_regenerate"))
        assert response.status_code == 405
        assert not CalendarFeed.objects.filter(user=lead).exists()


class TestRoles:
    def test_settings_page_is_for_everyone_signed_in(self, client, roles):
        check_roles(client, roles, reverse("sessions_app:calendar_settings"), SIGNED_IN)

    def test_new_address_is_for_everyone_signed_in(self, client, roles):
        expected = {
            ANONYMOUS: "login",
            OTHER_GROUP_MEMBER: 302,
            MEMBER: 302,
            LEAD: 302,
            COORDINATOR: 302,
        }
        check_roles(
            client,
            roles,
            reverse("sessions_app:calendar_regenerate"),
            expected,
            method="post",
        )
        # Each signed-in person got their own address; nobody else's changed.
        assert CalendarFeed.objects.count() == 4

    def test_meeting_download_is_for_the_group_inside(self, client, roles):
        agree_all(roles)
        meeting = meeting_in(roles.group, roles[LEAD], timedelta(days=3))
        url = reverse(
            "sessions_app:meeting_ics",
            kwargs={"slug": roles.group.slug, "pk": meeting.pk},
        )
        responses = check_roles(client, roles, url, INSIDE_GROUP)
        response = responses[MEMBER]
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"].startswith("attachment;")
        cal = icalendar.Calendar.from_ical(response.content)
        (event,) = events_of(cal)
        assert str(event["UID"]) == meeting.uid
        assert cal.walk("VTIMEZONE")

    def test_meeting_download_needs_the_current_guidelines(self, client, roles):
        agree_all(roles)
        meeting = meeting_in(roles.group, roles[LEAD], timedelta(days=3))
        newcomer = agreed_member(roles.group)
        from groups import services as group_services

        group_services.guideline_publish(
            group=roles.group,
            change_note="v2",
            acting_user=roles[LEAD],
            items=[{"title": "Listen", "explanation": "Kindly and fully."}],
        )
        client.force_login(newcomer)
        url = reverse(
            "sessions_app:meeting_ics",
            kwargs={"slug": roles.group.slug, "pk": meeting.pk},
        )
        assert client.get(url).status_code == 404

    def test_meeting_page_offers_the_download(self, client, roles):
        agree_all(roles)
        meeting = meeting_in(roles.group, roles[LEAD], timedelta(days=3))
        client.force_login(roles[MEMBER])
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert "Add to my calendar (.ics)" in page
        assert (
            reverse(
                "sessions_app:meeting_ics",
                kwargs={"slug": roles.group.slug, "pk": meeting.pk},
            )
            in page
        )
        assert reverse("sessions_app:calendar_settings") in page

    def test_the_feed_itself_needs_no_login_only_the_secret(self, client, roles):
        agree_all(roles)
        feed = calendar_services.calendar_feed_get_or_create(user=roles[MEMBER])
        check_roles(
            client,
            roles,
            feed.get_absolute_url(),
            {
                ANONYMOUS: 200,
                OTHER_GROUP_MEMBER: 200,
                MEMBER: 200,
                LEAD: 200,
                COORDINATOR: 200,
            },
        )


class TestQueryCounts:
    """The feed's queries must not grow with groups or meetings."""

    def build(self, groups: int, meetings_each: int):
        member = None
        for _ in range(groups):
            group, lead = group_with_lead()
            if member is None:
                member = agreed_member(group)
            else:
                Membership.objects.create(
                    user=member, group=group, status=Membership.Status.ACTIVE
                )
                from groups import services as group_services

                group_services.guideline_acknowledge(user=member, group=group)
            today = timezone.localdate()
            last = today + timedelta(weeks=meetings_each - 1)
            schedule = services.schedule_create(
                group=group,
                acting_user=lead,
                frequency="weekly",
                weekday=today.weekday(),
                local_time=time(18, 0),
                starts_on=today,
                ends_on=last,
            )
            services.meetings_generate(schedule=schedule, until=last)
            assert schedule.meetings.count() == meetings_each
        return calendar_services.calendar_feed_get_or_create(user=member)

    @pytest.mark.parametrize(("groups", "meetings"), [(1, 10), (5, 50)])
    def test_feed_queries_are_fixed(
        self, client, django_assert_num_queries, groups, meetings
    ):
        feed = self.build(groups, meetings)
        # The feed (with its user), then the meetings with their groups.
        with django_assert_num_queries(2):
            response = client.get(feed.get_absolute_url())
        cal = icalendar.Calendar.from_ical(response.content)
        assert len(events_of(cal)) == groups * meetings
