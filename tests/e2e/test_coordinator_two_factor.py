"""A new coordinator is made to set up two-factor before coordinator pages,
and from then on needs the authenticator code to log in."""

from django.urls import reverse

import pytest
from playwright.sync_api import expect

from members.permissions import has_two_factor
from tests.e2e.conftest import (
    click_and_check,
    current_path,
    field,
    heading,
    log_in,
    totp_code,
    visit_and_check,
    wrong_totp_code,
)
from tests.members.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def assert_field_error(code_field, message):
    """The error is shown and tied to the field, for screen readers too."""
    expect(code_field).to_have_attribute("aria-invalid", "true")
    expect(code_field).to_have_accessible_description(message)


def test_coordinator_sets_up_two_factor_and_logs_in_with_it(page, axe):
    coordinator = UserFactory(is_coordinator=True)

    log_in(page, axe, coordinator.email, PASSWORD)
    assert heading(page, f"Hello, {coordinator.display_name}", level=1).is_visible()

    # A coordinator page sends a coordinator without two-factor to set it up.
    # allauth first asks for the password again, so the explanation is shown
    # on whichever page comes first.
    visit_and_check(page, axe, reverse("outcomes:dashboard"))
    assert page.get_by_text("Coordinator pages need two-factor").is_visible()
    if heading(page, "Confirm Access", level=1).is_visible():
        field(page, "Password").fill(PASSWORD)
        click_and_check(page, axe, page.get_by_role("button", name="Confirm"))
    assert current_path(page) == reverse("mfa_activate_totp")
    assert heading(page, "Activate Authenticator App", level=1).is_visible()
    secret = field(page, "Authenticator secret").input_value()
    assert len(secret) >= 16

    field(page, "Authenticator code").fill(wrong_totp_code(secret))
    click_and_check(page, axe, page.get_by_role("button", name="Activate"))
    assert_field_error(field(page, "Authenticator code"), "Incorrect code.")
    assert not has_two_factor(coordinator)

    assert field(page, "Authenticator secret").input_value() == secret
    code = totp_code(secret)
    field(page, "Authenticator code").fill(code)
    click_and_check(page, axe, page.get_by_role("button", name="Activate"))
    assert has_two_factor(coordinator)
    assert heading(page, "Recovery Codes", level=1).is_visible()
    assert page.get_by_label("Unused codes").input_value().strip()

    click_and_check(
        page, axe, page.get_by_role("link", name="Continue to the page you wanted")
    )
    assert current_path(page) == reverse("outcomes:dashboard")
    assert heading(page, "Coordination", level=1).is_visible()

    click_and_check(page, axe, page.get_by_role("link", name="Sign out"))
    click_and_check(page, axe, page.get_by_role("button", name="Sign Out"))
    assert heading(page, "Peer support groups, run by their members").is_visible()

    # Logging in again: the password alone is not enough any more.
    log_in(page, axe, coordinator.email, PASSWORD)
    assert heading(page, "Two-Factor Authentication", level=1).is_visible()
    field(page, "Code").fill(wrong_totp_code(secret))
    click_and_check(page, axe, page.get_by_role("button", name="Sign In"))
    assert_field_error(field(page, "Code"), "Incorrect code.")
    assert heading(page, "Two-Factor Authentication", level=1).is_visible()

    # allauth accepts only the current 30-second step (MFA_TOTP_TOLERANCE is 0,
    # not 1), so a next-step code would be refused. Login codes are taken once
    # each, but activating does not spend its code, so the code the app shows
    # now is right whether or not the step has moved on since activating.
    field(page, "Code").fill(totp_code(secret))
    click_and_check(page, axe, page.get_by_role("button", name="Sign In"))
    assert heading(page, f"Hello, {coordinator.display_name}", level=1).is_visible()

    click_and_check(
        page,
        axe,
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Coordination"
        ),
    )
    assert heading(page, "Coordination", level=1).is_visible()
