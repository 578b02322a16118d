"""The demo logins `manage.py seed_demo` creates, each on its own pages."""

import io
import re

from django.core.management import call_command
from django.urls import reverse

import pytest

from members.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.e2e.conftest import (
    click_and_check,
    field,
    heading,
    log_in,
    totp_code,
    visit_and_check,
)

pytestmark = pytest.mark.e2e

ANXIETY_CIRCLE = "Thursday Anxiety Circle"


@pytest.fixture
def demo(settings):
    # seed_demo refuses to run without DEBUG; the pages are served without it.
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def open_own_pages(page, axe, display_name):
    """The profile and "Get help now" pages, reached from the navigation."""
    # Chromium puts a space before the visually hidden part of the name.
    profile_link = re.compile(
        rf"^{re.escape(display_name)}\s*: your profile and security$"
    )
    click_and_check(page, axe, main_nav(page).get_by_role("link", name=profile_link))
    assert heading(page, "Your profile", level=1).is_visible()
    assert field(page, "Display name").input_value() == display_name

    click_and_check(page, axe, main_nav(page).get_by_role("link", name="Get help now"))
    assert heading(page, "Get help now", level=1).is_visible()


def test_demo_member(page, axe, demo):
    log_in(page, axe, "member@demo.example", DEMO_PASSWORD)
    assert heading(page, "Hello, Morgan", level=1).is_visible()
    my_groups = page.get_by_role("region", name="My groups")
    assert my_groups.get_by_role("link", name=ANXIETY_CIRCLE).is_visible()
    assert not page.get_by_role("region", name="Meetings I run next").count()

    click_and_check(page, axe, my_groups.get_by_role("link", name=ANXIETY_CIRCLE))
    assert heading(page, ANXIETY_CIRCLE, level=1).is_visible()
    # The demo lead published version 2: Morgan is asked to agree again, with
    # the change note, and sees the members only after agreeing.
    assert heading(page, "The guidelines have changed", level=2).is_visible()
    assert page.get_by_text("cameras are optional").first.is_visible()
    assert not heading(page, "Members", level=2).count()
    click_and_check(
        page,
        axe,
        page.get_by_role("button", name="I agree to version 2 of the guidelines"),
    )
    members = page.get_by_role("region", name="Members", exact=True)
    assert members.get_by_text("Frankie").count()

    open_own_pages(page, axe, "Morgan")

    # Coordinator pages are closed to members, and the refusal is accessible.
    visit_and_check(page, axe, reverse("outcomes:dashboard"), status=403)
    assert heading(page, "This page isn't available to you", level=1).is_visible()


def test_demo_facilitator(page, axe, demo):
    log_in(page, axe, "facilitator@demo.example", DEMO_PASSWORD)
    assert heading(page, "Hello, Frankie", level=1).is_visible()
    facilitating = page.get_by_role("region", name="Meetings I run next")
    assert facilitating.is_visible()
    assert heading(facilitating, "Groups I lead", level=3).is_visible()
    my_groups = page.get_by_role("region", name="My groups")
    assert my_groups.get_by_role("link", name=ANXIETY_CIRCLE).is_visible()
    assert my_groups.get_by_role("link", name="After Loss").is_visible()

    click_and_check(
        page, axe, facilitating.get_by_role("link", name=ANXIETY_CIRCLE, exact=True)
    )
    assert heading(page, ANXIETY_CIRCLE, level=1).is_visible()
    tabs = page.get_by_role("navigation", name=ANXIETY_CIRCLE)
    click_and_check(page, axe, tabs.get_by_role("link", name="Manage members"))
    # Sam's request waits in the queue with their message.
    assert page.get_by_text("I'd like to listen first").is_visible()
    click_and_check(page, axe, tabs.get_by_role("link", name="Who agreed"))
    assert page.get_by_role("cell", name="Not yet").count() >= 2

    open_own_pages(page, axe, "Frankie")


def test_demo_coordinator(page, axe, demo):
    log_in(page, axe, "coordinator@demo.example", DEMO_PASSWORD)
    assert heading(page, "Two-Factor Authentication", level=1).is_visible()
    field(page, "Code").fill(totp_code(DEMO_TOTP_SECRET))
    click_and_check(page, axe, page.get_by_role("button", name="Sign In"))
    assert heading(page, "Hello, Casey (coordinator)", level=1).is_visible()
    assert page.get_by_role("region", name="Coordination").is_visible()

    click_and_check(page, axe, main_nav(page).get_by_role("link", name="Coordination"))
    assert heading(page, "Coordination", level=1).is_visible()
    assert heading(page, "The organisation today", level=2).is_visible()

    click_and_check(page, axe, main_nav(page).get_by_role("link", name="Coordinators"))
    assert heading(page, "Coordinators", level=1).is_visible()
    assert page.get_by_role("cell", name="Casey (coordinator) (you)").is_visible()

    open_own_pages(page, axe, "Casey (coordinator)")
    assert page.get_by_role("link", name="Edit this page").is_visible()
