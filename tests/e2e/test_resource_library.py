"""A member suggests a link and a file to their group's library and a lead
publishes them; a lying file and a javascript: link are refused with the
member's other answers kept; the member downloads the published file. A
coordinator adds a German crisis line, which German speakers see on "Get help
now" while English speakers keep the English lines."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from groups import services
from groups.models import CrisisResource, Resource
from tests.e2e.conftest import (
    click_and_check,
    field,
    heading,
    log_in,
    totp_code,
    visit_and_check,
)
from tests.groups.factories import CrisisResourceFactory, MembershipFactory
from tests.members.factories import (
    PASSWORD,
    TOTP_SECRET,
    CoordinatorFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

GROUP = "Harbour Lights"
SLUG = "harbour-lights"
GROUP_MEMBER = "Kit Member"

LINK_TITLE = "Sleeping better after a hard day"
LINK_URL = "https://example.org/sleep-guide"
LINK_DESCRIPTION = "A short, gentle guide to winding down in the evening."

PDF_TITLE = "Breathing exercises"
PDF_NAME = "breathing.pdf"
PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n"
    b"%%EOF\n"
)
LYING_FILE = {
    "name": "not-really.pdf",
    "mimeType": "application/pdf",
    "buffer": b"<!doctype html><html><body><script>alert(1)</script></body></html>",
}


def named(*parts):
    """An accessible name made of ``parts``: Chromium may or may not put a
    space before a visually hidden part, so allow either."""
    return re.compile(r"^" + r"\s*".join(re.escape(part) for part in parts) + r"$")


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def group_nav(page):
    return page.get_by_role("navigation", name=GROUP)


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()]


def resource_card(container, title):
    return container.get_by_role("article", name=title, exact=True)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def group(private_media):
    """A group made through the services, with a lead and a member who both
    agreed to its guidelines."""
    services.default_guidelines_ensure()
    lead = UserFactory(display_name="Jo Lead")
    group = services.group_create(
        acting_user=CoordinatorFactory(),
        name=GROUP,
        slug=SLUG,
        description="A group for people who find evenings hard.",
        lead_email=lead.email,
    )
    member = MembershipFactory(group=group, user__display_name=GROUP_MEMBER).user
    services.guideline_acknowledge(user=lead, group=group)
    services.guideline_acknowledge(user=member, group=group)
    group.lead, group.member = lead, member
    return group


def open_library(page, axe):
    """From the home page, into the group and its "Resources" tab."""
    my_groups = page.get_by_role("region", name="My groups")
    click_and_check(page, axe, my_groups.get_by_role("link", name=GROUP, exact=True))
    assert heading(page, GROUP, level=1).is_visible()
    click_and_check(page, axe, group_nav(page).get_by_role("link", name="Resources"))
    assert heading(page, f"{GROUP}: resources", level=1).is_visible()


def review_and_publish(page, axe, title):
    """The lead, on the library page, publishes the suggestion ``title``."""
    click_and_check(page, axe, page.get_by_role("link", name="Review suggestions (1)"))
    assert heading(page, f"{GROUP}: suggested resources", level=1).is_visible()
    waiting = page.get_by_role("region", name="Waiting for review (1)")
    card = resource_card(waiting, title)
    expect(card).to_contain_text("suggested, not yet published")
    expect(card).to_contain_text(f"added by {GROUP_MEMBER}")
    click_and_check(page, axe, card.get_by_role("button", name=named("Publish", title)))
    expect(page.get_by_role("status")).to_contain_text(f'"{title}" is published.')
    expect(page.get_by_role("main")).to_contain_text("No suggestions are waiting.")
    click_and_check(page, axe, page.get_by_role("link", name="Back to the library"))


def test_member_suggests_a_link_and_a_file_and_the_lead_publishes_them(
    page, new_page, axe, group, private_media
):
    member, lead = group.member, group.lead
    lead_page = new_page()

    # 1. The member opens the group's library: nothing there yet.
    log_in(page, axe, member.email, PASSWORD)
    open_library(page, axe)
    expect(page.get_by_role("main")).to_contain_text(
        "No resources yet. Be the first to suggest one."
    )
    click_and_check(page, axe, page.get_by_role("link", name="Suggest a resource"))
    assert heading(page, f"{GROUP}: suggest a resource", level=1).is_visible()

    # 2. A javascript: link is refused; every other answer is kept.
    field(page, "Title").fill(LINK_TITLE)
    field(page, "Description").fill(LINK_DESCRIPTION)
    field(page, "Kind").select_option(label="Article")
    field(page, "Link").fill("javascript:alert(document.cookie)")
    field(page, "Topic tags").fill("Sleep, evenings")
    click_and_check(page, axe, page.get_by_role("button", name="Suggest"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Please correct the marked fields below."
    )
    link = field(page, "Link")
    expect(link).to_have_attribute("aria-invalid", "true")
    expect(link).to_have_accessible_description(
        re.compile("Only web links are allowed")
    )
    expect(field(page, "Title")).to_have_value(LINK_TITLE)
    expect(field(page, "Description")).to_have_value(LINK_DESCRIPTION)
    expect(field(page, "Kind")).to_have_value(Resource.Kind.ARTICLE)
    expect(field(page, "Topic tags")).to_have_value("Sleep, evenings")
    assert not Resource.objects.exists()

    # 3. With a web link it is accepted, and waits for a lead.
    link.fill(LINK_URL)
    click_and_check(page, axe, page.get_by_role("button", name="Suggest"))
    assert heading(page, f"{GROUP}: resources", level=1).is_visible()
    # The view says "once a lead publish it" (sic): only the start is checked.
    expect(page.get_by_role("status")).to_contain_text(
        f'Thank you for suggesting "{LINK_TITLE}". It appears in the library '
        "once a lead"
    )
    mine = page.get_by_role("region", name="Your suggestions waiting for review")
    card = resource_card(mine, LINK_TITLE)
    expect(card).to_contain_text("suggested, not yet published")
    expect(card).to_contain_text(LINK_URL)
    expect(card.get_by_role("link", name="sleep", exact=True)).to_be_visible()
    expect(card.get_by_role("button")).to_have_count(0)
    published = page.get_by_role("region", name="Resources (0)")
    expect(resource_card(published, LINK_TITLE)).to_have_count(0)

    # 4. The lead reviews the suggestion and publishes it.
    log_in(lead_page, axe, lead.email, PASSWORD)
    open_library(lead_page, axe)
    review_and_publish(lead_page, axe, LINK_TITLE)
    assert Resource.objects.get(title=LINK_TITLE).status == Resource.Status.PUBLISHED

    # 5. The member sees it published in the library, with its link.
    response = page.reload()
    assert response is not None
    assert response.status == 200
    visit_and_check(page, axe)
    published = page.get_by_role("region", name="Resources (1)")
    card = resource_card(published, LINK_TITLE)
    expect(card).to_contain_text(LINK_DESCRIPTION)
    expect(card).not_to_contain_text("suggested")
    expect(
        card.get_by_role(
            "link", name=named("Open the link", f"to {LINK_TITLE} (opens in a new tab)")
        )
    ).to_have_attribute("href", LINK_URL)
    expect(
        page.get_by_role("region", name="Your suggestions waiting for review")
    ).to_have_count(0)
    # Its topic tags lead to the library filtered by that topic.
    click_and_check(page, axe, card.get_by_role("link", name="sleep", exact=True))
    expect(field(page, "Topic")).to_have_value("sleep")
    matching = page.get_by_role("region", name="Matching resources (1)")
    expect(resource_card(matching, LINK_TITLE)).to_be_visible()
    click_and_check(page, axe, page.get_by_role("link", name="Show all resources"))

    # 6. A file whose content is not what its name says is refused.
    click_and_check(page, axe, page.get_by_role("link", name="Suggest a resource"))
    field(page, "Title").fill(PDF_TITLE)
    field(page, "Kind").select_option(label="Workshop material")
    field(page, "Topic tags").fill("breathing")
    field(page, "Or a file").set_input_files(LYING_FILE)
    click_and_check(page, axe, page.get_by_role("button", name="Suggest"))
    upload = field(page, "Or a file")
    expect(upload).to_have_attribute("aria-invalid", "true")
    expect(upload).to_have_accessible_description(
        re.compile("We can't accept this file: its content is not a PDF")
    )
    expect(upload).to_have_accessible_description(re.compile("choose it again"))
    expect(field(page, "Title")).to_have_value(PDF_TITLE)
    expect(field(page, "Kind")).to_have_value(Resource.Kind.WORKSHOP)
    expect(field(page, "Topic tags")).to_have_value("breathing")
    assert not Resource.objects.filter(title=PDF_TITLE).exists()
    assert not stored_files(private_media)

    # 7. A real PDF is accepted.
    upload.set_input_files(
        {"name": PDF_NAME, "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    click_and_check(page, axe, page.get_by_role("button", name="Suggest"))
    expect(page.get_by_role("status")).to_contain_text(
        f'Thank you for suggesting "{PDF_TITLE}".'
    )
    mine = page.get_by_role("region", name="Your suggestions waiting for review")
    expect(resource_card(mine, PDF_TITLE)).to_contain_text(
        f"Download {PDF_NAME} ({len(PDF_BYTES)} bytes)"
    )
    [stored] = stored_files(private_media)
    assert stored.read_bytes() == PDF_BYTES

    # 8. The lead publishes it too.
    response = lead_page.reload()
    assert response is not None
    assert response.status == 200
    visit_and_check(lead_page, axe)
    review_and_publish(lead_page, axe, PDF_TITLE)
    expect(lead_page.get_by_role("region", name="Resources (2)")).to_be_visible()

    # 9. The member downloads the file: the very bytes they uploaded.
    response = page.reload()
    assert response is not None
    assert response.status == 200
    visit_and_check(page, axe)
    card = resource_card(page.get_by_role("region", name="Resources (2)"), PDF_TITLE)
    with page.expect_download() as download_info:
        card.get_by_role("link", name=f"Download {PDF_NAME}").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == PDF_NAME
    assert Path(download.path()).read_bytes() == PDF_BYTES

    # 10. The organisation-wide library, from the main navigation.
    click_and_check(page, axe, main_nav(page).get_by_role("link", name="Resources"))
    assert heading(page, "Resource library", level=1).is_visible()
    expect(page.get_by_role("region", name="Resources (0)")).to_contain_text(
        "No resources yet. Be the first to suggest one."
    )
    expect(page.get_by_role("link", name="Suggest a resource")).to_be_visible()
    # A group's resources stay inside the group.
    expect(page.get_by_role("main")).not_to_contain_text(LINK_TITLE)


def test_coordinator_adds_a_german_crisis_line(page, new_page, axe):
    coordinator = CoordinatorFactory(display_name="Casey Coordinator")
    english_line = CrisisResourceFactory(
        language="en", name="Samaritans", phone="116 123", hours="24 hours"
    )

    # 1. The coordinator logs in with the authenticator code.
    log_in(page, axe, coordinator.email, PASSWORD)
    assert heading(page, "Two-Factor Authentication", level=1).is_visible()
    field(page, "Code").fill(totp_code(TOTP_SECRET))
    click_and_check(page, axe, page.get_by_role("button", name="Sign In"))
    assert heading(page, f"Hello, {coordinator.display_name}", level=1).is_visible()

    # 2. From "Get help now" to the crisis lines, and a new line in German.
    click_and_check(page, axe, main_nav(page).get_by_role("link", name="Get help now"))
    assert heading(page, "Get help now", level=1).is_visible()
    click_and_check(page, axe, page.get_by_role("link", name="Edit the crisis lines"))
    assert heading(page, "Crisis lines", level=1).is_visible()
    german = page.get_by_role("region", name="Deutsch", exact=True)
    expect(german).to_contain_text(
        "No lines in Deutsch yet: people using Deutsch see the English lines."
    )
    click_and_check(page, axe, german.get_by_role("link", name="Add a line in Deutsch"))
    assert heading(page, "Add a crisis line", level=1).is_visible()
    expect(field(page, "Language")).to_have_value("de")
    field(page, "Name of the line or service").fill("TelefonSeelsorge")
    field(page, "Phone").fill("0800 111 0 111")
    field(page, "Hours").fill("Rund um die Uhr")
    click_and_check(page, axe, page.get_by_role("button", name="Add crisis line"))
    assert heading(page, "Crisis lines", level=1).is_visible()
    expect(page.get_by_role("status")).to_contain_text("TelefonSeelsorge is added.")
    german = page.get_by_role("region", name="Deutsch", exact=True)
    row = german.get_by_role("row").filter(has_text="TelefonSeelsorge")
    expect(row).to_contain_text("0800 111 0 111")
    expect(row).to_contain_text("Rund um die Uhr")
    line = CrisisResource.objects.get(name="TelefonSeelsorge")
    assert (line.language, line.phone) == ("de", "0800 111 0 111")

    # 3. A German-speaking member sees the German line, not the English one.
    german_member = UserFactory(language="de", display_name="Lena")
    german_page = new_page()
    log_in(german_page, axe, german_member.email, PASSWORD)
    click_and_check(
        german_page,
        axe,
        main_nav(german_page).get_by_role("link", name="Get help now"),
    )
    lines = german_page.get_by_role("region", name="Crisis lines")
    expect(heading(lines, "TelefonSeelsorge", level=3)).to_be_visible()
    expect(lines.get_by_role("link", name="0800 111 0 111")).to_have_attribute(
        "href", "tel:08001110111"
    )
    expect(lines).to_contain_text("Open: Rund um die Uhr")
    expect(heading(lines, english_line.name)).to_have_count(0)

    # 4. An English-speaking member keeps the English lines.
    english_member = UserFactory(language="en", display_name="Sam")
    english_page = new_page()
    log_in(english_page, axe, english_member.email, PASSWORD)
    click_and_check(
        english_page,
        axe,
        main_nav(english_page).get_by_role("link", name="Get help now"),
    )
    lines = english_page.get_by_role("region", name="Crisis lines")
    expect(heading(lines, english_line.name, level=3)).to_be_visible()
    expect(lines.get_by_role("link", name="116 123")).to_have_attribute(
        "href", "tel:116123"
    )
    expect(heading(lines, "TelefonSeelsorge")).to_have_count(0)
