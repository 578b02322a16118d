"""Group pages: every URL for every role, bad input, and query counts."""

from django.urls import reverse

import pytest

from groups import services
from groups.models import Acknowledgement, Group, GuidelineVersion, Membership
from tests.groups.factories import GroupFactory, MembershipFactory
from tests.members.factories import UserFactory
from tests.roles import (
    COORDINATOR,
    COORDINATORS_ONLY,
    INSIDE_GROUP,
    LEAD,
    LEADS_ONLY,
    LOGIN,
    MEMBER,
    check_roles,
    expect,
)

pytestmark = pytest.mark.django_db
Status = Membership.Status


@pytest.fixture
def published(roles):
    """roles.group with guidelines version 1 (the roles' group is bare)."""
    lead = roles[LEAD]
    services.guideline_draft_save(
        group=roles.group,
        items=[{"title": "Listen", "explanation": "Without judgment."}],
        acting_user=lead,
    )
    return services.guideline_publish(
        group=roles.group, change_note="First", acting_user=lead
    )


def url(name, group, **kwargs):
    return reverse(f"groups:{name}", kwargs={"slug": group.slug, **kwargs})


class TestRoles:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("detail", INSIDE_GROUP),
            ("guidelines", INSIDE_GROUP),
            ("leave", INSIDE_GROUP),
            ("members", LEADS_ONLY),
            ("invitations", LEADS_ONLY),
            ("guidelines_edit", LEADS_ONLY),
            ("agreements", LEADS_ONLY),
            ("settings", COORDINATORS_ONLY),
        ],
    )
    def test_group_pages(self, client, roles, published, name, expected):
        check_roles(client, roles, url(name, roles.group), dict(expected))

    def test_a_guideline_version(self, client, roles, published):
        check_roles(
            client, roles, url("guideline_version", roles.group, number=1), INSIDE_GROUP
        )
        missing = url("guideline_version", roles.group, number=9)
        check_roles(client, roles, missing, expect(LOGIN, 404, 404, 404, 404))

    @pytest.mark.parametrize(
        "name", ["directory", "manage", "default_guidelines", "create"]
    )
    def test_organisation_pages(self, client, roles, name):
        expected = (
            expect(LOGIN, 200, 200, 200, 200)
            if name == "directory"
            else COORDINATORS_ONLY
        )
        check_roles(client, roles, reverse(f"groups:{name}"), dict(expected))

    def test_join_page_only_for_open_current_groups(self, client, roles):
        check_roles(
            client, roles, url("join", roles.group), expect(LOGIN, 200, 200, 200, 200)
        )
        for group in (
            GroupFactory(join_policy=Group.JoinPolicy.INVITE_ONLY),
            GroupFactory(archived_at="2026-01-01T00:00Z"),
        ):
            check_roles(
                client, roles, url("join", group), expect(LOGIN, 404, 404, 404, 404)
            )

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("acknowledge", expect(LOGIN, 404, 302, 302, 404)),
            ("pause", expect(LOGIN, 404, 302, 302, 404)),
            ("resume", expect(LOGIN, 404, 302, 302, 404)),
            ("archive", expect(LOGIN, 403, 403, 403, 302)),
            ("withdraw", expect(LOGIN, 404, 404, 404, 404)),
        ],
    )
    def test_posts(self, client, roles, published, name, expected):
        check_roles(
            client, roles, url(name, roles.group), dict(expected), method="post"
        )

    @pytest.mark.parametrize("action", ["member_approve", "member_decline"])
    def test_deciding_on_a_request(self, client, roles, action):
        pending = MembershipFactory(group=roles.group, status=Status.PENDING)
        target = url(action, roles.group, pk=pending.pk)
        responses = check_roles(
            client, roles, target, expect(LOGIN, 404, 403, 302, 404), method="post"
        )
        assert responses[LEAD]["Location"] == url("members", roles.group)
        pending.refresh_from_db()
        assert pending.status == (
            Status.ACTIVE if action == "member_approve" else Status.DECLINED
        )

    @pytest.mark.parametrize("action", ["member_role", "member_pause", "member_remove"])
    def test_managing_a_member(self, client, roles, action):
        target_membership = MembershipFactory(group=roles.group)
        target = url(action, roles.group, pk=target_membership.pk)
        method = "get" if action == "member_remove" else "post"
        check_roles(
            client,
            roles,
            target,
            expect(LOGIN, 404, 403, 200 if method == "get" else 302, 404),
            method=method,
        )

    def test_invitation_links(self, client, roles):
        invitation = services.invitation_create(
            group=roles.group, acting_user=roles[LEAD]
        )
        check_roles(
            client,
            roles,
            invitation.get_absolute_url(),
            expect(LOGIN, 200, 200, 200, 200),
        )
        revoke = url("invitation_revoke", roles.group, pk=invitation.pk)
        check_roles(
            client, roles, revoke, expect(LOGIN, 404, 403, 302, 404), method="post"
        )
        invitation.refresh_from_db()
        assert invitation.state == "revoked"

    def test_unknown_invitation_token_is_404(self, client, roles):
        client.force_login(roles[MEMBER])
        assert (
            client.get(reverse("groups:invitation", args=["forged"])).status_code == 404
        )

    def test_a_lead_cannot_touch_another_groups_member(self, client, roles):
        stranger = MembershipFactory(group=roles.other_group, status=Status.PENDING)
        client.force_login(roles[LEAD])
        for action in (
            "member_approve",
            "member_decline",
            "member_role",
            "member_pause",
        ):
            response = client.post(url(action, roles.group, pk=stranger.pk))
            assert response.status_code == 404, action
        assert (
            client.get(url("member_remove", roles.group, pk=stranger.pk)).status_code
            == 404
        )
        # Nor by naming the other group: they do not lead it.
        response = client.post(url("member_approve", roles.other_group, pk=stranger.pk))
        assert response.status_code == 404
        stranger.refresh_from_db()
        assert stranger.status == Status.PENDING


class TestAgreementGate:
    def test_members_see_the_roster_only_after_agreeing(self, client, roles, published):
        client.force_login(roles[MEMBER])
        page = client.get(url("detail", roles.group))
        assert "roster" not in page.context
        assert b"I agree to version 1" in page.content
        client.post(url("acknowledge", roles.group))
        page = client.get(url("detail", roles.group))
        assert [m.user for m in page.context["roster"]] == [roles[LEAD], roles[MEMBER]]

    def test_a_new_version_asks_again_with_the_change_note(
        self, client, roles, published
    ):
        services.guideline_acknowledge(user=roles[MEMBER], group=roles.group)
        services.guideline_draft_save(
            group=roles.group,
            items=[{"title": "Listen", "explanation": "Without judgment, always."}],
            acting_user=roles[LEAD],
        )
        services.guideline_publish(
            group=roles.group,
            change_note="Clarified listening",
            acting_user=roles[LEAD],
        )
        client.force_login(roles[MEMBER])
        body = client.get(url("detail", roles.group)).content.decode()
        assert "The guidelines have changed" in body
        assert "Clarified listening" in body
        assert "roster-heading" not in body

    def test_paused_members_are_not_rostered(self, client, roles, published):
        for user in (roles[MEMBER], roles[LEAD]):
            services.guideline_acknowledge(user=user, group=roles.group)
        membership = Membership.objects.get(user=roles[MEMBER], group=roles.group)
        services.membership_pause(membership=membership, acting_user=roles[MEMBER])
        client.force_login(roles[LEAD])
        roster = client.get(url("detail", roles.group)).context["roster"]
        assert [m.user for m in roster] == [roles[LEAD]]

    def test_the_version_page_shows_a_readable_diff(self, client, roles, published):
        services.guideline_draft_save(
            group=roles.group,
            items=[
                {"title": "Listen", "explanation": "Without any judgment."},
                {"title": "Pass", "explanation": "Anyone may pass."},
            ],
            acting_user=roles[LEAD],
        )
        services.guideline_publish(
            group=roles.group, change_note="More", acting_user=roles[LEAD]
        )
        client.force_login(roles[MEMBER])
        diff = client.get(url("guideline_version", roles.group, number=2)).context[
            "diff"
        ]
        assert [(row["status"], row["title"]) for row in diff] == [
            ("changed", "Listen"),
            ("added", "Pass"),
        ]
        assert ("added", "any") in diff[0]["words"]


def formset_data(items, *, note="", action="publish", prefix="items"):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        "change_note": note,
        action: "1",
    }
    for i, item in enumerate(items):
        for key, value in item.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


class TestBadInput:
    def test_publishing_empty_guidelines_is_refused(self, client, roles, published):
        client.force_login(roles[LEAD])
        data = formset_data(
            [{"title": "Listen", "explanation": "Without judgment.", "DELETE": "on"}],
            note="Remove everything",
        )
        response = client.post(url("guidelines_edit", roles.group), data)
        assert response.status_code == 200
        assert "The guidelines are empty" in response.content.decode()
        assert GuidelineVersion.objects.filter(group=roles.group).count() == 1
        # The refused publish did not wipe the lead's draft either.
        assert roles.group.guideline_draft_items.count() == 1

    def test_publishing_without_a_note_keeps_the_edits(self, client, roles, published):
        client.force_login(roles[LEAD])
        data = formset_data([{"title": "Listen", "explanation": "Edited text."}])
        response = client.post(url("guidelines_edit", roles.group), data)
        body = response.content.decode()
        assert "Say in a sentence what changed." in body
        assert "Edited text." in body
        assert GuidelineVersion.objects.filter(group=roles.group).count() == 1

    @pytest.mark.parametrize(
        ("item", "message"),
        [
            ({"title": "t" * 121, "explanation": "x"}, "at most 120 characters"),
            (
                {"title": "Title", "explanation": "x" * 10_240},
                "at most 1000 characters",
            ),
            ({"title": "Only a title", "explanation": ""}, "Give both a short title"),
        ],
    )
    def test_oversized_or_half_items_are_pointed_out(
        self, client, roles, published, item, message
    ):
        client.force_login(roles[LEAD])
        data = formset_data(
            [item, {"title": "Kept", "explanation": "Still here."}], note="n"
        )
        body = client.post(url("guidelines_edit", roles.group), data).content.decode()
        assert message in body
        assert "Still here." in body
        assert GuidelineVersion.objects.filter(group=roles.group).count() == 1

    def test_hostile_guideline_text_is_shown_escaped(self, client, roles, published):
        client.force_login(roles[LEAD])
        data = formset_data(
            [
                {
                    "title": "<script>x()</script>",
                    "explanation": "<img src=x onerror=y()>",
                }
            ],
            note="<b>note</b>",
        )
        client.post(url("guidelines_edit", roles.group), data)
        client.force_login(roles[MEMBER])
        for page in ("detail", "guidelines"):
            body = client.get(url(page, roles.group)).content.decode()
            assert "&lt;script&gt;x()&lt;/script&gt;" in body
            assert "<img src=x" not in body
        body = client.get(
            url("guideline_version", roles.group, number=2)
        ).content.decode()
        assert "&lt;b&gt;note&lt;/b&gt;" in body
        assert "<b>note" not in body

    def test_joining_a_full_group_queues_with_a_clear_message(self, client, roles):
        roles.group.capacity = 2
        roles.group.save()
        person = UserFactory()
        client.force_login(person)
        response = client.post(
            url("join", roles.group), {"message": "Hello"}, follow=True
        )
        assert (
            "is full right now: your request is in the queue"
            in response.content.decode()
        )
        assert Membership.objects.get(user=person).status == Status.PENDING
        client.force_login(roles[LEAD])
        pending = Membership.objects.get(user=person)
        response = client.post(
            url("member_approve", roles.group, pk=pending.pk), follow=True
        )
        assert "is full (2 of 2 places)" in response.content.decode()
        pending.refresh_from_db()
        assert pending.status == Status.PENDING

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"message": "x" * 10_240}, "at most 1000 characters"),
        ],
    )
    def test_join_request_bad_input(self, client, roles, data, message):
        client.force_login(UserFactory())
        response = client.post(url("join", roles.group), data)
        assert message in response.content.decode()
        assert not Membership.objects.filter(status=Status.PENDING).exists()

    def test_asking_twice_says_so(self, client, roles):
        client.force_login(roles[MEMBER])
        response = client.post(url("join", roles.group), {"message": ""})
        assert "already a member" in response.content.decode()

    def test_reused_and_expired_invitations_say_so(self, client, roles):
        invitation = services.invitation_create(
            group=roles.group, acting_user=roles[LEAD]
        )
        client.force_login(UserFactory())
        client.post(invitation.get_absolute_url())
        second = UserFactory()
        client.force_login(second)
        body = client.get(invitation.get_absolute_url()).content.decode()
        assert "already been used" in body
        response = client.post(invitation.get_absolute_url(), follow=True)
        assert "already been used" in response.content.decode()
        assert not Membership.objects.filter(user=second).exists()

    def test_a_forged_group_slug_is_404(self, client, roles):
        client.force_login(roles[LEAD])
        for name in ("detail", "members", "guidelines_edit", "leave"):
            assert (
                client.get(
                    url(name, GroupFactory.build(slug="no-such-group"))
                ).status_code
                == 404
            )
        assert client.get("/groups/../admin/").status_code in (301, 302, 404)

    def test_a_member_cannot_remove_the_lead(self, client, roles):
        lead = Membership.objects.get(user=roles[LEAD], group=roles.group)
        client.force_login(roles[MEMBER])
        response = client.post(
            url("member_remove", roles.group, pk=lead.pk), {"reason": "x"}
        )
        assert response.status_code == 403
        lead.refresh_from_db()
        assert lead.status == Status.ACTIVE

    def test_a_lead_cannot_remove_the_last_lead(self, client, roles):
        lead = Membership.objects.get(user=roles[LEAD], group=roles.group)
        client.force_login(roles[LEAD])
        response = client.post(
            url("member_remove", roles.group, pk=lead.pk), {"reason": "Stepping away"}
        )
        assert "only lead" in response.content.decode()
        assert "Stepping away" in response.content.decode()  # their words are kept
        lead.refresh_from_db()
        assert lead.status == Status.ACTIVE

    def test_removal_needs_a_reason(self, client, roles):
        member = Membership.objects.get(user=roles[MEMBER], group=roles.group)
        client.force_login(roles[LEAD])
        response = client.post(
            url("member_remove", roles.group, pk=member.pk), {"reason": ""}
        )
        assert "This field is required." in response.content.decode()
        member.refresh_from_db()
        assert member.status == Status.ACTIVE

    def test_the_last_lead_leaving_must_name_a_successor(self, client, roles):
        client.force_login(roles[LEAD])
        response = client.post(url("leave", roles.group), {})
        assert "This field is required." in response.content.decode()
        stranger = MembershipFactory(group=roles.other_group)
        response = client.post(url("leave", roles.group), {"successor": stranger.pk})
        assert "Select a valid choice" in response.content.decode()
        member = Membership.objects.get(user=roles[MEMBER], group=roles.group)
        response = client.post(url("leave", roles.group), {"successor": member.pk})
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.role == Membership.Role.LEAD

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("slug", "directory", "reserved"),
            ("slug", "Not A Slug!", "Enter a valid"),
            ("capacity", "0", "at least one"),
            ("capacity", "-3", "at least one"),
            ("name", "n" * 500, "at most 120 characters"),
            ("online_link", "javascript:alert(1)", "Enter a valid URL."),
            ("time_zone", "Mars/Base", "Select a valid choice"),
            ("languages", "xx", "Select a valid choice"),
            ("lead_email", "nobody@example.org", "No active account"),
        ],
    )
    def test_group_form_bad_input(self, client, roles, field, value, message):
        client.force_login(roles[COORDINATOR])
        data = {
            "name": "New group",
            "slug": "new-group",
            "description": "About",
            "time_zone": "Europe/London",
            "capacity": "8",
            "join_policy": "open",
            "languages": ["en"],
            field: value,
        }
        response = client.post(reverse("groups:create"), data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert response.context["form"]["description"].value() == "About"
        assert not Group.objects.filter(name="New group").exists()

    def test_archived_group_settings_are_read_only(self, client, roles):
        client.force_login(roles[COORDINATOR])
        services.group_archive(group=roles.group, acting_user=roles[COORDINATOR])
        client.post(url("settings", roles.group), {"name": "Renamed"})
        roles.group.refresh_from_db()
        assert roles.group.name != "Renamed"


def grow(group, n, version=None):
    memberships = [MembershipFactory(group=group) for _ in range(n)]
    if version is not None:
        Acknowledgement.objects.bulk_create(
            Acknowledgement(user=m.user, version=version) for m in memberships
        )


class TestQueryCounts:
    """The count must not grow with the data (10 and 500 members)."""

    @pytest.mark.parametrize("size", [10, 500])
    def test_directory(self, client, django_assert_num_queries, size):
        for _ in range(3):
            grow(GroupFactory(), size // 3)
        client.force_login(UserFactory())
        with django_assert_num_queries(4):
            response = client.get(reverse("groups:directory"))
        assert len(response.context["groups"]) == 3

    @pytest.mark.parametrize("size", [10, 500])
    def test_roster(self, client, roles, published, django_assert_num_queries, size):
        grow(roles.group, size, version=published)
        client.force_login(roles[LEAD])
        # session, user, membership, current version, agreement, roster
        with django_assert_num_queries(6):
            response = client.get(url("detail", roles.group))
        assert len(response.context["roster"]) == size + 2

    @pytest.mark.parametrize("size", [10, 500])
    def test_agreement_status(
        self, client, roles, published, django_assert_num_queries, size
    ):
        grow(roles.group, size)
        client.force_login(roles[LEAD])
        with django_assert_num_queries(5):
            response = client.get(url("agreements", roles.group))
        assert len(response.context["rows"]) == size + 2
        assert response.context["rows"][0].agreed_at is None

    @pytest.mark.parametrize("size", [10, 500])
    def test_members_page(self, client, roles, django_assert_num_queries, size):
        grow(roles.group, size)
        for _ in range(3):
            MembershipFactory(group=roles.group, status=Status.PENDING)
        client.force_login(roles[LEAD])
        with django_assert_num_queries(6):
            response = client.get(url("members", roles.group))
        assert len(response.context["memberships"]) == size + 2

    @pytest.mark.parametrize("size", [10, 500])
    def test_coordinator_group_list(
        self, client, roles, django_assert_num_queries, size
    ):
        grow(roles.group, size)
        client.force_login(roles[COORDINATOR])
        with django_assert_num_queries(4):
            client.get(reverse("groups:manage"))
