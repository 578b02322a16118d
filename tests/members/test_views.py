from django.contrib.messages import get_messages
from django.urls import reverse

import pytest

from groups import services
from members.models import HelpPage, User
from tests.groups.factories import (
    GroupFactory,
    LeadMembershipFactory,
    MembershipFactory,
)
from tests.members.factories import CoordinatorFactory, UserFactory
from tests.roles import COORDINATOR, LEAD, MEMBER

pytestmark = pytest.mark.django_db


def test_anonymous_home_is_the_landing_page_with_sign_up(client):
    response = client.get("/")
    assert response.templates[0].name == "members/landing.html"
    assert reverse("account_signup").encode() in response.content


def test_member_home_lists_my_groups_but_no_coordinator_section(client, roles):
    client.force_login(roles[MEMBER])
    body = client.get("/").content.decode()
    assert roles.group.name in body
    assert roles.other_group.name not in body
    assert "Surveys due" in body
    assert "Meetings I run next" not in body
    assert reverse("outcomes:dashboard") not in body


def test_lead_home_shows_what_they_facilitate(client, roles):
    client.force_login(roles[LEAD])
    body = client.get("/").content.decode()
    assert "Meetings I run next" in body
    assert "Groups I lead" in body
    assert reverse("outcomes:dashboard") not in body


def test_coordinator_home_and_navigation_lead_to_the_dashboard(client, roles):
    client.force_login(roles[COORDINATOR])
    body = client.get("/").content.decode()
    assert "Open the coordinator dashboard" in body
    assert body.count(reverse("outcomes:dashboard")) >= 2  # nav and home card


def test_coordinator_without_two_factor_is_sent_to_set_it_up_and_back(client):
    coordinator = UserFactory(is_coordinator=True)
    client.force_login(coordinator)
    response = client.get(reverse("outcomes:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.session["after_two_factor"] == reverse("outcomes:dashboard")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("two-factor" in m for m in messages)


def test_after_two_factor_setup_the_manage_pages_offer_the_way_back(client):
    coordinator = UserFactory(is_coordinator=True)
    client.force_login(coordinator)
    client.get(reverse("outcomes:dashboard"))
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(coordinator, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    body = client.get(reverse("mfa_index")).content.decode()
    assert "Continue to the page you wanted" in body
    assert client.get(reverse("outcomes:dashboard")).status_code == 200
    assert "after_two_factor" not in client.session


def test_dashboard_counts_people_not_memberships(client, roles):
    person = roles[MEMBER]
    MembershipFactory(user=person, group=roles.other_group)
    client.force_login(roles[COORDINATOR])
    counts = client.get(reverse("outcomes:dashboard")).context["counts"]
    # member, lead, other-group member: three people though four memberships.
    assert counts == {"groups": 2, "active_members": 3, "leads": 1, "coordinators": 1}


def test_html_in_a_display_name_is_shown_escaped_everywhere(client, roles):
    hostile = '<script>alert("x")</script><b>Bold</b>'
    member = roles[MEMBER]
    member.display_name = hostile
    member.save()
    CoordinatorFactory(display_name=hostile)
    # The lead sees the roster once the group has guidelines they agreed to.
    services.guideline_draft_save(
        group=roles.group,
        items=[{"title": "Listen", "explanation": "Kindly."}],
        acting_user=roles[LEAD],
    )
    services.guideline_publish(
        group=roles.group, change_note="v1", acting_user=roles[LEAD]
    )
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Bold&lt;/b&gt;"
    pages = [
        (member, "/"),
        (member, reverse("members:profile")),
        (roles[LEAD], roles.group.get_absolute_url()),
        (roles[COORDINATOR], reverse("members:coordinators")),
    ]
    for viewer, url in pages:
        client.force_login(viewer)
        body = client.get(url).content.decode()
        assert escaped in body, url
        assert hostile not in body, url


class TestProfile:
    url = reverse("members:profile")

    good = {
        "display_name": "River",
        "pronouns": "they/them",
        "time_zone": "Europe/Berlin",
        "language": "de",
        "email_reminders": "on",
        "reminder_hours_before": "48",
    }

    def post(self, client, **overrides):
        return client.post(self.url, {**self.good, **overrides})

    def test_saves_and_uses_the_chosen_time_zone_and_language(self, client):
        user = UserFactory()
        client.force_login(user)
        response = self.post(client)
        assert response.status_code == 302
        user.refresh_from_db()
        assert (user.display_name, user.time_zone, user.language) == (
            "River",
            "Europe/Berlin",
            "de",
        )
        page = client.get("/")
        # Content follows the person; the untranslated interface stays English
        # and says so, rather than claiming German.
        assert page.wsgi_request.content_language == "de"
        assert b'lang="en"' in page.content

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("display_name", "x" * 10_240, "at most 60 characters"),
            ("display_name", "   ", "This field is required."),
            ("display_name", "Bad\u202ename", "ordinary punctuation"),
            ("time_zone", "Mars/Olympus_Mons", "Select a valid choice"),
            ("language", "xx", "Select a valid choice"),
            ("pronouns", "p" * 500, "at most 40 characters"),
        ],
    )
    def test_bad_input_is_explained_and_nothing_is_saved(
        self, client, field, value, message
    ):
        user = UserFactory(display_name="Before")
        client.force_login(user)
        response = self.post(client, **{field: value})
        assert response.status_code == 200
        form = response.context["form"]
        assert message in " ".join(form.errors[field])
        # The other answers are still in the form for the person to fix one thing.
        kept = {**self.good, "email_reminders": True}  # a checked box reads True
        for other in self.good.keys() - {field}:
            assert form[other].value() == kept[other], other
        user.refresh_from_db()
        assert user.display_name == "Before"
        assert user.time_zone == "Europe/London"


class TestHelpPage:
    def test_shows_the_default_page_to_anyone(self, client):
        response = client.get(reverse("members:help"))
        assert b"116 123" in response.content
        assert b"Edit this page" not in response.content

    def test_falls_back_to_english_for_a_language_without_a_page(self, client):
        user = UserFactory(language="nl")
        client.force_login(user)
        assert b"116 123" in client.get(reverse("members:help")).content

    def test_coordinator_publishes_a_page_for_a_language(self, client):
        coordinator = CoordinatorFactory()
        client.force_login(coordinator)
        url = reverse("members:help_edit", kwargs={"language": "nl"})
        assert client.get(url).context["form"].initial == {}
        response = client.post(
            url, {"title": "Hulp nodig?", "body": "Bel 113 of 0800-0113."}
        )
        assert response.status_code == 302
        page = HelpPage.objects.get(language="nl")
        assert page.updated_by == coordinator
        dutch = UserFactory(language="nl")
        client.force_login(dutch)
        assert b"0800-0113" in client.get(reverse("members:help")).content

    def test_script_in_the_body_is_shown_as_text(self, client):
        client.force_login(CoordinatorFactory())
        url = reverse("members:help_edit", kwargs={"language": "en"})
        client.post(
            url,
            {"title": "Help", "body": "<script>steal()</script> https://example.org"},
        )
        body = client.get(reverse("members:help")).content.decode()
        assert "&lt;script&gt;steal()&lt;/script&gt;" in body
        assert "<script>steal()" not in body
        assert 'href="https://example.org"' in body

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            (
                {"title": "Help", "body": "x" * 10_001},
                "body",
                "at most 10000 characters",
            ),
            ({"title": "", "body": "Call 112."}, "title", "This field is required."),
            ({"title": "Help", "body": ""}, "body", "This field is required."),
            (
                {"title": "t" * 121, "body": "Call 112."},
                "title",
                "at most 120 characters",
            ),
        ],
    )
    def test_bad_input_keeps_the_published_page(self, client, data, field, message):
        client.force_login(CoordinatorFactory())
        before = HelpPage.objects.get(language="en").body
        response = client.post(
            reverse("members:help_edit", kwargs={"language": "en"}), data
        )
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
        other = "title" if field == "body" else "body"
        assert response.context["form"][other].value() == data[other]
        assert HelpPage.objects.get(language="en").body == before

    def test_unknown_language_is_404(self, client):
        client.force_login(CoordinatorFactory())
        url = reverse("members:help_edit", kwargs={"language": "xx"})
        assert client.get(url).status_code == 404


class TestCoordinators:
    url = reverse("members:coordinators")

    def test_grant_then_revoke(self, client):
        me = CoordinatorFactory()
        colleague = UserFactory(email="colleague@example.org")
        client.force_login(me)
        response = client.post(self.url, {"email": "COLLEAGUE@example.org"})
        assert response.status_code == 302
        colleague.refresh_from_db()
        assert colleague.is_coordinator
        # They still need two-factor before their first coordinator page.
        client.force_login(colleague)
        assert client.get(self.url)["Location"] == reverse("mfa_activate_totp")
        client.force_login(me)
        client.post(
            reverse("members:coordinator_revoke", kwargs={"user_id": colleague.pk})
        )
        colleague.refresh_from_db()
        assert not colleague.is_coordinator

    @pytest.mark.parametrize(
        ("email", "message"),
        [
            ("nobody@example.org", "No active account"),
            ("unverified@example.org", "No active account"),
            ("not-an-email", "Enter a valid email address."),
            ("", "This field is required."),
            ("a" * 300 + "@example.org", "at most 254 characters"),
            ("<script>@example.org", "Enter a valid email address."),
        ],
    )
    def test_grant_bad_input_is_explained(self, client, email, message):
        UserFactory(email="unverified@example.org", verified=False)
        client.force_login(CoordinatorFactory())
        response = client.post(self.url, {"email": email})
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors["email"])
        assert User.objects.filter(is_coordinator=True).count() == 1

    def test_granting_an_existing_coordinator_says_so(self, client):
        me = CoordinatorFactory()
        client.force_login(me)
        response = client.post(self.url, {"email": me.email})
        assert "already a coordinator" in " ".join(
            response.context["form"].errors["email"]
        )

    def test_the_last_coordinator_cannot_leave(self, client):
        me = CoordinatorFactory()
        client.force_login(me)
        response = client.post(
            reverse("members:coordinator_revoke", kwargs={"user_id": me.pk}),
            follow=True,
        )
        assert "at least one coordinator" in response.content.decode()
        me.refresh_from_db()
        assert me.is_coordinator

    def test_revoking_a_non_coordinator_is_404(self, client):
        client.force_login(CoordinatorFactory())
        other = UserFactory()
        url = reverse("members:coordinator_revoke", kwargs={"user_id": other.pk})
        assert client.post(url).status_code == 404


class TestQueryCounts:
    """List and dashboard pages must not grow their query count with the data."""

    @staticmethod
    def grow(group, lead, n):
        for _ in range(n):
            MembershipFactory(group=group)
        for _ in range(n):
            MembershipFactory(user=lead, group=GroupFactory())
            CoordinatorFactory()

    @pytest.mark.parametrize("size", [1, 12])
    def test_home(self, client, django_assert_num_queries, size):
        lead = LeadMembershipFactory().user
        self.grow(GroupFactory(), lead, size)
        client.force_login(lead)
        # session, user, memberships, next meetings, meetings I run next
        with django_assert_num_queries(5):
            assert client.get("/").status_code == 200

    @pytest.mark.parametrize("size", [1, 12])
    def test_coordinator_list(self, client, django_assert_num_queries, size):
        coordinator = CoordinatorFactory()
        self.grow(GroupFactory(), UserFactory(), size)
        client.force_login(coordinator)
        with django_assert_num_queries(4):
            response = client.get(reverse("members:coordinators"))
        assert len(response.context["coordinators"]) == size + 1

    @pytest.mark.parametrize("size", [1, 12])
    def test_dashboard(self, client, django_assert_num_queries, size):
        coordinator = CoordinatorFactory()
        self.grow(GroupFactory(), UserFactory(), size)
        client.force_login(coordinator)
        with django_assert_num_queries(6):
            assert client.get(reverse("outcomes:dashboard")).status_code == 200
