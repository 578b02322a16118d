"""The member's own account: reminder preferences, consents, and who may open
the account pages (export and erasure have their own files)."""

from django.contrib.messages import get_messages
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

import pytest

from members import selectors, services
from members.models import (
    Consent,
    ConsentKind,
    ConsentText,
    ImmutableError,
    ReminderLeadTime,
)
from tests.members.factories import ConsentFactory, UserFactory, consent_text
from tests.roles import (
    ANONYMOUS,
    COORDINATOR,
    LEAD,
    MEMBER,
    OTHER_GROUP_MEMBER,
    SIGNED_IN,
    check_roles,
)

pytestmark = pytest.mark.django_db

OWN_ACCOUNT_PAGE = SIGNED_IN
NEWSLETTER = ConsentKind.NEWSLETTER
CONSENTS = reverse("members:consents")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Who may open what --------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["members:consents", "members:export", "members:account_delete"]
)
def test_account_pages_are_for_the_signed_in_person_only(client, roles, url_name):
    check_roles(client, roles, reverse(url_name), OWN_ACCOUNT_PAGE)


@pytest.mark.parametrize(
    "url_name", ["members:consents", "members:export", "members:account_delete"]
)
def test_posting_to_account_pages_needs_a_login(client, roles, url_name):
    # An empty POST changes nothing for anyone; anonymous is sent to log in.
    responses = check_roles(
        client, roles, reverse(url_name), OWN_ACCOUNT_PAGE, method="post"
    )
    for role in (MEMBER, LEAD, COORDINATOR, OTHER_GROUP_MEMBER):
        assert roles[role].is_active
    assert not Consent.objects.exists()
    if url_name == "members:export":
        assert responses[MEMBER]["Content-Type"] == "application/json"


def test_the_goodbye_page_is_open_to_everyone_and_shows_nothing_personal(client, roles):
    responses = check_roles(
        client,
        roles,
        reverse("members:account_deleted"),
        {
            ANONYMOUS: 200,
            OTHER_GROUP_MEMBER: 200,
            MEMBER: 200,
            LEAD: 200,
            COORDINATOR: 200,
        },
    )
    assert b"Your account is deleted" in responses[ANONYMOUS].content


def test_account_navigation_links_every_account_page(client):
    client.force_login(UserFactory())
    body = client.get(CONSENTS).content.decode()
    for url_name in ("profile", "consents", "export", "account_delete"):
        assert f'href="{reverse("members:" + url_name)}"' in body
    assert f'href="{CONSENTS}" aria-current="page"' in body


def test_account_pages_are_not_cached(client):
    client.force_login(UserFactory())
    for url_name in ("profile", "consents", "export", "account_delete"):
        response = client.get(reverse("members:" + url_name))
        assert "no-store" in response["Cache-Control"], url_name


# --- Reminder preferences (on the profile page) ------------------------------


class TestReminderPreferences:
    url = reverse("members:profile")
    good = {
        "display_name": "River",
        "pronouns": "",
        "time_zone": "Europe/London",
        "language": "en",
        "email_reminders": "on",
        "reminder_hours_before": "2",
    }

    def test_a_new_account_is_reminded_by_e_mail_a_day_before(self):
        user = UserFactory()
        assert user.email_reminders is True
        assert user.reminder_hours_before == ReminderLeadTime.ONE_DAY
        assert user.reminder_lead_time.total_seconds() == 24 * 3600

    def test_the_profile_page_saves_the_preferences(self, client):
        user = UserFactory()
        client.force_login(user)
        response = client.post(self.url, self.good)
        assert response.status_code == 302
        assert "Your profile is saved." in messages_of(response)
        user.refresh_from_db()
        assert (user.email_reminders, user.reminder_hours_before) == (True, 2)

    def test_an_unticked_box_turns_reminders_off(self, client):
        user = UserFactory()
        client.force_login(user)
        data = {k: v for k, v in self.good.items() if k != "email_reminders"}
        client.post(self.url, data)
        user.refresh_from_db()
        assert user.email_reminders is False

    def test_the_page_shows_the_reminder_choices_in_their_own_fieldset(self, client):
        client.force_login(UserFactory())
        body = client.get(self.url).content.decode()
        assert "<legend>Meeting reminders</legend>" in body
        for label in ("2 hours before", "1 day before", "2 days before"):
            assert label in body
        assert 'for="id_reminder_hours_before"' in body

    @pytest.mark.parametrize(
        "value",
        ["5", "abc", "", "<b>48</b>", "9" * 10_240, "-24", "24.0"],
    )
    def test_a_bad_lead_time_is_explained_and_nothing_is_saved(self, client, value):
        user = UserFactory(display_name="Before")
        client.force_login(user)
        response = client.post(self.url, {**self.good, "reminder_hours_before": value})
        assert response.status_code == 200
        form = response.context["form"]
        errors = " ".join(form.errors["reminder_hours_before"])
        assert "Select a valid choice" in errors or "required" in errors
        assert form["display_name"].value() == "River"
        assert form["email_reminders"].value() is True
        user.refresh_from_db()
        assert (user.display_name, user.reminder_hours_before) == ("Before", 24)

    def test_the_service_refuses_an_unknown_lead_time_and_keeps_the_object_clean(
        self,
    ):
        from django.core.exceptions import ValidationError

        user = UserFactory()
        with pytest.raises(ValidationError):
            services.user_update_profile(
                user=user,
                display_name="New",
                pronouns="",
                time_zone="Europe/London",
                language="en",
                email_reminders=False,
                reminder_hours_before=5,
            )
        # The caller's object does not keep what was refused.
        assert user.display_name != "New"
        assert user.reminder_hours_before == 24
        user.refresh_from_db()
        assert user.email_reminders is True


# --- Consent texts --------------------------------------------------------------


def test_every_kind_has_a_first_version_from_the_migration():
    texts = ConsentText.objects.filter(version=1)
    assert sorted(texts.values_list("kind", flat=True)) == sorted(ConsentKind.values)
    for text in texts:
        assert len(text.text) > 100


def test_a_published_text_cannot_be_changed_or_deleted():
    text = consent_text()
    text.text = "Something else"
    with pytest.raises(ImmutableError):
        text.save()
    with pytest.raises(ImmutableError):
        text.delete()
    assert consent_text().text != "Something else"


def test_two_texts_cannot_share_a_kind_and_version():
    with pytest.raises(IntegrityError):
        ConsentText.objects.create(kind=NEWSLETTER, version=1, text="Duplicate")


def test_publishing_numbers_versions_per_kind():
    second = services.consent_text_publish(kind=NEWSLETTER, text="  Version two.  ")
    assert (second.version, second.text) == (2, "Version two.")
    third = services.consent_text_publish(kind=NEWSLETTER, text="Version three.")
    assert third.version == 3
    other = services.consent_text_publish(kind=ConsentKind.BUDDY_EMAIL, text="Two.")
    assert other.version == 2
    assert selectors.consent_texts_current()[NEWSLETTER] == third


def test_a_text_published_for_later_is_not_current_yet():
    ConsentText.objects.create(
        kind=NEWSLETTER,
        version=2,
        text="Coming soon.",
        published_at=timezone.now() + timezone.timedelta(days=1),
    )
    assert selectors.consent_texts_current()[NEWSLETTER].version == 1


def test_coordinators_publish_a_new_version_in_the_admin_and_never_edit_one(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:members_consenttext_add"),
        {"kind": NEWSLETTER, "text": "Now every fortnight."},
    )
    assert response.status_code == 302
    latest = selectors.consent_texts_current()[NEWSLETTER]
    assert (latest.version, latest.text) == (2, "Now every fortnight.")
    change = reverse("admin:members_consenttext_change", args=[latest.pk])
    client.post(change, {"kind": NEWSLETTER, "text": "Sneaky edit"})
    latest.refresh_from_db()
    assert latest.text == "Now every fortnight."
    delete = reverse("admin:members_consenttext_delete", args=[latest.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ConsentText.objects.filter(pk=latest.pk).exists()


# --- Consent services -----------------------------------------------------------


class TestConsentServices:
    def test_grant_records_a_yes_to_the_current_text_once(self):
        user = UserFactory()
        first = services.consent_grant(user=user, kind=NEWSLETTER)
        again = services.consent_grant(user=user, kind=NEWSLETTER, version=1)
        assert first == again
        assert first.text == consent_text()
        assert selectors.has_consent(user=user, kind=NEWSLETTER)

    def test_withdraw_keeps_the_record_with_its_date(self):
        user = UserFactory()
        consent = services.consent_grant(user=user, kind=NEWSLETTER)
        assert services.consent_withdraw(user=user, kind=NEWSLETTER) == 1
        consent.refresh_from_db()
        assert consent.withdrawn_at is not None
        assert not selectors.has_consent(user=user, kind=NEWSLETTER)

    def test_granting_again_adds_a_new_record(self):
        user = UserFactory()
        services.consent_grant(user=user, kind=NEWSLETTER)
        services.consent_withdraw(user=user, kind=NEWSLETTER)
        services.consent_grant(user=user, kind=NEWSLETTER)
        records = Consent.objects.filter(user=user).order_by("granted_at", "id")
        assert [r.withdrawn_at is None for r in records] == [False, True]

    def test_withdrawing_what_was_never_given_is_explained(self):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError, match="nothing to withdraw"):
            services.consent_withdraw(user=UserFactory(), kind=NEWSLETTER)

    @pytest.mark.parametrize("kind", ["marketing", "", "<script>", "x" * 10_240])
    def test_unknown_kinds_are_refused(self, kind):
        from django.core.exceptions import ValidationError

        user = UserFactory()
        with pytest.raises(ValidationError, match="no such consent"):
            services.consent_grant(user=user, kind=kind)
        with pytest.raises(ValidationError, match="no such consent"):
            services.consent_withdraw(user=user, kind=kind)
        assert not Consent.objects.exists()

    def test_a_yes_to_an_outdated_version_is_refused(self):
        from django.core.exceptions import ValidationError

        user = UserFactory()
        services.consent_text_publish(kind=NEWSLETTER, text="New words.")
        with pytest.raises(ValidationError, match="has changed"):
            services.consent_grant(user=user, kind=NEWSLETTER, version=1)
        assert not Consent.objects.exists()

    def test_a_new_version_asks_again_and_the_old_yes_still_stands(self):
        user = UserFactory()
        services.consent_grant(user=user, kind=NEWSLETTER)
        services.consent_text_publish(kind=NEWSLETTER, text="New words.")
        status = {s.kind: s for s in selectors.consents_for_user(user=user)}[NEWSLETTER]
        assert status.state == status.OUTDATED
        assert status.is_given
        assert selectors.has_consent(user=user, kind=NEWSLETTER)
        services.consent_grant(user=user, kind=NEWSLETTER, version=2)
        status = {s.kind: s for s in selectors.consents_for_user(user=user)}[NEWSLETTER]
        assert (status.state, status.latest.text.version) == (status.GIVEN, 2)
        assert Consent.objects.filter(user=user).count() == 2

    def test_withdraw_ends_every_version_agreed_to(self):
        user = UserFactory()
        services.consent_grant(user=user, kind=NEWSLETTER)
        services.consent_text_publish(kind=NEWSLETTER, text="New words.")
        services.consent_grant(user=user, kind=NEWSLETTER)
        assert services.consent_withdraw(user=user, kind=NEWSLETTER) == 2
        assert not Consent.objects.filter(withdrawn_at__isnull=True).exists()

    def test_one_persons_consents_do_not_touch_anothers(self):
        user, other = UserFactory(), UserFactory()
        ConsentFactory(user=other)
        services.consent_grant(user=user, kind=NEWSLETTER)
        services.consent_withdraw(user=user, kind=NEWSLETTER)
        assert selectors.has_consent(user=other, kind=NEWSLETTER)

    def test_the_database_refuses_two_open_records_for_one_text(self):
        user = UserFactory()
        ConsentFactory(user=user)
        with pytest.raises(IntegrityError):
            ConsentFactory(user=user)


def test_consents_for_user_lists_every_kind_in_order_with_its_state():
    user = UserFactory()
    services.consent_grant(user=user, kind=NEWSLETTER)
    services.consent_grant(user=user, kind=ConsentKind.BUDDY_EMAIL)
    services.consent_withdraw(user=user, kind=ConsentKind.BUDDY_EMAIL)
    statuses = selectors.consents_for_user(user=user)
    assert [(s.kind, s.state) for s in statuses] == [
        (ConsentKind.SURVEY_REPORTS, "not_given"),
        (NEWSLETTER, "given"),
        (ConsentKind.BUDDY_EMAIL, "withdrawn"),
    ]


# --- The consents page ----------------------------------------------------------


class TestConsentPage:
    def post(self, client, **data):
        return client.post(CONSENTS, data)

    def test_shows_each_text_with_a_button_to_agree(self, client):
        client.force_login(UserFactory())
        body = client.get(CONSENTS).content.decode()
        for text in ConsentText.objects.all():
            assert text.get_kind_display() in body
        assert body.count("You have not agreed to this.") == len(ConsentKind)
        assert body.count('value="grant"') == len(ConsentKind)
        assert 'value="withdraw"' not in body
        assert "Version 1, published" in body

    def test_agree_then_withdraw(self, client):
        user = UserFactory()
        client.force_login(user)
        response = self.post(client, kind=NEWSLETTER, version=1, action="grant")
        assert response.status_code == 302
        assert "Thank you: you agreed to “Receive the newsletter”." in (
            messages_of(response)
        )
        body = client.get(CONSENTS).content.decode()
        assert "You agreed to this on" in body
        response = self.post(client, kind=NEWSLETTER, action="withdraw")
        assert "You withdrew your agreement to “Receive the newsletter”." in (
            messages_of(response)
        )
        body = client.get(CONSENTS).content.decode()
        assert "You withdrew your agreement on" in body
        assert Consent.objects.get(user=user).withdrawn_at is not None

    def test_a_newer_text_is_shown_and_asked_again(self, client):
        user = UserFactory()
        services.consent_grant(user=user, kind=NEWSLETTER)
        services.consent_text_publish(kind=NEWSLETTER, text="Now every week.")
        client.force_login(user)
        body = client.get(CONSENTS).content.decode()
        assert "This text has changed since you agreed to it." in body
        assert "You agreed to version 1 on" in body
        assert "Now every week." in body
        assert "I agree to the new version" in body
        response = self.post(client, kind=NEWSLETTER, version=2, action="grant")
        assert response.status_code == 302
        assert "has changed" not in client.get(CONSENTS).content.decode()

    def test_a_yes_to_a_text_changed_since_the_page_opened_is_not_recorded(
        self, client
    ):
        user = UserFactory()
        client.force_login(user)
        services.consent_text_publish(kind=NEWSLETTER, text="Now every week.")
        response = self.post(client, kind=NEWSLETTER, version=1, action="grant")
        assert response.status_code == 200
        assert any("has changed" in m for m in messages_of(response))
        assert "Now every week." in response.content.decode()
        assert not Consent.objects.exists()

    def test_a_forged_post_naming_another_kind_with_its_version_is_refused(
        self, client
    ):
        # Buddy e-mail has only version 1; a version copied from the newsletter
        # form (now at 2) does not record a yes to words never shown.
        user = UserFactory()
        client.force_login(user)
        services.consent_text_publish(kind=NEWSLETTER, text="Two.")
        response = self.post(
            client, kind=ConsentKind.BUDDY_EMAIL, version=2, action="grant"
        )
        assert response.status_code == 200
        assert any("has changed" in m for m in messages_of(response))
        assert not Consent.objects.exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"kind": "marketing", "action": "grant"}, "no such consent"),
            ({"kind": "<script>x</script>", "action": "grant"}, "no such consent"),
            ({"kind": "n" * 10_240, "action": "grant"}, "no such consent"),
            ({"action": "grant"}, "Choose which consent"),
            ({"kind": NEWSLETTER}, "Choose to agree or to withdraw"),
            ({"kind": NEWSLETTER, "action": "delete"}, "Choose to agree or to"),
            (
                {"kind": NEWSLETTER, "action": "grant", "version": "abc"},
                "version of the text is not valid",
            ),
            (
                {"kind": NEWSLETTER, "action": "grant", "version": "9" * 10_240},
                "version of the text is not valid",
            ),
            (
                {"kind": NEWSLETTER, "action": "grant", "version": "0"},
                "version of the text is not valid",
            ),
            (
                {"kind": NEWSLETTER, "action": "grant"},
                "version of the text is missing",
            ),
            ({"kind": NEWSLETTER, "action": "withdraw"}, "nothing to withdraw"),
        ],
    )
    def test_bad_input_is_explained_and_nothing_is_saved(self, client, data, message):
        user = UserFactory()
        client.force_login(user)
        response = self.post(client, **data)
        assert response.status_code == 200
        shown = " ".join(messages_of(response))
        assert message in shown
        assert "<script>x" not in response.content.decode()
        assert "Nothing was changed" in shown or "nothing to withdraw" in shown
        assert not Consent.objects.filter(user=user).exists()
        # The page is still there to try again.
        assert response.content.decode().count('value="grant"') == len(ConsentKind)

    def test_a_post_naming_another_person_changes_only_my_own(self, client):
        me, other = UserFactory(), UserFactory()
        ConsentFactory(user=other)
        client.force_login(me)
        self.post(client, kind=NEWSLETTER, action="withdraw", user=other.pk)
        assert selectors.has_consent(user=other, kind=NEWSLETTER)
        self.post(client, kind=NEWSLETTER, version=1, action="grant", user=other.pk)
        assert Consent.objects.filter(user=me).count() == 1
        assert Consent.objects.filter(user=other).count() == 1

    def test_forms_on_one_page_have_distinct_ids(self, client):
        client.force_login(UserFactory())
        body = client.get(CONSENTS).content.decode()
        for kind in ConsentKind.values:
            assert f'id="consent-{kind}"' in body
            assert f'id="id_{kind}_kind"' in body
        assert 'id="id_kind"' not in body

    @pytest.mark.parametrize("history", [1, 30])
    def test_query_count_does_not_grow_with_history(
        self, client, django_assert_num_queries, history
    ):
        user = UserFactory()
        for _ in range(history):
            services.consent_grant(user=user, kind=NEWSLETTER)
            services.consent_withdraw(user=user, kind=NEWSLETTER)
        for number in range(2, 2 + history):
            ConsentText.objects.create(
                kind=ConsentKind.BUDDY_EMAIL, version=number, text=f"v{number}"
            )
        client.force_login(user)
        # Session, user, current texts, the person's consents.
        with django_assert_num_queries(4):
            response = client.get(CONSENTS)
        assert response.status_code == 200
