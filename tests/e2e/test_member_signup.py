"""A newcomer signs up, confirms their e-mail address and reaches their home."""

import pytest

from tests.e2e.conftest import (
    click_and_check,
    confirmation_link,
    field,
    heading,
    log_in,
    sent_mail,
    visit_and_check,
)

pytestmark = pytest.mark.e2e

EMAIL = "newcomer@example.org"
DISPLAY_NAME = "River"
PASSWORD = "quiet-harbour-lantern-42"


def test_sign_up_confirm_email_and_reach_home(
    page, axe, live_server, settings, tmp_path
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path

    visit_and_check(page, axe, "/")
    main = page.get_by_role("main")
    click_and_check(page, axe, main.get_by_role("link", name="Sign up"))
    assert heading(page, "Sign Up", level=1).is_visible()

    field(page, "Email").fill(EMAIL)
    field(page, "Display name").fill(DISPLAY_NAME)
    field(page, "Password").fill(PASSWORD)
    field(page, "Password (again)").fill(PASSWORD)
    click_and_check(page, axe, page.get_by_role("button", name="Sign Up"))
    assert heading(page, "Verify Your Email Address", level=1).is_visible()

    # Verification is mandatory: the password alone does not open the account.
    log_in(page, axe, EMAIL, PASSWORD)
    assert heading(page, "Verify Your Email Address", level=1).is_visible()
    assert not heading(page, f"Hello, {DISPLAY_NAME}").is_visible()
    visit_and_check(page, axe, "/")
    assert heading(page, "Peer support groups, run by their members").is_visible()

    mail = sent_mail(tmp_path)
    assert mail, "no e-mail was sent"
    assert all(message["To"] == EMAIL for message in mail)
    visit_and_check(page, axe, confirmation_link(mail[-1], live_server.url))
    assert heading(page, "Confirm Email Address", level=1).is_visible()
    click_and_check(page, axe, page.get_by_role("button", name="Confirm"))
    if heading(page, "Sign In", level=1).is_visible():
        field(page, "Email").fill(EMAIL)
        field(page, "Password").fill(PASSWORD)
        click_and_check(page, axe, page.get_by_role("button", name="Sign In"))

    assert heading(page, f"Hello, {DISPLAY_NAME}", level=1).is_visible()
    assert heading(page, "My groups", level=2).is_visible()
    assert page.get_by_text("You are not in a group yet.").is_visible()
