"""Delete my account: what erasure removes, what it keeps (and that the kept
rows now read "Former member"), when it is refused, and the page."""

import re
from unittest import mock

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group as PermissionGroup
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from groups.models import Acknowledgement, Membership
from groups.selectors import group_roster
from members import selectors, services
from members.models import Consent, ConsentKind, User
from tests.groups.factories import (
    GroupFactory,
    LeadMembershipFactory,
    MembershipFactory,
)
from tests.members import group_records
from tests.members.factories import (
    PASSWORD,
    CoordinatorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DELETE = reverse("members:account_delete")
GOODBYE = reverse("members:account_deleted")
CONFIRM = {"password": PASSWORD, "confirmation": "delete my account"}
ERASED_EMAIL = re.compile(r"^erased-[0-9a-f]{24}@invalid\.example$")


def logged_in_session(client, user) -> str:
    client.force_login(user)
    return client.session.session_key


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def snapshot(user) -> dict:
    """What erasure would change, to show that a refusal changed nothing."""
    user.refresh_from_db()
    return {
        "user": (user.email, user.display_name, user.password, user.is_active),
        "addresses": list(EmailAddress.objects.filter(user=user).values_list("email")),
        "consents": Consent.objects.filter(user=user).count(),
        "memberships": list(
            Membership.objects.filter(user=user).values_list(
                "status", "request_message"
            )
        ),
        "two_factor": Authenticator.objects.filter(user=user).count(),
    }


@pytest.fixture
def person():
    """A member with something of everything erasure touches."""
    user = UserFactory(
        display_name="Sam Rivers",
        pronouns="she/her",
        time_zone="America/Chicago",
        language="es",
        email_reminders=False,
        reminder_hours_before=2,
        is_staff=True,
    )
    user.groups.add(PermissionGroup.objects.create(name="Editors"))
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    services.consent_grant(user=user, kind=ConsentKind.NEWSLETTER)
    group = GroupFactory(name="Thursday Circle")
    LeadMembershipFactory(group=group)  # someone else leads it
    MembershipFactory(
        user=user,
        group=group,
        request_message="I am Sam and I live on Elm Street.",
        decision_message="Welcome, Sam!",
        removal_reason="Leads' note",
        takes_part_in_rota=True,
        willing_to_mentor=True,
    )
    MembershipFactory(user=user, status=Membership.Status.PENDING)
    version = group_records.guideline_version(group)
    group_records.acknowledge(user, version)
    group_records.resource(added_by=user, group=group)
    group_records.invitation(group, used_by=user, note="for Sam from the clinic")
    return user


class TestUserErase:
    def test_the_user_row_is_kept_but_stripped(self, person):
        old_email = person.email
        services.user_erase(user=person)
        person.refresh_from_db()
        assert ERASED_EMAIL.match(person.email)
        assert person.email != old_email
        assert person.display_name == "Former member"
        assert str(person) == "Former member"
        assert person.pronouns == ""
        assert not person.has_usable_password()
        assert not person.is_active
        assert not person.is_coordinator
        assert not person.is_staff
        assert not person.is_superuser
        assert person.last_login is None
        assert (person.time_zone, person.language) == ("Europe/London", "en")
        assert (person.email_reminders, person.reminder_hours_before) == (True, 24)
        assert not person.groups.exists()

    def test_addresses_two_factor_and_consents_are_deleted(self, person):
        services.user_erase(user=person)
        assert not EmailAddress.objects.filter(user=person).exists()
        assert not Authenticator.objects.filter(user=person).exists()
        assert not Consent.objects.filter(user=person).exists()

    def test_memberships_are_kept_as_left_without_the_persons_words(self, person):
        services.user_erase(user=person)
        memberships = Membership.objects.filter(user=person)
        assert memberships.count() == 2
        for membership in memberships:
            assert membership.status == Membership.Status.LEFT
            assert membership.request_message == ""
            assert membership.decision_message == ""
            assert not membership.takes_part_in_rota
            assert not membership.willing_to_mentor
        kept = memberships.get(group__name="Thursday Circle")
        assert kept.removal_reason == "Leads' note"  # the leads' own record
        assert str(kept).startswith("Former member in Thursday Circle")

    def test_acknowledgements_are_kept_and_read_former_member(self, person):
        services.user_erase(user=person)
        ack = Acknowledgement.objects.select_related("user").get(user=person)
        assert str(ack).startswith("Former member agreed to")

    def test_resources_stay_in_the_library_without_the_person(self, person):
        from groups.models import Resource

        services.user_erase(user=person)
        resource = Resource.objects.get(title="Breathing exercises")
        assert resource.added_by is None

    def test_a_lead_s_note_naming_the_person_on_their_invitation_is_cleared(
        self, person
    ):
        from groups.models import Invitation

        services.user_erase(user=person)
        invitation = Invitation.objects.get(used_by=person)
        assert invitation.note == ""
        assert invitation.used_at is not None

    def test_the_admin_history_no_longer_names_the_person(self, person):
        admin = UserFactory(is_staff=True)
        entry = LogEntry.objects.create(
            user=admin,
            content_type=ContentType.objects.get_for_model(User),
            object_id=str(person.pk),
            object_repr="Sam Rivers",
            action_flag=CHANGE,
        )
        services.user_erase(user=person)
        entry.refresh_from_db()
        assert entry.object_repr == "Former member"

    def test_every_login_session_of_the_person_ends_and_others_stay(
        self, client, person
    ):
        from django.test import Client

        mine = [logged_in_session(Client(), person) for _ in range(2)]
        theirs = logged_in_session(client, UserFactory())
        services.user_erase(user=person)
        remaining = set(Session.objects.values_list("session_key", flat=True))
        assert not remaining & set(mine)
        assert theirs in remaining

    def test_the_person_disappears_from_the_group_roster(self, person):
        group = Membership.objects.get(user=person, group__name="Thursday Circle").group
        assert person in [m.user for m in group_roster(group=group)]
        services.user_erase(user=person)
        assert person not in [m.user for m in group_roster(group=group)]

    def test_other_people_are_untouched(self, person):
        other = UserFactory(display_name="Alex")
        MembershipFactory(user=other, request_message="Alex's words")
        services.consent_grant(user=other, kind=ConsentKind.NEWSLETTER)
        before = snapshot(other)
        services.user_erase(user=person)
        assert snapshot(other) == before

    def test_erasure_is_all_or_nothing(self, person):
        before = snapshot(person)
        with (
            mock.patch(
                "members.services._sessions_delete_for", side_effect=RuntimeError
            ),
            pytest.raises(RuntimeError),
        ):
            services.user_erase(user=person)
        assert snapshot(person) == before


class TestErasureRefusals:
    def test_the_only_coordinator_cannot_erase_themself(self):
        coordinator = CoordinatorFactory()
        before = snapshot(coordinator)
        with pytest.raises(ValidationError, match="only coordinator"):
            services.user_erase(user=coordinator)
        assert snapshot(coordinator) == before

    def test_a_coordinator_can_once_there_is_another(self):
        coordinator = CoordinatorFactory()
        CoordinatorFactory()
        services.user_erase(user=coordinator)
        coordinator.refresh_from_db()
        assert not coordinator.is_coordinator
        assert not coordinator.is_active

    def test_an_inactive_coordinator_does_not_count_as_another(self):
        coordinator = CoordinatorFactory()
        CoordinatorFactory(is_active=False)
        with pytest.raises(ValidationError, match="only coordinator"):
            services.user_erase(user=coordinator)

    def test_the_last_lead_of_an_active_group_cannot_erase(self):
        lead = LeadMembershipFactory(group__name="After Loss").user
        MembershipFactory(
            group=lead.memberships.get().group,
            role=Membership.Role.LEAD,
            status=Membership.Status.PAUSED,
        )
        before = snapshot(lead)
        with pytest.raises(ValidationError) as error:
            services.user_erase(user=lead)
        assert error.value.messages == [
            "You are the only lead of After Loss. Name another lead of the group "
            "first, then come back to delete your account."
        ]
        assert snapshot(lead) == before

    def test_every_group_left_without_a_lead_is_named(self):
        lead = UserFactory()
        for name in ("Bravo", "Alpha"):
            LeadMembershipFactory(user=lead, group__name=name)
        blockers = selectors.user_erase_blockers(user=lead)
        assert [b.split(".")[0] for b in blockers] == [
            "You are the only lead of Alpha",
            "You are the only lead of Bravo",
        ]

    def test_a_lead_can_once_another_lead_is_named(self):
        membership = LeadMembershipFactory()
        LeadMembershipFactory(group=membership.group)
        services.user_erase(user=membership.user)
        membership.refresh_from_db()
        assert membership.status == Membership.Status.LEFT

    def test_an_archived_group_does_not_hold_its_lead_back(self):
        membership = LeadMembershipFactory(group__archived_at=timezone.now())
        services.user_erase(user=membership.user)
        assert not User.objects.get(pk=membership.user.pk).is_active

    def test_a_member_is_never_held_back(self):
        assert selectors.user_erase_blockers(user=MembershipFactory().user) == []


class TestDeletePage:
    def test_explains_what_is_removed_and_what_is_kept(self, client):
        client.force_login(UserFactory())
        body = client.get(DELETE).content.decode()
        assert "What is removed" in body
        assert "What is kept, and why" in body
        assert "Former member" in body
        assert 'autocomplete="current-password"' in body
        assert 'for="id_confirmation"' in body

    def test_deletes_signs_out_and_says_goodbye(self, client, person):
        old_email = person.email
        client.force_login(person)
        response = client.post(DELETE, CONFIRM)
        assert response.status_code == 302
        assert response["Location"] == GOODBYE
        assert "_auth_user_id" not in client.session
        person.refresh_from_db()
        assert person.display_name == "Former member"
        goodbye = client.get(GOODBYE)
        assert b"Your account is deleted" in goodbye.content
        assert b"Sam Rivers" not in goodbye.content
        # Nobody can log in with the old address and password.
        client.logout()
        login = client.post(
            reverse("account_login"), {"login": old_email, "password": PASSWORD}
        )
        assert "_auth_user_id" not in client.session
        assert login.status_code == 200

    def test_the_confirmation_ignores_case_and_spaces(self, client):
        user = UserFactory()
        client.force_login(user)
        response = client.post(
            DELETE, {**CONFIRM, "confirmation": "  Delete   MY account "}
        )
        assert response.status_code == 302

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"password": "wrong-password"}, "password", "not your password"),
            ({"password": ""}, "password", "Enter your password"),
            ({"password": "p" * 10_240}, "password", "not your password"),
            ({"password": "<script>x</script>"}, "password", "not your password"),
            ({"confirmation": ""}, "confirmation", "to confirm"),
            ({"confirmation": "yes"}, "confirmation", "exactly"),
            ({"confirmation": "delete my account!"}, "confirmation", "exactly"),
            ({"confirmation": "c" * 10_240}, "confirmation", "Type only the words"),
            (
                {"confirmation": "<b>delete my account</b>"},
                "confirmation",
                "exactly",
            ),
        ],
    )
    def test_bad_input_is_explained_and_nothing_changes(
        self, client, person, data, field, message
    ):
        client.force_login(person)
        before = snapshot(person)
        response = client.post(DELETE, {**CONFIRM, **data})
        assert response.status_code == 200
        form = response.context["form"]
        assert message in " ".join(form.errors[field])
        assert snapshot(person) == before
        assert "_auth_user_id" in client.session
        body = response.content.decode()
        assert "<script>x" not in body
        assert "<b>delete" not in body
        if field == "password":
            # The typed confirmation is kept; a password is never sent back.
            assert form["confirmation"].value() == CONFIRM["confirmation"]
            if data["password"]:
                assert data["password"] not in body

    def test_repeated_wrong_passwords_are_slowed_down(self, client):
        user = UserFactory()
        client.force_login(user)
        for _ in range(10):
            client.post(DELETE, {**CONFIRM, "password": "wrong-password"})
        response = client.post(DELETE, CONFIRM)
        assert response.status_code == 200
        assert "Too many" in " ".join(response.context["form"].errors["password"])
        user.refresh_from_db()
        assert user.is_active

    def test_the_only_coordinator_sees_why_and_no_form(self, client):
        coordinator = CoordinatorFactory()
        client.force_login(coordinator)
        body = client.get(DELETE).content.decode()
        assert "You cannot delete your account yet" in body
        assert "Make someone else a coordinator first" in body
        assert 'name="password"' not in body

    def test_a_forged_post_from_the_last_lead_is_refused(self, client):
        membership = LeadMembershipFactory(group__name="After Loss")
        client.force_login(membership.user)
        before = snapshot(membership.user)
        response = client.post(DELETE, CONFIRM)
        assert response.status_code == 200
        assert "Your account has not been deleted." in messages_of(response)
        assert "You are the only lead of After Loss" in response.content.decode()
        assert snapshot(membership.user) == before

    def test_a_refusal_decided_inside_the_service_is_shown(self, client):
        # The page found no blocker, but another lead left meanwhile.
        user = UserFactory()
        client.force_login(user)
        with mock.patch(
            "members.services.user_erase",
            side_effect=ValidationError(["You are the only lead of Late Group."]),
        ):
            response = client.post(DELETE, CONFIRM)
        assert "Your account has not been deleted." in messages_of(response)
        assert response.status_code == 200
        assert "You are the only lead of Late Group." in response.content.decode()
        assert User.objects.get(pk=user.pk).is_active

    def test_the_goodbye_page_offers_help(self, client):
        body = client.get(GOODBYE).content.decode()
        assert reverse("members:help") in body
        assert "<h1" in body
