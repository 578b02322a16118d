from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from groups import services
from groups.models import (
    Acknowledgement,
    DefaultGuidelineItem,
    GuidelineVersion,
    ImmutableError,
    Invitation,
    Membership,
)
from tests.groups.factories import LeadMembershipFactory, MembershipFactory
from tests.members.factories import CoordinatorFactory, UserFactory

pytestmark = pytest.mark.django_db
Status, Role = Membership.Status, Membership.Role


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


def make_group(coordinator, **fields):
    lead = UserFactory()
    defaults = {
        "name": "Circle",
        "slug": "circle",
        "capacity": 3,
        "lead_email": lead.email,
    }
    group = services.group_create(acting_user=coordinator, **(defaults | fields))
    return group, group.memberships.get(user=lead)


class TestGroups:
    def test_a_new_group_starts_from_the_default_guidelines(self, coordinator):
        group, lead = make_group(coordinator)
        version = group.guideline_versions.get()
        assert version.number == 1
        assert [i["title"] for i in version.items] == list(
            DefaultGuidelineItem.objects.values_list("title", flat=True)
        )
        assert len(version.items) == 8
        assert lead.role == Role.LEAD
        assert lead.status == Status.ACTIVE

    @pytest.mark.parametrize("slug", ["directory", "new", "manage", "library"])
    def test_reserved_slugs_are_refused(self, coordinator, slug):
        with pytest.raises(ValidationError, match="reserved"):
            make_group(coordinator, slug=slug)

    def test_an_unknown_first_lead_creates_nothing(self, coordinator):
        with pytest.raises(ValidationError, match="No active account"):
            services.group_create(
                acting_user=coordinator,
                name="X",
                slug="x",
                lead_email="nobody@example.org",
            )
        assert not GuidelineVersion.objects.exists()

    def test_an_archived_group_is_read_only(self, coordinator):
        group, lead = make_group(coordinator)
        member = MembershipFactory(group=group)
        services.group_archive(group=group, acting_user=coordinator)
        attempts = [
            lambda: services.group_update(
                group=group, acting_user=coordinator, name="Y"
            ),
            lambda: services.membership_request(user=UserFactory(), group=group),
            lambda: services.membership_leave(
                membership=member, acting_user=member.user
            ),
            lambda: services.invitation_create(group=group, acting_user=lead.user),
            lambda: services.guideline_publish(
                group=group, change_note="x", acting_user=lead.user
            ),
        ]
        for attempt in attempts:
            with pytest.raises(ValidationError, match="archived"):
                attempt()
        assert group.memberships.filter(status=Status.ACTIVE).count() == 2


class TestJoining:
    def test_request_then_approve(self, coordinator):
        group, lead = make_group(coordinator)
        person = UserFactory()
        request = services.membership_request(user=person, group=group, message="Hi")
        assert request.status == Status.PENDING
        with pytest.raises(ValidationError, match="already asked"):
            services.membership_request(user=person, group=group)
        approved = services.membership_approve(
            membership=request, acting_user=lead.user, message="Welcome"
        )
        assert (approved.status, approved.decision_message) == (
            Status.ACTIVE,
            "Welcome",
        )
        with pytest.raises(ValidationError, match="already been answered"):
            services.membership_approve(membership=request, acting_user=lead.user)

    def test_a_full_group_queues_requests_and_refuses_approval(self, coordinator):
        group, lead = make_group(coordinator, capacity=2)
        MembershipFactory(group=group)  # lead + 1 = full
        queued = services.membership_request(user=UserFactory(), group=group)
        with pytest.raises(ValidationError, match="is full"):
            services.membership_approve(membership=queued, acting_user=lead.user)
        queued.refresh_from_db()
        assert queued.status == Status.PENDING

    def test_paused_members_keep_their_place(self, coordinator):
        group, lead = make_group(coordinator, capacity=2)
        resting = MembershipFactory(group=group)
        services.membership_pause(membership=resting, acting_user=resting.user)
        queued = services.membership_request(user=UserFactory(), group=group)
        with pytest.raises(ValidationError, match="is full"):
            services.membership_approve(membership=queued, acting_user=lead.user)

    def test_invite_only_groups_take_no_requests(self, coordinator):
        group, _ = make_group(coordinator, join_policy="invite_only")
        with pytest.raises(ValidationError, match="by invitation only"):
            services.membership_request(user=UserFactory(), group=group)

    def test_declined_or_left_people_may_ask_again(self, coordinator):
        group, lead = make_group(coordinator)
        person = UserFactory()
        request = services.membership_request(user=person, group=group)
        services.membership_decline(
            membership=request, acting_user=lead.user, message="x"
        )
        again = services.membership_request(user=person, group=group, message="Please")
        assert again.pk == request.pk
        assert (again.status, again.decision_message) == (Status.PENDING, "")


class TestInvitations:
    def test_a_link_works_once(self, coordinator):
        group, lead = make_group(coordinator, join_policy="invite_only")
        invitation = services.invitation_create(group=group, acting_user=lead.user)
        first, second = UserFactory(), UserFactory()
        membership = services.invitation_accept(invitation=invitation, user=first)
        assert membership.status == Status.ACTIVE
        with pytest.raises(ValidationError, match="already been used"):
            services.invitation_accept(invitation=invitation, user=second)
        assert not Membership.objects.filter(user=second).exists()

    def test_expired_and_revoked_links_explain_themselves(self, coordinator):
        group, lead = make_group(coordinator)
        expired = services.invitation_create(
            group=group, acting_user=lead.user, valid_for=timedelta(days=1)
        )
        Invitation.objects.filter(pk=expired.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        with pytest.raises(ValidationError, match="expired"):
            services.invitation_accept(invitation=expired, user=UserFactory())
        revoked = services.invitation_create(group=group, acting_user=lead.user)
        services.invitation_revoke(invitation=revoked, acting_user=lead.user)
        with pytest.raises(ValidationError, match="withdrawn"):
            services.invitation_accept(invitation=revoked, user=UserFactory())

    def test_a_full_group_does_not_spend_the_link(self, coordinator):
        group, lead = make_group(coordinator, capacity=1)
        invitation = services.invitation_create(group=group, acting_user=lead.user)
        with pytest.raises(ValidationError, match="full"):
            services.invitation_accept(invitation=invitation, user=UserFactory())
        invitation.refresh_from_db()
        assert invitation.state == "valid"

    def test_default_validity_is_fourteen_days(self, coordinator):
        group, lead = make_group(coordinator)
        invitation = services.invitation_create(group=group, acting_user=lead.user)
        assert invitation.expires_at - invitation.created_at == timedelta(days=14)
        assert len(invitation.token) >= 40


class TestLeads:
    def test_the_last_lead_cannot_be_removed_pause_step_down_or_leave_alone(
        self, coordinator
    ):
        group, lead = make_group(coordinator)
        other = MembershipFactory(group=group)
        with pytest.raises(ValidationError, match="only lead"):
            services.membership_remove(
                membership=lead, acting_user=lead.user, reason="x"
            )
        with pytest.raises(ValidationError, match="only lead"):
            services.membership_pause(membership=lead, acting_user=lead.user)
        with pytest.raises(ValidationError, match="only lead"):
            services.membership_set_role(
                membership=lead, role="member", acting_user=lead.user
            )
        with pytest.raises(ValidationError, match="name another lead"):
            services.membership_leave(membership=lead, acting_user=lead.user)
        lead.refresh_from_db()
        assert (lead.role, lead.status) == (Role.LEAD, Status.ACTIVE)
        services.membership_leave(
            membership=lead, acting_user=lead.user, successor=other
        )
        other.refresh_from_db()
        lead.refresh_from_db()
        assert other.role == Role.LEAD
        assert lead.status == Status.LEFT

    def test_a_successor_from_another_group_is_refused(self, coordinator):
        _group, lead = make_group(coordinator)
        stranger = MembershipFactory()
        with pytest.raises(ValidationError, match="active member of this group"):
            services.membership_leave(
                membership=lead, acting_user=lead.user, successor=stranger
            )
        stranger.refresh_from_db()
        assert stranger.role == Role.MEMBER

    def test_removal_keeps_a_private_reason_and_leaves_history(self, coordinator):
        group, lead = make_group(coordinator)
        member = MembershipFactory(group=group, takes_part_in_rota=True)
        with pytest.raises(ValidationError, match="Say briefly why"):
            services.membership_remove(
                membership=member, acting_user=lead.user, reason="  "
            )
        services.membership_remove(
            membership=member,
            acting_user=lead.user,
            reason="Repeatedly broke confidentiality",
        )
        member.refresh_from_db()
        assert member.status == Status.LEFT
        assert not member.takes_part_in_rota
        assert member.removal_reason == "Repeatedly broke confidentiality"


class TestGuidelines:
    def test_publish_needs_items_a_note_and_a_change(self, coordinator):
        group, lead = make_group(coordinator)
        with pytest.raises(ValidationError, match="nothing to publish"):
            services.guideline_publish(
                group=group, change_note="x", acting_user=lead.user
            )
        services.guideline_draft_save(group=group, items=[], acting_user=lead.user)
        with pytest.raises(ValidationError, match="empty"):
            services.guideline_publish(
                group=group, change_note="x", acting_user=lead.user
            )
        services.guideline_draft_save(
            group=group,
            items=[{"title": "Be kind", "explanation": "Always."}],
            acting_user=lead.user,
        )
        with pytest.raises(ValidationError, match="what changed"):
            services.guideline_publish(
                group=group, change_note=" ", acting_user=lead.user
            )
        version = services.guideline_publish(
            group=group, change_note="Shorter", acting_user=lead.user
        )
        assert version.number == 2
        assert version.items == [{"title": "Be kind", "explanation": "Always."}]
        # The publisher agrees by publishing.
        assert Acknowledgement.objects.filter(user=lead.user, version=version).exists()

    def test_half_filled_items_are_refused(self, coordinator):
        group, lead = make_group(coordinator)
        with pytest.raises(
            ValidationError, match="both a short title and an explanation"
        ):
            services.guideline_draft_save(
                group=group,
                items=[{"title": "No text", "explanation": ""}],
                acting_user=lead.user,
            )
        assert group.guideline_draft_items.count() == 8

    def test_versions_and_acknowledgements_are_immutable(self, coordinator):
        group, lead = make_group(coordinator)
        version = group.guideline_versions.get()
        acknowledgement = services.guideline_acknowledge(user=lead.user, group=group)
        version.change_note = "rewritten history"
        with pytest.raises(ImmutableError):
            version.save()
        with pytest.raises(ImmutableError):
            version.delete()
        with pytest.raises(ImmutableError):
            acknowledgement.delete()
        assert (
            GuidelineVersion.objects.get(pk=version.pk).change_note
            != "rewritten history"
        )

    def test_acknowledging_twice_records_once(self, coordinator):
        group, _lead = make_group(coordinator)
        member = MembershipFactory(group=group)
        first = services.guideline_acknowledge(user=member.user, group=group)
        second = services.guideline_acknowledge(user=member.user, group=group)
        assert first.pk == second.pk

    def test_default_guidelines_keep_at_least_one(self, coordinator):
        with pytest.raises(ValidationError, match="at least one"):
            services.default_guidelines_save(items=[], acting_user=coordinator)
        assert DefaultGuidelineItem.objects.count() == 8


def test_leads_of_other_groups_have_no_say():
    """Services trust their callers for roles; views check them. This pins that
    the permission fetch rejects a forged membership id."""
    from django.http import Http404

    from groups.permissions import membership_in_group

    mine = LeadMembershipFactory().group
    theirs = MembershipFactory()
    with pytest.raises(Http404):
        membership_in_group(group=mine, pk=theirs.pk)
