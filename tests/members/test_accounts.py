"""Sign-up, verification, log-in, two-factor and rate limits through allauth."""

import re

from django.core import mail
from django.urls import reverse

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from members.models import User
from tests.members.factories import (
    PASSWORD,
    TOTP_SECRET,
    CoordinatorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")
LOGIN = reverse("account_login")


def signup_data(**overrides):
    return {
        "email": "newcomer@example.org",
        "display_name": "Newcomer",
        "pronouns": "she/her",
        "password1": "correct horse battery staple",
        "password2": "correct horse battery staple",
        **overrides,
    }


def test_sign_up_creates_one_unverified_user_and_sends_the_link(client):
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.org")
    assert (user.display_name, user.pronouns) == ("Newcomer", "she/her")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert re.search(r"/accounts/confirm-email/\S+/", mail.outbox[0].body)
    assert mail.outbox[0].body.startswith("Hello from Circle!")
    assert mail.outbox[0].subject.startswith("[Circle] ")


def test_an_unverified_user_cannot_log_in_until_they_confirm(client):
    client.post(SIGNUP, signup_data())
    client.logout()
    response = client.post(
        LOGIN,
        {"login": "newcomer@example.org", "password": "correct horse battery staple"},
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    link = re.search(
        r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body
    )
    client.post(link.group(1))
    assert EmailAddress.objects.get(email="newcomer@example.org").verified
    response = client.post(
        LOGIN,
        {"login": "newcomer@example.org", "password": "correct horse battery staple"},
    )
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "This field is required."),
        ({"password1": "password", "password2": "password"}, "password1", "too common"),
        (
            {"password1": "short", "password2": "short"},
            "password1",
            "at least 10 characters",
        ),
        (
            {"password1": "83749203847563", "password2": "83749203847563"},
            "password1",
            "entirely numeric",
        ),
        ({"password2": "something else entirely"}, "password2", "same password"),
        ({"display_name": "x" * 10_240}, "display_name", "at most 60 characters"),
        ({"display_name": ""}, "display_name", "This field is required."),
        ({"display_name": "\u200b\u200b"}, "display_name", "ordinary punctuation"),
        ({"pronouns": "p" * 41}, "pronouns", "at most 40 characters"),
    ],
)
def test_bad_sign_up_is_explained_at_the_field_and_creates_nothing(
    client, overrides, field, message
):
    data = signup_data(**overrides)
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field]), form.errors
    # What the person typed elsewhere is still there (passwords excepted).
    for kept in ("email", "display_name", "pronouns"):
        if kept != field:
            assert form[kept].value() == data[kept]
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert not mail.outbox


def test_sign_up_with_a_taken_address_reveals_nothing_and_tells_the_owner(client):
    # Whether someone has an account here is private: the page looks like any
    # sign-up, and the address's owner is told by e-mail instead.
    owner = UserFactory(email="taken@example.org", display_name="Owner")
    response = client.post(SIGNUP, signup_data(email="Taken@Example.org"))
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.count() == 1
    assert User.objects.get().display_name == owner.display_name
    assert [m.to for m in mail.outbox] == [["taken@example.org"]]
    assert "already" in mail.outbox[0].body.lower()
    page = client.get(response["Location"]).content.decode()
    assert "We have sent an email to you for verification" in page


def test_html_display_name_at_sign_up_is_stored_as_typed_and_shown_escaped(client):
    client.post(SIGNUP, signup_data(display_name="<img src=x onerror=alert(1)>"))
    user = User.objects.get()
    assert user.display_name == "<img src=x onerror=alert(1)>"
    EmailAddress.objects.filter(user=user).update(verified=True)
    client.force_login(user)
    body = client.get("/").content.decode()
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_failed_logins_are_rate_limited(client):
    UserFactory(email="target@example.org")
    for _ in range(5):
        response = client.post(
            LOGIN, {"login": "target@example.org", "password": "wrong"}
        )
        assert "email address and/or password you specified are not correct" in (
            response.content.decode()
        )
    response = client.post(LOGIN, {"login": "target@example.org", "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_totp_code_at_set_up_is_explained_and_activates_nothing(client):
    user = UserFactory(is_coordinator=True)
    client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    # Adding an authenticator asks for the password again first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    for code, message in [
        ("000000", "Incorrect code."),
        ("abc", "Incorrect code."),
        ("", "This field is required."),
        ("9" * 500, "Incorrect code."),
    ]:
        if code == pyotp.TOTP(secret).now():
            continue
        response = client.post(reverse("mfa_activate_totp"), {"code": code})
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors["code"])
    assert not Authenticator.objects.filter(user=user).exists()
    response = client.post(
        reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()}
    )
    assert response.status_code == 302
    assert set(
        Authenticator.objects.filter(user=user).values_list("type", flat=True)
    ) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }


def test_login_with_two_factor_needs_the_right_code(client):
    coordinator = CoordinatorFactory()
    response = client.post(LOGIN, {"login": coordinator.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert "Incorrect code." in response.content.decode()
    assert "_auth_user_id" not in client.session
    code = pyotp.TOTP(TOTP_SECRET).now()
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("outcomes:dashboard")).status_code == 200


def test_admin_login_goes_through_allauth_and_its_two_factor(client):
    CoordinatorFactory(email="staff@example.org", is_staff=True)
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_password_reset_by_e_mail_link(client):
    user = UserFactory(email="forgetful@example.org")
    response = client.post(
        reverse("account_reset_password"), {"email": "forgetful@example.org"}
    )
    assert response["Location"] == reverse("account_reset_password_done")
    assert [m.to for m in mail.outbox] == [["forgetful@example.org"]]
    link = re.search(
        r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body
    )
    response = client.get(link.group(1))  # allauth moves the key into the session
    form_url = response["Location"]
    new = "a brand new long passphrase"
    for bad, message in [
        (("short", "short"), "at least 10 characters"),
        ((new, new + "x"), "same password"),
    ]:
        response = client.post(form_url, {"password1": bad[0], "password2": bad[1]})
        assert message in response.content.decode()
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(
        reverse("account_reset_password"), {"email": "stranger@example.org"}
    )
    assert response["Location"] == reverse("account_reset_password_done")
    # allauth tells the address that no account exists; the page says nothing.
    assert [m.to for m in mail.outbox] == [["stranger@example.org"]]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {
                "oldpassword": "wrong",
                "password1": "new long passphrase",
                "password2": "new long passphrase",
            },
            "oldpassword",
            "current password",
        ),
        (
            {"oldpassword": PASSWORD, "password1": "password", "password2": "password"},
            "password1",
            "too common",
        ),
        (
            {"oldpassword": PASSWORD, "password1": "x" * 5000, "password2": "y" * 5000},
            "password2",
            "same password",
        ),
        (
            {"oldpassword": PASSWORD, "password1": "", "password2": ""},
            "password1",
            "This field is required.",
        ),
    ],
)
def test_password_change_bad_input_keeps_the_old_password(client, data, field, message):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("account_change_password"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    new = "another long passphrase"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
