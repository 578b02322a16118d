"""A person finds an open group and asks to join; the lead approves; the member
agrees to the guidelines before seeing the group's members; the lead publishes
a new version and the member is asked again, with the change note; an
invitation link works once and then says it was used."""

import re

import pytest
from playwright.sync_api import expect

from groups import services
from groups.models import GuidelineVersion, Membership
from tests.e2e.conftest import (
    click_and_check,
    field,
    heading,
    log_in,
    visit_and_check,
)
from tests.members.factories import PASSWORD, CoordinatorFactory, UserFactory

pytestmark = pytest.mark.e2e

GROUP = "Quiet Harbour"
SLUG = "quiet-harbour"
GUIDELINES = [
    ("Listen without judgment", "Give each person your full attention."),
    (
        "What is shared here stays here",
        "Do not repeat outside the group who was here or what they said.",
    ),
    ("Everyone may pass", "Nobody has to speak."),
]
CHANGED_EXPLANATION = (
    "Do not repeat outside the group who was here or what they said, "
    "not even to family."
)
NEW_ITEM = ("Phones away", "Keep phones silent and out of sight during meetings.")
CHANGE_NOTE = "Confidentiality now covers family too, and phones stay away."
REQUEST_MESSAGE = "I moved here last month and would like to meet people."
APPROVAL_MESSAGE = "Welcome! We meet on Thursdays."


def named(*parts):
    """An accessible name made of ``parts``: Chromium may or may not put a
    space before a visually hidden part, so allow either."""
    return re.compile(r"^" + r"\s*".join(re.escape(part) for part in parts) + r"$")


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def group_nav(page):
    """The tabs inside the group."""
    return page.get_by_role("navigation", name=GROUP)


def guideline_fieldset(page, number):
    return page.get_by_role("group", name=f"Guideline {number}", exact=True)


@pytest.fixture
def group():
    """An open group with known guidelines as version 1 and an active lead who
    agreed to them, made through the services as a coordinator would."""
    coordinator = CoordinatorFactory()
    # The defaults from the data migration do not survive other tests' flush.
    services.default_guidelines_save(
        items=[{"title": t, "explanation": e} for t, e in GUIDELINES],
        acting_user=coordinator,
    )
    lead = UserFactory(display_name="Alex Lead")
    group = services.group_create(
        acting_user=coordinator,
        name=GROUP,
        slug=SLUG,
        description="A weekly evening group for people new to the city.",
        lead_email=lead.email,
        capacity=8,
    )
    services.guideline_acknowledge(user=lead, group=group)
    group.lead = lead
    return group


def open_own_group(page, axe):
    """From anywhere, through "Find a group", into the group's page."""
    click_and_check(page, axe, main_nav(page).get_by_role("link", name="Find a group"))
    click_and_check(
        page, axe, page.get_by_role("link", name=named("Open your group", GROUP))
    )
    assert heading(page, GROUP, level=1).is_visible()


def test_join_agree_republish_and_invite(page, new_page, axe, group):
    newcomer = UserFactory(display_name="Sam Newcomer")
    lead_page = new_page()

    # 1. The newcomer finds the open group and asks to join.
    log_in(page, axe, newcomer.email, PASSWORD)
    click_and_check(page, axe, main_nav(page).get_by_role("link", name="Find a group"))
    assert heading(page, "Find a group", level=1).is_visible()
    card = page.get_by_role("region", name=GROUP, exact=True)
    expect(card).to_contain_text("8 places, 1 taken")
    click_and_check(
        page, axe, card.get_by_role("link", name=named("Ask to join", GROUP))
    )
    assert heading(page, f"Ask to join {GROUP}", level=1).is_visible()
    field(page, "A few words for the group's leads (optional)").fill(REQUEST_MESSAGE)
    click_and_check(
        page, axe, page.get_by_role("button", name="Ask to join", exact=True)
    )
    assert heading(page, "Find a group", level=1).is_visible()
    expect(page.get_by_role("status")).to_contain_text(
        f"You asked to join {GROUP}. A lead will answer soon."
    )
    requests = page.get_by_role("region", name="Your requests", exact=True)
    expect(requests).to_contain_text(f"{GROUP}: asked on")
    expect(requests).to_contain_text("waiting for a lead")
    expect(page.get_by_role("region", name=GROUP, exact=True)).to_contain_text(
        "You have asked to join."
    )
    # While the request waits, the group itself stays closed to them.
    visit_and_check(page, axe, f"/groups/{SLUG}/", status=404)

    # 2. The lead reads the request and approves it, with a message.
    log_in(lead_page, axe, group.lead.email, PASSWORD)
    open_own_group(lead_page, axe)
    click_and_check(
        lead_page,
        axe,
        group_nav(lead_page).get_by_role("link", name="Manage members"),
    )
    queue = lead_page.get_by_role("region", name="Requests to join", exact=True)
    expect(queue).to_contain_text(newcomer.display_name)
    expect(queue).to_contain_text(REQUEST_MESSAGE)
    field(queue, "Message with your answer (optional)").fill(APPROVAL_MESSAGE)
    click_and_check(
        lead_page,
        axe,
        queue.get_by_role("button", name=named("Approve", newcomer.display_name)),
    )
    expect(lead_page.get_by_role("status")).to_contain_text(
        f"{newcomer.display_name} is now a member."
    )
    expect(queue).to_contain_text("No one is waiting.")
    approved = Membership.objects.get(user=newcomer, group=group)
    assert approved.status == Membership.Status.ACTIVE
    assert approved.decision_message == APPROVAL_MESSAGE
    expect(
        lead_page.get_by_role("row").filter(has_text=newcomer.display_name)
    ).to_contain_text("Active")

    # 3. The newcomer must agree to the guidelines before seeing the members.
    open_own_group(page, axe)
    assert heading(page, "Before you join in: our guidelines", level=2).is_visible()
    for title, explanation in GUIDELINES:
        expect(page.get_by_role("main")).to_contain_text(f"{title}. {explanation}")
    expect(heading(page, "Members")).to_have_count(0)
    expect(page.get_by_text(group.lead.display_name)).to_have_count(0)
    click_and_check(
        page,
        axe,
        page.get_by_role("button", name="I agree to version 1 of the guidelines"),
    )
    expect(page.get_by_role("status")).to_contain_text(
        "You agreed to the group's guidelines."
    )
    roster = page.get_by_role("region", name="Members", exact=True)
    assert heading(roster, "Members", level=2).is_visible()
    expect(roster).to_contain_text(group.lead.display_name)
    expect(roster).to_contain_text(newcomer.display_name)

    # 4. The lead changes an item and adds one. Publishing needs a change note:
    # without one, the error is shown and the edits are kept.
    click_and_check(
        lead_page,
        axe,
        group_nav(lead_page).get_by_role("link", name="Edit guidelines"),
    )
    second = guideline_fieldset(lead_page, 2)
    expect(field(second, "Title")).to_have_value(GUIDELINES[1][0])
    field(second, "Explanation").fill(CHANGED_EXPLANATION)
    extra = guideline_fieldset(lead_page, len(GUIDELINES) + 1)
    expect(field(extra, "Title")).to_have_value("")
    field(extra, "Title").fill(NEW_ITEM[0])
    field(extra, "Explanation").fill(NEW_ITEM[1])
    publish = lead_page.get_by_role("button", name="Publish as a new version")
    click_and_check(lead_page, axe, publish)
    change_note = field(lead_page, "What changed, in a sentence")
    expect(change_note).to_have_accessible_description(
        re.compile("Say in a sentence what changed.")
    )
    expect(field(guideline_fieldset(lead_page, 2), "Explanation")).to_have_value(
        CHANGED_EXPLANATION
    )
    extra = guideline_fieldset(lead_page, len(GUIDELINES) + 1)
    expect(field(extra, "Title")).to_have_value(NEW_ITEM[0])
    expect(field(extra, "Explanation")).to_have_value(NEW_ITEM[1])
    assert GuidelineVersion.objects.filter(group=group).count() == 1

    change_note.fill(CHANGE_NOTE)
    click_and_check(lead_page, axe, publish)
    assert heading(lead_page, f"{GROUP}: guidelines version 2", level=1).is_visible()
    expect(lead_page.get_by_role("status")).to_contain_text("Version 2 is published.")
    expect(lead_page.get_by_role("main")).to_contain_text(CHANGE_NOTE)
    assert heading(lead_page, "Changes since version 1", level=2).is_visible()
    changes = lead_page.locator("ol.guideline-diff > li")
    expect(changes).to_have_count(len(GUIDELINES) + 1)
    changed = changes.filter(has_text=GUIDELINES[1][0])
    expect(changed).to_contain_text("Changed")
    expect(changed.locator("ins")).to_contain_text("not even to family.")
    expect(changes.filter(has_text=NEW_ITEM[0])).to_contain_text("New")
    expect(changes.filter(has_text=GUIDELINES[0][0])).not_to_contain_text("Changed")

    click_and_check(
        lead_page, axe, group_nav(lead_page).get_by_role("link", name="Who agreed")
    )
    table = lead_page.get_by_role("table")
    expect(table).to_contain_text("Agreed to version 2")
    member_row = table.get_by_role("row").filter(has_text=newcomer.display_name)
    expect(member_row).to_contain_text("Not yet")
    expect(member_row).to_contain_text("Version 1")
    lead_row = table.get_by_role("row").filter(has_text=group.lead.display_name)
    expect(lead_row).to_contain_text("Yes,")

    # 5. The member is asked again, with the change note, and agrees again.
    response = page.reload()
    assert response is not None
    assert response.status == 200
    visit_and_check(page, axe)
    assert heading(page, "The guidelines have changed", level=2).is_visible()
    expect(page.get_by_role("main")).to_contain_text(
        f"What changed in version 2: {CHANGE_NOTE}"
    )
    expect(page.get_by_role("main")).to_contain_text(f"{NEW_ITEM[0]}. {NEW_ITEM[1]}")
    expect(heading(page, "Members")).to_have_count(0)
    click_and_check(
        page,
        axe,
        page.get_by_role("button", name="I agree to version 2 of the guidelines"),
    )
    expect(page.get_by_role("region", name="Members", exact=True)).to_contain_text(
        group.lead.display_name
    )

    # 6. An invitation link works once.
    click_and_check(
        lead_page, axe, group_nav(lead_page).get_by_role("link", name="Invitations")
    )
    field(lead_page, "Who is it for? (optional, for leads only)").fill("For Lee")
    click_and_check(
        lead_page, axe, lead_page.get_by_role("button", name="Create invitation link")
    )
    expect(lead_page.get_by_role("status")).to_contain_text(
        "The invitation link is ready."
    )
    link_input = field(lead_page, "Invitation link for For Lee")
    expect(link_input).to_have_attribute("readonly", "")
    link = link_input.input_value()
    assert re.search(r"/groups/invitations/[^/]+/$", link), link

    invitee = UserFactory(display_name="Lee Invitee")
    invitee_page = new_page()
    # Opened before signing in: the login page brings them back to the link.
    visit_and_check(invitee_page, axe, link)
    assert heading(invitee_page, "Sign In", level=1).is_visible()
    field(invitee_page, "Email").fill(invitee.email)
    field(invitee_page, "Password").fill(PASSWORD)
    click_and_check(
        invitee_page, axe, invitee_page.get_by_role("button", name="Sign In")
    )
    assert heading(invitee_page, f"Invitation to {GROUP}", level=1).is_visible()
    click_and_check(
        invitee_page, axe, invitee_page.get_by_role("button", name=f"Join {GROUP}")
    )
    assert heading(invitee_page, GROUP, level=1).is_visible()
    expect(invitee_page.get_by_role("status")).to_contain_text(f"Welcome to {GROUP}.")
    assert invitee_page.get_by_role(
        "button", name="I agree to version 2 of the guidelines"
    ).is_visible()

    latecomer = UserFactory(display_name="Robin Latecomer")
    latecomer_page = new_page()
    log_in(latecomer_page, axe, latecomer.email, PASSWORD)
    visit_and_check(latecomer_page, axe, link)
    assert heading(latecomer_page, f"Invitation to {GROUP}", level=1).is_visible()
    expect(latecomer_page.get_by_role("alert")).to_contain_text(
        "This invitation has already been used"
    )
    expect(latecomer_page.get_by_role("button", name=f"Join {GROUP}")).to_have_count(0)

    click_and_check(
        lead_page, axe, group_nav(lead_page).get_by_role("link", name="Invitations")
    )
    expect(lead_page.get_by_role("row").filter(has_text="For Lee")).to_contain_text(
        f"Used by {invitee.display_name}"
    )


def test_publishing_empty_guidelines_is_refused(page, axe, group):
    log_in(page, axe, group.lead.email, PASSWORD)
    open_own_group(page, axe)
    click_and_check(
        page, axe, group_nav(page).get_by_role("link", name="Edit guidelines")
    )
    removes = page.get_by_role("checkbox", name="Remove this guideline")
    expect(removes).to_have_count(len(GUIDELINES) + 2)
    for checkbox in removes.all():
        checkbox.check()
    field(page, "What changed, in a sentence").fill("A fresh start.")
    click_and_check(
        page, axe, page.get_by_role("button", name="Publish as a new version")
    )
    expect(page.get_by_role("alert")).to_contain_text(
        "The guidelines are empty: add at least one before publishing."
    )
    assert GuidelineVersion.objects.filter(group=group).count() == 1
    assert heading(page, f"{GROUP}: edit the guidelines", level=1).is_visible()
