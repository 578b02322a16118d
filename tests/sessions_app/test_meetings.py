"""Schedules and meetings: services, pages for every role, bad input."""

from datetime import date, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

import pytest

from groups import services as group_services
from sessions_app import services
from sessions_app.models import Icebreaker, Meeting, MeetingEvent, MeetingSchedule
from tests.groups.factories import MembershipFactory
from tests.roles import (
    INSIDE_GROUP,
    LEAD,
    LEADS_ONLY,
    MEMBER,
    OTHER_GROUP_MEMBER,
    check_roles,
    expect,
)

pytestmark = pytest.mark.django_db
LOGIN = "login"


def agree_all(roles):
    """Publish guidelines in both groups and have everyone agree."""
    for group, users in (
        (roles.group, [roles[MEMBER], roles[LEAD]]),
        (roles.other_group, [roles[OTHER_GROUP_MEMBER]]),
    ):
        publisher = users[-1]
        group_services.guideline_draft_save(
            group=group,
            items=[{"title": "Listen", "explanation": "Kindly."}],
            acting_user=publisher,
        )
        group_services.guideline_publish(
            group=group, change_note="v1", acting_user=publisher
        )
        for user in users:
            group_services.guideline_acknowledge(user=user, group=group)


def weekly(group, lead, **overrides):
    fields = {
        "frequency": "weekly",
        "weekday": 3,
        "local_time": time(18, 0),
        "duration_minutes": 90,
        "starts_on": timezone.localdate(),
    }
    return services.schedule_create(
        group=group, acting_user=lead, **(fields | overrides)
    )


@pytest.fixture
def meeting(roles):
    agree_all(roles)
    schedule = weekly(roles.group, roles[LEAD])
    return schedule.meetings.order_by("starts_at").first()


class TestGeneration:
    def test_twelve_weeks_at_the_local_time_idempotently(self, roles):
        roles.group.time_zone = "America/New_York"
        roles.group.save()
        schedule = weekly(roles.group, roles[LEAD])
        assert 12 <= schedule.meetings.count() <= 13
        assert services.meetings_generate(schedule=schedule) == 0
        tz = ZoneInfo("America/New_York")
        for meeting in schedule.meetings.all():
            local = meeting.starts_at.astimezone(tz)
            assert (local.weekday(), local.hour, local.minute) == (3, 18, 0)
            assert meeting.agenda, "the format's agenda template is copied"

    def test_the_horizon_task_keeps_meetings_ahead(self, roles):
        schedule = weekly(roles.group, roles[LEAD])
        before = schedule.meetings.count()
        later = timezone.now() + timedelta(weeks=3)
        with mock.patch("django.utils.timezone.now", return_value=later):
            made = services.meetings_generate_all()
        assert made >= 2
        assert schedule.meetings.count() == before + made

    def test_archived_groups_get_no_new_meetings(self, roles):
        schedule = weekly(roles.group, roles[LEAD])
        group_services.group_archive(group=roles.group, acting_user=roles[LEAD])
        later = timezone.now() + timedelta(weeks=5)
        with mock.patch("django.utils.timezone.now", return_value=later):
            assert services.meetings_generate_all() == 0
        assert schedule.meetings.count() >= 12

    def test_icebreakers_are_not_repeated_within_ten_meetings(self, roles):
        schedule = weekly(roles.group, roles[LEAD])
        chosen = list(
            schedule.meetings.order_by("starts_at").values_list(
                "icebreaker_id", flat=True
            )
        )
        assert Icebreaker.objects.filter(group__isnull=True).count() >= 11
        for i, icebreaker in enumerate(chosen):
            assert icebreaker is not None
            assert icebreaker not in chosen[max(0, i - 10) : i], i


class TestScheduleBadInput:
    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            (
                {"ends_on": date(2020, 1, 1), "starts_on": date(2020, 2, 1)},
                "before the start",
            ),
            (
                {
                    "starts_on": date(2030, 1, 1),
                    "ends_on": date(2030, 1, 5),
                    "weekday": 0,
                },
                "produce no meetings",
            ),
            ({"frequency": "monthly", "nth": None}, "which weekday of the month"),
            ({"duration_minutes": 5}, "duration"),
        ],
    )
    def test_refused_with_a_reason_and_nothing_saved(self, roles, overrides, message):
        with pytest.raises(ValidationError) as error:
            weekly(roles.group, roles[LEAD], **overrides)
        assert message in str(error.value) or message in str(error.value.message_dict)
        assert not MeetingSchedule.objects.exists()
        assert not Meeting.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("ends_on", "2020-01-01", "before the first date"),
            ("local_time", "25:99", "Enter a valid time"),
            ("duration_minutes", "5000", "between 15 and 600"),
            ("excluded", "not-a-date", "is not a date"),
            ("weekday", "9", "Select a valid choice"),
            ("online_link", "javascript:alert(1)", "Enter a valid URL"),
            ("topic", "t" * 10_240, "at most 200 characters"),
        ],
    )
    def test_form(self, client, roles, field, value, message):
        agree_all(roles)
        client.force_login(roles[LEAD])
        data = {
            "frequency": "weekly",
            "weekday": "3",
            "local_time": "18:00",
            "duration_minutes": "90",
            "starts_on": timezone.localdate().isoformat(),
            "format": "sharing_circle",
            "topic": "Kept topic",
            field: value,
        }
        url = reverse("sessions_app:schedule_create", kwargs={"slug": roles.group.slug})
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode()
        if field != "topic":
            assert response.context["form"]["topic"].value() == "Kept topic"
        assert not MeetingSchedule.objects.exists()


class TestChanges:
    def test_cancel_one_and_the_rest_of_a_series(self, roles, meeting):
        services.meeting_cancel(
            meeting=meeting, acting_user=roles[LEAD], reason="Venue closed"
        )
        meeting.refresh_from_db()
        assert (meeting.status, meeting.sequence) == ("cancelled", 1)
        with pytest.raises(ValidationError, match="cancelled"):
            services.meeting_cancel(meeting=meeting, acting_user=roles[LEAD])
        second = meeting.schedule.meetings.filter(status="scheduled").order_by(
            "starts_at"
        )[1]
        count = services.series_cancel_from(meeting=second, acting_user=roles[LEAD])
        assert count >= 10
        schedule = MeetingSchedule.objects.get(pk=meeting.schedule_id)
        assert schedule.ends_on < second.series_date
        later = timezone.now() + timedelta(weeks=20)
        with mock.patch("django.utils.timezone.now", return_value=later):
            assert services.meetings_generate(schedule=schedule) == 0

    def test_move_one_and_the_rest_of_a_series_keeps_dates(self, roles, meeting):
        tz = ZoneInfo(roles.group.time_zone)
        new_day = meeting.series_date + timedelta(days=1)
        services.meeting_move(
            meeting=meeting,
            acting_user=roles[LEAD],
            day=new_day,
            local_time=time(19, 30),
        )
        meeting.refresh_from_db()
        local = meeting.starts_at.astimezone(tz)
        assert (local.date(), local.hour, local.minute) == (new_day, 19, 30)
        assert meeting.events.filter(kind=MeetingEvent.Kind.MOVED).exists()
        rest = meeting.schedule.meetings.filter(status="scheduled").exclude(
            pk=meeting.pk
        )
        first_of_rest = rest.order_by("starts_at").first()
        services.series_move_from(
            meeting=first_of_rest, acting_user=roles[LEAD], local_time=time(17, 0)
        )
        for each in rest:
            local = each.starts_at.astimezone(tz)
            assert (local.date(), local.hour) == (each.series_date, 17)
        assert MeetingSchedule.objects.get(pk=meeting.schedule_id).local_time == time(
            17, 0
        )

    def test_agenda_needs_time_boxes(self, roles, meeting):
        with pytest.raises(ValidationError, match="1 to 240 minutes"):
            services.meeting_set_agenda(
                meeting=meeting,
                items=[{"title": "Talk", "minutes": 0}],
                acting_user=roles[LEAD],
            )
        with pytest.raises(ValidationError, match="at least one item"):
            services.meeting_set_agenda(
                meeting=meeting, items=[], acting_user=roles[LEAD]
            )
        services.meeting_set_agenda(
            meeting=meeting,
            items=[{"title": "Talk", "minutes": 30}],
            acting_user=roles[LEAD],
        )
        meeting.refresh_from_db()
        assert meeting.agenda == [{"title": "Talk", "minutes": 30}]

    def test_a_one_off_in_the_past_is_refused(self, roles):
        with pytest.raises(ValidationError, match="today or a later date"):
            services.meeting_create(
                group=roles.group,
                acting_user=roles[LEAD],
                day=timezone.localdate() - timedelta(days=3),
                local_time=time(18, 0),
            )
        assert not Meeting.objects.exists()

    def test_another_groups_icebreaker_is_refused(self, roles, meeting):
        theirs = Icebreaker.objects.create(group=roles.other_group, prompt="Theirs")
        with pytest.raises(ValidationError, match="from the library"):
            services.meeting_choose_icebreaker(
                meeting=meeting, icebreaker=theirs, acting_user=roles[LEAD]
            )


class TestRoles:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("meetings", INSIDE_GROUP),
            ("schedule_create", LEADS_ONLY),
            ("meeting_create", LEADS_ONLY),
            ("icebreakers", LEADS_ONLY),
        ],
    )
    def test_group_pages(self, client, roles, meeting, name, expected):
        url = reverse(f"sessions_app:{name}", kwargs={"slug": roles.group.slug})
        check_roles(client, roles, url, dict(expected))

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("meeting", INSIDE_GROUP),
            ("meeting_edit", LEADS_ONLY),
            ("meeting_move", LEADS_ONLY),
            ("meeting_cancel", LEADS_ONLY),
            # Leads and the meeting's facilitators run it; plain members 403.
            ("meeting_agenda", LEADS_ONLY),
            ("meeting_icebreaker", LEADS_ONLY),
        ],
    )
    def test_meeting_pages(self, client, roles, meeting, name, expected):
        url = reverse(
            f"sessions_app:{name}", kwargs={"slug": roles.group.slug, "pk": meeting.pk}
        )
        check_roles(client, roles, url, dict(expected))

    def test_members_who_have_not_agreed_see_no_meetings(self, client, roles, meeting):
        newcomer = MembershipFactory(group=roles.group).user
        client.force_login(newcomer)
        assert client.get(meeting.get_absolute_url()).status_code == 404
        group_services.guideline_acknowledge(user=newcomer, group=roles.group)
        assert client.get(meeting.get_absolute_url()).status_code == 200

    def test_a_forged_meeting_id_of_another_group_is_404(self, client, roles, meeting):
        client.force_login(roles[OTHER_GROUP_MEMBER])
        url = reverse(
            "sessions_app:meeting",
            kwargs={"slug": roles.other_group.slug, "pk": meeting.pk},
        )
        assert client.get(url).status_code == 404

    def test_posts_change_nothing_for_members(self, client, roles, meeting):
        url = reverse(
            "sessions_app:meeting_cancel",
            kwargs={"slug": roles.group.slug, "pk": meeting.pk},
        )
        check_roles(
            client,
            roles,
            url,
            expect(LOGIN, 404, 403, 302, 404),
            method="post",
            data={"scope": "one", "reason": "Snow"},
        )
        meeting.refresh_from_db()
        assert meeting.status == "cancelled"  # only the lead's request did it


class TestQueryCounts:
    @pytest.mark.parametrize("weeks", [2, 40])
    def test_meeting_list(self, client, roles, django_assert_num_queries, weeks):
        agree_all(roles)
        schedule = weekly(roles.group, roles[LEAD])
        services.meetings_generate(
            schedule=schedule, until=timezone.localdate() + timedelta(weeks=weeks)
        )
        client.force_login(roles[MEMBER])
        url = reverse("sessions_app:meetings", kwargs={"slug": roles.group.slug})
        with django_assert_num_queries(7):
            assert client.get(url).status_code == 200

    @pytest.mark.parametrize("events", [1, 30])
    def test_meeting_page(
        self, client, roles, meeting, django_assert_num_queries, events
    ):
        for _ in range(events):
            services.meeting_update(meeting=meeting, acting_user=roles[LEAD], topic="x")
        client.force_login(roles[MEMBER])
        # ... meeting, facilitators, materials, history, the rota slot's swap offers
        with django_assert_num_queries(9):
            assert client.get(meeting.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("weeks", [2, 30])
def test_home_lists_meetings_in_a_constant_number_of_queries(
    client, roles, django_assert_num_queries, weeks
):
    from sessions_app.models import Assignment

    agree_all(roles)
    schedule = weekly(roles.group, roles[LEAD])
    services.meetings_generate(
        schedule=schedule, until=timezone.localdate() + timedelta(weeks=weeks)
    )
    lead_membership = roles.group.memberships.get(user=roles[LEAD])
    for meeting in schedule.meetings.all():
        Assignment.objects.create(meeting=meeting, membership=lead_membership)
    client.force_login(roles[LEAD])
    # session, user, memberships, next meetings (+ facilitators), mine (+ facilitators)
    with django_assert_num_queries(7):
        response = client.get("/")
    assert len(response.context["facilitating_meetings"]) == 5
    assert "Meetings I run next" in response.content.decode()


class TestWorkshopMaterials:
    def test_a_lead_links_published_resources_and_members_see_them(
        self, client, roles, meeting
    ):
        from groups.models import Resource

        ours = Resource.objects.create(
            group=roles.group,
            title="Sleep diary",
            kind="workshop",
            url="https://example.org/diary",
            status="published",
        )
        org = Resource.objects.create(
            title="Grounding",
            kind="article",
            url="https://example.org/g",
            status="published",
        )
        theirs = Resource.objects.create(
            group=roles.other_group,
            title="Theirs",
            kind="article",
            url="https://example.org/t",
            status="published",
        )
        suggested = Resource.objects.create(
            group=roles.group,
            title="Not yet",
            kind="article",
            url="https://example.org/n",
        )
        for forbidden in (theirs, suggested):
            with pytest.raises(ValidationError, match="published resources"):
                services.meeting_set_resources(
                    meeting=meeting, resources=[forbidden], acting_user=roles[LEAD]
                )
        client.force_login(roles[LEAD])
        url = reverse(
            "sessions_app:meeting_edit",
            kwargs={"slug": roles.group.slug, "pk": meeting.pk},
        )
        # A forged id of another group's resource is refused by the form.
        response = client.post(url, {"format": "workshop", "resources": [theirs.pk]})
        assert "Select a valid choice" in response.content.decode()
        response = client.post(
            url, {"format": "workshop", "resources": [ours.pk, org.pk]}
        )
        assert response.status_code == 302
        assert set(meeting.resources.all()) == {ours, org}
        client.force_login(roles[MEMBER])
        body = client.get(meeting.get_absolute_url()).content.decode()
        assert "Sleep diary" in body
        assert "Grounding" in body


class TestIcebreakerCuration:
    def test_organisation_page_is_for_coordinators(self, client, roles):
        from tests.roles import COORDINATORS_ONLY

        url = reverse("sessions_app:organisation_icebreakers")
        check_roles(client, roles, url, dict(COORDINATORS_ONLY))

    def test_coordinators_add_and_retire(self, client, roles):
        from tests.roles import COORDINATOR

        client.force_login(roles[COORDINATOR])
        url = reverse("sessions_app:organisation_icebreakers")
        response = client.post(url, {"prompt": "", "depth": "light"})
        assert "This field is required." in response.content.decode()
        response = client.post(url, {"prompt": "<b>Best snack?</b>", "depth": "light"})
        added = Icebreaker.objects.get(prompt="<b>Best snack?</b>")
        assert added.group is None
        body = client.get(url).content.decode()
        assert "&lt;b&gt;Best snack?&lt;/b&gt;" in body
        client.post(url, {"retire": added.pk})
        added.refresh_from_db()
        assert not added.is_active

    def test_leads_retire_their_groups_own_only(self, client, roles):
        agree_all(roles)
        own = services.icebreaker_add(
            group=roles.group, acting_user=roles[LEAD], prompt="Ours"
        )
        organisation = Icebreaker.objects.filter(group__isnull=True).first()
        retire = "sessions_app:icebreaker_retire"
        check_roles(
            client,
            roles,
            reverse(retire, kwargs={"slug": roles.group.slug, "pk": own.pk}),
            expect(LOGIN, 404, 403, 302, 404),
            method="post",
        )
        own.refresh_from_db()
        assert not own.is_active
        client.force_login(roles[LEAD])
        url = reverse(retire, kwargs={"slug": roles.group.slug, "pk": organisation.pk})
        assert client.post(url).status_code == 404
        organisation.refresh_from_db()
        assert organisation.is_active
