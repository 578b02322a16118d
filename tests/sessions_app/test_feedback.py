"""Anonymous meeting feedback: who may answer, once, bad input, anonymity of
the stored rows, and the lead's aggregates under the minimum cell size."""

from datetime import timedelta
from unittest import mock

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

import pytest

from groups.models import Membership
from sessions_app import attendance_services as services
from sessions_app.attendance_selectors import (
    feedback_for_group,
    feedback_pending_for_user,
)
from sessions_app.models import (
    Attendance,
    FeedbackReceipt,
    FeedbackResponse,
    Meeting,
)
from tests.groups.factories import MembershipFactory
from tests.roles import (
    INSIDE_GROUP,
    LEAD,
    LEADS_ONLY,
    MEMBER,
    OTHER_GROUP_MEMBER,
    check_roles,
)
from tests.sessions_app.attendance_helpers import agree, agree_all, meeting_ended, url

pytestmark = pytest.mark.django_db
GOOD = {"felt_safe": "5", "felt_listened_to": "4", "felt_judged": "1"}


def held(roles, *, days_ago=2, extra=0):
    """A held meeting that ended ``days_ago`` with everyone present (the
    member, the lead and ``extra`` more people, who agreed to the guidelines)."""
    people = [MembershipFactory(group=roles.group).user for _ in range(extra)]
    meeting = meeting_ended(roles.group, days_ago=days_ago)
    services.attendance_mark_all_present(meeting=meeting, acting_user=roles[LEAD])
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    return meeting, people


def answer(meeting, user, at=None, **scores):
    fields = {"felt_safe": 4, "felt_listened_to": 4, "felt_judged": 2}
    fields |= scores
    if at is None:
        services.feedback_submit(meeting=meeting, user=user, comment="", **fields)
        return
    with mock.patch("django.utils.timezone.now", return_value=at):
        services.feedback_submit(meeting=meeting, user=user, comment="", **fields)


def counts():
    return FeedbackResponse.objects.count(), FeedbackReceipt.objects.count()


@pytest.fixture
def meeting(roles):
    agree_all(roles)
    return held(roles)[0]


class TestRoles:
    def test_feedback_page_for_people_of_the_group(self, client, roles, meeting):
        responses = check_roles(client, roles, url("feedback", meeting), INSIDE_GROUP)
        assert "I felt safe to share" in responses[MEMBER].content.decode()

    def test_summary_is_for_leads(self, client, roles, meeting):
        target = reverse(
            "sessions_app:feedback_summary", kwargs={"slug": roles.group.slug}
        )
        check_roles(client, roles, target, LEADS_ONLY)

    def test_someone_not_present_sees_why_and_cannot_post(self, client, roles, meeting):
        Attendance.objects.filter(membership__user=roles[MEMBER]).update(
            status=Attendance.Status.ABSENT
        )
        client.force_login(roles[MEMBER])
        page = client.get(url("feedback", meeting)).content.decode()
        assert "for the people who were at the meeting" in page
        assert "I felt safe to share" not in page
        client.post(url("feedback", meeting), GOOD)
        assert counts() == (0, 0)

    def test_meeting_page_invites_attendees_who_have_not_answered(
        self, client, roles, meeting
    ):
        client.force_login(roles[MEMBER])
        assert "How was it?" in client.get(meeting.get_absolute_url()).content.decode()
        client.post(url("feedback", meeting), GOOD)
        assert (
            "How was it?" not in client.get(meeting.get_absolute_url()).content.decode()
        )


class TestSubmit:
    def test_answer_is_stored_apart_from_the_receipt(self, client, roles, meeting):
        client.force_login(roles[MEMBER])
        response = client.post(
            url("feedback", meeting), GOOD | {"comment": "  Kind people.  "}
        )
        assert response["Location"] == meeting.get_absolute_url()
        stored = FeedbackResponse.objects.get()
        assert (stored.felt_safe, stored.felt_listened_to, stored.felt_judged) == (
            5,
            4,
            1,
        )
        assert stored.comment == "Kind people."
        assert FeedbackReceipt.objects.get().user == roles[MEMBER]

    def test_double_submit_gives_one_response(self, client, roles, meeting):
        client.force_login(roles[MEMBER])
        client.post(url("feedback", meeting), GOOD)
        second = client.post(url("feedback", meeting), GOOD, follow=True)
        assert "already given feedback" in second.content.decode()
        assert counts() == (1, 1)
        with pytest.raises(ValidationError, match="already"):
            answer(meeting, roles[MEMBER])
        assert counts() == (1, 1)

    @pytest.mark.parametrize("bad", ["0", "6", "x", "", "3.5"])
    def test_scores_outside_one_to_five(self, client, roles, meeting, bad):
        client.force_login(roles[MEMBER])
        response = client.post(url("feedback", meeting), GOOD | {"felt_judged": bad})
        assert response.status_code == 200
        assert "Choose a number from 1 to 5" in response.content.decode() or (
            "This field is required" in response.content.decode()
        )
        assert counts() == (0, 0)

    @pytest.mark.parametrize("bad", [0, 6, "x", None, True, 2.0])
    def test_service_refuses_bad_scores(self, roles, meeting, bad):
        with pytest.raises(ValidationError):
            answer(meeting, roles[MEMBER], felt_safe=bad)
        assert counts() == (0, 0)

    def test_ten_kilobyte_comment_is_refused(self, client, roles, meeting):
        client.force_login(roles[MEMBER])
        response = client.post(
            url("feedback", meeting), GOOD | {"comment": "x" * 10240}
        )
        assert "at most 1000 characters" in response.content.decode()
        assert counts() == (0, 0)
        with pytest.raises(ValidationError, match="1000"):
            services.feedback_submit(
                meeting=meeting,
                user=roles[MEMBER],
                felt_safe=3,
                felt_listened_to=3,
                felt_judged=3,
                comment="x" * 10240,
            )
        assert counts() == (0, 0)

    def test_absent_excused_or_unmarked_people_cannot_answer(self, roles, meeting):
        Attendance.objects.filter(membership__user=roles[MEMBER]).update(
            status=Attendance.Status.EXCUSED
        )
        newcomer = MembershipFactory(group=roles.group).user  # not marked
        for user in (roles[MEMBER], newcomer, roles[OTHER_GROUP_MEMBER]):
            with pytest.raises(ValidationError, match="who were at the meeting"):
                answer(meeting, user)
        assert counts() == (0, 0)

    def test_not_before_the_end_nor_after_the_window(self, roles):
        agree_all(roles)
        meeting, _ = held(roles, days_ago=8)
        with pytest.raises(ValidationError, match="closed"):
            answer(meeting, roles[MEMBER])
        with pytest.raises(ValidationError, match="opens"):
            answer(meeting, roles[MEMBER], at=meeting.ends_at - timedelta(minutes=5))
        assert counts() == (0, 0)

    def test_only_held_meetings(self, roles, meeting):
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
        meeting.refresh_from_db()
        with pytest.raises(ValidationError, match="held"):
            answer(meeting, roles[MEMBER])
        assert counts() == (0, 0)

    def test_did_not_meet_is_refused_after_feedback(self, roles, meeting):
        answer(meeting, roles[MEMBER])
        with pytest.raises(ValidationError, match="already given feedback"):
            services.meeting_did_not_meet(meeting=meeting, acting_user=roles[LEAD])
        assert Attendance.objects.filter(meeting=meeting).count() == 2

    def test_pending_invitations(self, roles, meeting):
        assert list(feedback_pending_for_user(user=roles[MEMBER])) == [meeting]
        answer(meeting, roles[MEMBER])
        assert list(feedback_pending_for_user(user=roles[MEMBER])) == []
        assert list(feedback_pending_for_user(user=roles[LEAD])) == [meeting]
        assert list(feedback_pending_for_user(user=roles[OTHER_GROUP_MEMBER])) == []


class TestAnonymity:
    def test_response_has_no_field_linking_to_a_person_or_a_time(self):
        user_model = Membership._meta.get_field("user").related_model
        for field in FeedbackResponse._meta.get_fields():
            assert not isinstance(
                field, models.DateField | models.TimeField | models.DurationField
            ), field.name
            if field.is_relation:
                assert field.related_model is Meeting, field.name
                assert field.related_model is not user_model
        names = {f.name for f in FeedbackResponse._meta.get_fields()}
        assert names == {
            "id",
            "meeting",
            "felt_safe",
            "felt_listened_to",
            "felt_judged",
            "comment",
        }

    def test_response_ids_do_not_follow_the_order_of_receipts(self, roles):
        agree_all(roles)
        meeting, people = held(roles, extra=20)
        ids, seen = [], set()
        for person in people:
            answer(meeting, person)
            new = set(FeedbackResponse.objects.values_list("pk", flat=True)) - seen
            ids.extend(new)
            seen |= new
        receipts = list(
            FeedbackReceipt.objects.order_by("pk").values_list("user_id", flat=True)
        )
        assert receipts == [p.pk for p in people]
        # Receipts keep the order of answering; response ids are random, so
        # sorting by id does not give it (fails by chance 1 in 20!).
        assert ids != sorted(ids)
        assert min(ids) >= 2**52

    def test_summary_shows_too_few_below_the_cell_size_and_figures_at_it(
        self, client, roles, settings
    ):
        settings.MIN_CELL_SIZE = 5
        agree(roles.group, [roles[MEMBER], roles[LEAD]])
        small, small_people = held(roles, days_ago=10, extra=2)
        big, big_people = held(roles, days_ago=9, extra=3)
        answered_at = small.ends_at + timedelta(hours=1)
        for person in [roles[MEMBER], *small_people]:  # 3 answers
            answer(small, person, at=answered_at, felt_safe=1)
        people = [roles[MEMBER], roles[LEAD], *big_people]  # 5 answers
        for score, person in enumerate(people, start=1):
            answer(big, person, at=big.ends_at + timedelta(hours=1), felt_safe=score)
        FeedbackResponse.objects.filter(meeting=big).update(comment="Warm welcome")
        client.force_login(roles[LEAD])
        target = reverse(
            "sessions_app:feedback_summary", kwargs={"slug": roles.group.slug}
        )
        body = client.get(target).content.decode()
        assert body.count("Too few to show") == 1
        assert "5 answers." in body
        assert "Warm welcome" in body
        assert "<td>3.0</td>" in body  # mean of 1..5
        # The overall figures pool only the shown meeting, never the small one.
        data = feedback_for_group(group=roles.group)
        assert data["overall"].n == 5
        small_row = next(r for r in data["meetings"] if r["meeting"] == small)
        assert not small_row["figures"].shown
        assert small_row["figures"].n is None
        # No names of those who answered anywhere on the page (the lead's own
        # name is in the navigation).
        for person in [roles[MEMBER], *big_people, *small_people]:
            assert person.display_name not in body

    def test_open_meetings_are_not_shown_even_at_the_cell_size(self, roles, settings):
        settings.MIN_CELL_SIZE = 2
        agree(roles.group, [roles[MEMBER], roles[LEAD]])
        meeting, _ = held(roles)
        answer(meeting, roles[MEMBER])
        answer(meeting, roles[LEAD])
        row = feedback_for_group(group=roles.group)["meetings"][0]
        assert row["open_until"] is not None
        assert not row["figures"].shown
        later = timezone.now() + timedelta(days=6)
        row = feedback_for_group(group=roles.group, now=later)["meetings"][0]
        assert row["figures"].shown
        assert row["figures"].n == 2

    def test_summary_query_count_does_not_grow(
        self, client, roles, settings, django_assert_num_queries
    ):
        settings.MIN_CELL_SIZE = 1
        agree(roles.group, [roles[MEMBER], roles[LEAD]])
        client.force_login(roles[LEAD])
        target = reverse(
            "sessions_app:feedback_summary", kwargs={"slug": roles.group.slug}
        )
        for size in (1, 6):
            while Meeting.objects.filter(group=roles.group).count() < size:
                meeting, _ = held(roles, days_ago=8 + size)
                answer(meeting, roles[MEMBER], at=meeting.ends_at + timedelta(hours=1))
            with django_assert_num_queries(7):
                client.get(target)


def test_seeding_past_feedback_with_at(roles, settings):
    settings.MIN_CELL_SIZE = 2
    agree(roles.group, [roles[MEMBER], roles[LEAD]])
    meeting, _ = held(roles, days_ago=20)
    for user in (roles[MEMBER], roles[LEAD]):
        services.feedback_submit(
            meeting=meeting,
            user=user,
            felt_safe=5,
            felt_listened_to=5,
            felt_judged=1,
            at=meeting.ends_at + timedelta(hours=2),
        )
    assert feedback_for_group(group=roles.group)["overall"].n == 2
