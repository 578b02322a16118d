"""A member's own account pages: reminder preferences, consents, downloading
their data, and deleting the account, after which nobody can log in to it."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from members.defaults import create_consent_texts
from members.models import Consent, ConsentKind, ConsentText, ReminderLeadTime, User
from tests.e2e.conftest import (
    click_and_check,
    current_path,
    field,
    heading,
    log_in,
    visit_and_check,
)
from tests.members.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

DISPLAY_NAME = "Robin Ashdown"
NEWSLETTER = ConsentKind.NEWSLETTER.label


def named(*parts):
    """An accessible name made of ``parts``: Chromium may or may not put a
    space before a visually hidden part, so allow either."""
    return re.compile(r"^" + r"\s*".join(re.escape(part) for part in parts) + r"$")


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def account_nav(page):
    return page.get_by_role("navigation", name="Account settings")


@pytest.fixture
def member():
    # Version 1 of each consent text comes from a data migration, which does
    # not survive other tests' flush.
    create_consent_texts(ConsentText)
    return UserFactory(display_name=DISPLAY_NAME)


def test_profile_consents_export_and_delete(page, axe, member):
    # 1. The profile, from the main navigation: reminders change and are saved.
    log_in(page, axe, member.email, PASSWORD)
    click_and_check(
        page,
        axe,
        main_nav(page).get_by_role(
            "link", name=named(DISPLAY_NAME, ": your profile and security")
        ),
    )
    assert heading(page, "Your profile", level=1).is_visible()
    reminders = page.get_by_role("group", name="Meeting reminders")
    send_reminders = field(reminders, "E-mail me a reminder before meetings")
    expect(send_reminders).to_be_checked()
    when = field(reminders, "When to send the reminder")
    expect(when).to_have_value(str(ReminderLeadTime.ONE_DAY))
    when.select_option(label="2 hours before")
    send_reminders.uncheck()
    click_and_check(page, axe, page.get_by_role("button", name="Save profile"))
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    expect(field(page, "E-mail me a reminder before meetings")).not_to_be_checked()
    expect(field(page, "When to send the reminder")).to_have_value(
        str(ReminderLeadTime.TWO_HOURS)
    )
    member.refresh_from_db()
    assert member.email_reminders is False
    assert member.reminder_hours_before == ReminderLeadTime.TWO_HOURS
    assert member.display_name == DISPLAY_NAME

    # 2. Consents: agree to the newsletter, then withdraw.
    click_and_check(page, axe, account_nav(page).get_by_role("link", name="Consents"))
    assert heading(page, "Your consents", level=1).is_visible()
    newsletter = page.get_by_role("region", name=NEWSLETTER, exact=True)
    expect(newsletter).to_contain_text("You have not agreed to this.")
    expect(newsletter.get_by_role("button", name=re.compile("Withdraw"))).to_have_count(
        0
    )
    click_and_check(
        page,
        axe,
        newsletter.get_by_role("button", name=named("I agree", f": {NEWSLETTER}")),
    )
    expect(page.get_by_role("status")).to_contain_text(
        f"Thank you: you agreed to “{NEWSLETTER}”."
    )
    newsletter = page.get_by_role("region", name=NEWSLETTER, exact=True)
    expect(newsletter).to_contain_text("You agreed to this on")
    consent = Consent.objects.get(user=member, text__kind=ConsentKind.NEWSLETTER)
    assert consent.withdrawn_at is None
    # The other consents are untouched.
    assert Consent.objects.filter(user=member).count() == 1

    click_and_check(
        page,
        axe,
        newsletter.get_by_role(
            "button", name=named("Withdraw my agreement", f": {NEWSLETTER}")
        ),
    )
    expect(page.get_by_role("status")).to_contain_text(
        f"You withdrew your agreement to “{NEWSLETTER}”."
    )
    newsletter = page.get_by_role("region", name=NEWSLETTER, exact=True)
    expect(newsletter).to_contain_text("You withdrew your agreement on")
    expect(
        newsletter.get_by_role("button", name=named("I agree", f": {NEWSLETTER}"))
    ).to_be_visible()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None

    # 3. Download my data: a JSON file with their profile and consents in it.
    click_and_check(
        page, axe, account_nav(page).get_by_role("link", name="Download my data")
    )
    assert heading(page, "Download my data", level=1).is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    download = download_info.value
    assert download.failure() is None
    assert re.fullmatch(
        r"circle-data-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename
    )
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["profile"]["display_name"] == DISPLAY_NAME
    assert data["account"]["login_email"] == member.email
    assert data["notification_preferences"]["email_reminders"] is False
    assert data["notification_preferences"]["reminder_hours_before"] == 2
    [exported_consent] = data["consents"]
    assert exported_consent["kind"] == ConsentKind.NEWSLETTER
    assert exported_consent["withdrawn_at"] is not None
    # The download left the page where it was.
    assert heading(page, "Download my data", level=1).is_visible()

    # 4. Delete my account: a wrong password changes nothing.
    click_and_check(
        page, axe, account_nav(page).get_by_role("link", name="Delete my account")
    )
    assert heading(page, "Delete my account", level=1).is_visible()
    field(page, "Your password").fill("not-my-password")
    field(page, "Type “delete my account” to confirm").fill("delete my account")
    click_and_check(page, axe, page.get_by_role("button", name="Delete my account"))
    assert heading(page, "Delete my account", level=1).is_visible()
    password = field(page, "Your password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(
        "That is not your password. Your account has not been changed."
    )
    member.refresh_from_db()
    assert member.is_active
    assert member.display_name == DISPLAY_NAME
    assert member.has_usable_password()

    # 5. The right password and the confirmation: the account is erased.
    password.fill(PASSWORD)
    field(page, "Type “delete my account” to confirm").fill("Delete my account")
    click_and_check(page, axe, page.get_by_role("button", name="Delete my account"))
    assert current_path(page) == "/account/deleted/"
    assert heading(page, "Your account is deleted", level=1).is_visible()
    expect(main_nav(page).get_by_role("link", name="Sign in")).to_be_visible()
    erased = User.objects.get(pk=member.pk)
    assert erased.display_name == User.ERASED_DISPLAY_NAME == "Former member"
    assert not erased.is_active
    assert not erased.has_usable_password()
    assert erased.email != member.email
    assert not Consent.objects.filter(user=erased).exists()

    # 6. Nobody can log in to it again.
    log_in(page, axe, member.email, PASSWORD)
    assert heading(page, "Sign In", level=1).is_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "The email address and/or password you specified are not correct."
    )
    visit_and_check(page, axe, "/")
    assert heading(page, "Peer support groups, run by their members").is_visible()
