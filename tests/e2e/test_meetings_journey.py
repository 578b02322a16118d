"""A lead sets up a weekly schedule; auto-fill assigns facilitators; a
facilitator sets a blockout and asks for a swap, another member accepts; on
the day the facilitator opens the meeting on a phone-sized screen, sees the
agenda and icebreaker, and marks attendance; an attendee answers the feedback
pulse, anonymously and once."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from sessions_app import services
from sessions_app.defaults import create_defaults
from sessions_app.models import (
    AgendaTemplate,
    Assignment,
    FeedbackReceipt,
    FeedbackResponse,
    Icebreaker,
    Meeting,
    MeetingSchedule,
)
from tests.e2e.conftest import (
    click_and_check,
    field,
    heading,
    log_in,
    visit_and_check,
)
from tests.groups.factories import GroupFactory, LeadMembershipFactory
from tests.members.factories import PASSWORD, UserFactory
from tests.sessions_app.rota_factories import agree, publish_guidelines, rota_member

pytestmark = pytest.mark.e2e

GROUP = "Evening Circle"
SLUG = "evening-circle"
ZONE = ZoneInfo("Europe/London")
TIME = "18:30"
BLOCKOUT_NOTE = "Away visiting family"
SWAP_MESSAGE = "I am away that week, sorry."
TOPIC = "Finding calm"
ICEBREAKER = "What is one thing that made you smile this week?"
COMMENT = "The quiet reflection helped."
PHONE_WIDTH = 375
PHONE = {"viewport": {"width": PHONE_WIDTH, "height": 740}, "has_touch": True}


def when(meeting):
    """A meeting's start as the rota and meeting tables show it."""
    local = meeting.starts_at.astimezone(ZONE)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def group_nav(page):
    return page.get_by_role("navigation", name=GROUP)


def region(page, name):
    return page.get_by_role("region", name=name, exact=True)


def open_group(page, axe):
    """From the home page, through "My groups", into the group."""
    click_and_check(
        page,
        axe,
        region(page, "My groups").get_by_role("link", name=GROUP, exact=True),
    )
    assert heading(page, GROUP, level=1).is_visible()


def facilitators(page):
    return region(page, "Facilitators")


@pytest.fixture
def people():
    """A group with published guidelines, a lead who is not on the rota and
    three rota members, all of whom agreed; no meetings yet."""
    # The shipped agendas and icebreakers do not survive other tests' flush.
    create_defaults(AgendaTemplate, Icebreaker)
    group = GroupFactory(name=GROUP, slug=SLUG, time_zone="Europe/London")
    lead = LeadMembershipFactory(
        group=group,
        takes_part_in_rota=False,
        user=UserFactory(display_name="Alex Lead"),
    )
    publish_guidelines(group, lead.user)
    agree(lead)
    names = ("Robin Facilitator", "Sam Member", "Kim Member")
    members = [
        rota_member(group, user=UserFactory(display_name=name)) for name in names
    ]
    return group, lead, members


def test_schedule_rota_swap_attendance_and_feedback(page, new_page, axe, people):
    group, lead, (robin, sam, kim) = people
    tomorrow = timezone.now().astimezone(ZONE).date() + timedelta(days=1)

    # 1. The lead sets up a weekly schedule in the browser.
    log_in(page, axe, lead.user.email, PASSWORD)
    open_group(page, axe)
    click_and_check(page, axe, group_nav(page).get_by_role("link", name="Meetings"))
    expect(region(page, "Coming up")).to_contain_text("No meetings.")
    click_and_check(
        page, axe, page.get_by_role("link", name="Set up a repeating schedule")
    )
    assert heading(page, "Set up a repeating schedule", level=1).is_visible()
    field(page, "Frequency").select_option(label="Every week")
    field(page, "Weekday").select_option(label=f"{tomorrow:%A}")
    field(page, "Time (the group's local time)").fill(TIME)
    field(page, "Length in minutes").fill("90")
    field(page, "First date").fill(tomorrow.isoformat())
    click_and_check(page, axe, page.get_by_role("button", name="Create schedule"))
    schedule = MeetingSchedule.objects.get(group=group)
    meetings = list(schedule.meetings.order_by("starts_at"))
    assert len(meetings) >= 12
    assert meetings[0].starts_at.astimezone(ZONE).date() == tomorrow
    expect(page.get_by_role("status")).to_contain_text(
        f"The schedule is set: {len(meetings)} meetings are in the calendar."
    )
    coming_up = page.get_by_role("table", name="Upcoming meetings, soonest first")
    expect(coming_up.get_by_role("row")).to_have_count(len(meetings) + 1)
    expect(coming_up.get_by_role("link", name=when(meetings[0]))).to_be_visible()
    expect(coming_up.get_by_text("Nobody yet")).to_have_count(len(meetings))

    # 2. On the rota, auto-fill chooses facilitators and says why.
    click_and_check(page, axe, group_nav(page).get_by_role("link", name="Rota"))
    click_and_check(
        page, axe, page.get_by_role("button", name="Auto-fill the coming weeks")
    )
    # Every meeting has a facilitator; newcomers may also be paired with an
    # experienced one as co-facilitator, so there can be more assignments.
    made = Assignment.objects.filter(meeting__group=group).count()
    assert made >= len(meetings)
    assert not group.meetings.filter(assignments__isnull=True).exists()
    expect(page.get_by_role("status")).to_contain_text(
        f"Auto-fill made {made} assignments."
    )
    first = meetings[0]
    rota_rows = page.get_by_role("row")
    for meeting, person in zip(meetings[:3], (robin, sam, kim), strict=True):
        expect(rota_rows.filter(has_text=when(meeting))).to_contain_text(
            f"{person.user.display_name} (facilitator): has not facilitated yet"
        )
    expect(rota_rows.filter(has_text=when(meetings[3]))).to_contain_text(
        f"{robin.user.display_name} (facilitator): "
        "longest since last facilitated: 3 weeks"
    )
    expect(page.get_by_text("No facilitator")).to_have_count(0)
    assert Assignment.objects.get(meeting=first).membership == robin

    # 3. Robin blocks out the week of their first turn, then asks for a swap.
    robin_page = new_page()
    log_in(robin_page, axe, robin.user.email, PASSWORD)
    open_group(robin_page, axe)
    click_and_check(
        robin_page, axe, group_nav(robin_page).get_by_role("link", name="Rota")
    )
    click_and_check(
        robin_page,
        axe,
        robin_page.get_by_role("link", name="My blockouts and preference"),
    )
    blockouts = region(robin_page, "When I cannot facilitate")
    expect(blockouts).to_contain_text("No blockouts.")
    field(robin_page, "Dates").check()
    field(robin_page, "First date").fill(tomorrow.isoformat())
    field(robin_page, "Last date").fill((tomorrow + timedelta(days=6)).isoformat())
    field(robin_page, "Note (optional)").fill(BLOCKOUT_NOTE)
    click_and_check(
        robin_page, axe, robin_page.get_by_role("button", name="Add", exact=True)
    )
    expect(robin_page.get_by_role("status")).to_contain_text(
        "The dates are blocked out."
    )
    last = tomorrow + timedelta(days=6)
    expect(blockouts).to_contain_text(
        f"{tomorrow.day} {tomorrow:%b %Y} to {last.day} {last:%b %Y}: {BLOCKOUT_NOTE}"
    )
    click_and_check(
        robin_page, axe, robin_page.get_by_role("link", name="Back to the rota")
    )
    click_and_check(robin_page, axe, robin_page.get_by_role("link", name=when(first)))
    expect(facilitators(robin_page)).to_contain_text(
        f"{robin.user.display_name} (facilitator)"
    )
    click_and_check(
        robin_page,
        axe,
        facilitators(robin_page).get_by_role("link", name="Ask someone to take this"),
    )
    assert heading(robin_page, "Ask someone to take this meeting", level=1).is_visible()
    expect(field(robin_page, "Whom to ask")).to_have_value("")
    expect(field(robin_page, "Whom to ask").locator("option:checked")).to_have_text(
        "Anyone on the rota"
    )
    field(robin_page, "Message (optional)").fill(SWAP_MESSAGE)
    click_and_check(
        robin_page, axe, robin_page.get_by_role("button", name="Ask", exact=True)
    )
    expect(robin_page.get_by_role("status")).to_contain_text(
        "Your request is out: you stay assigned until someone takes it."
    )
    expect(facilitators(robin_page)).to_contain_text(
        f"{robin.user.display_name} asks anyone on the rota to take the "
        f"facilitator role. “{SWAP_MESSAGE}”"
    )
    expect(robin_page.get_by_role("button", name="Withdraw my request")).to_be_visible()
    expect(
        robin_page.get_by_role("link", name="Ask someone to take this")
    ).to_have_count(0)

    # 4. Kim sees the offer, opens the meeting and takes it.
    kim_page = new_page()
    log_in(kim_page, axe, kim.user.email, PASSWORD)
    open_group(kim_page, axe)
    click_and_check(kim_page, axe, group_nav(kim_page).get_by_role("link", name="Rota"))
    click_and_check(
        kim_page, axe, kim_page.get_by_role("link", name="My blockouts and preference")
    )
    offers = region(kim_page, "Meetings you could take")
    expect(offers).to_contain_text(
        f"{when(first)}: {robin.user.display_name} asks anyone."
    )
    click_and_check(kim_page, axe, offers.get_by_role("link", name=when(first)))
    expect(facilitators(kim_page)).to_contain_text(SWAP_MESSAGE)
    click_and_check(kim_page, axe, kim_page.get_by_role("button", name="I'll take it"))
    expect(kim_page.get_by_role("status")).to_contain_text(
        "You have taken this meeting. Thank you!"
    )
    expect(facilitators(kim_page)).to_contain_text(
        f"{kim.user.display_name} (facilitator): took over from "
        f"{robin.user.display_name} (swap)"
    )

    # 5. Robin, looking again, is no longer assigned.
    visit_and_check(robin_page, axe, first.get_absolute_url())
    expect(facilitators(robin_page)).to_contain_text(kim.user.display_name)
    expect(facilitators(robin_page).get_by_role("listitem")).to_have_count(1)
    expect(facilitators(robin_page)).not_to_contain_text(
        f"{robin.user.display_name} (facilitator)"
    )
    expect(robin_page.get_by_role("button", name="Withdraw my request")).to_have_count(
        0
    )
    assert Assignment.objects.get(meeting=first).membership == kim

    # 6. On the day: a one-off meeting that began two hours ago and has just
    # ended, with Robin facilitating. Made directly, to have exact times:
    # meeting_create takes a local date and time and refuses past dates.
    now = timezone.now()
    icebreaker = services.icebreaker_add(
        group=group, acting_user=lead.user, prompt=ICEBREAKER
    )
    agenda = services.agenda_for("sharing_circle")
    assert agenda, "the shipped agenda for a sharing circle is missing"
    today = Meeting.objects.create(
        group=group,
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(minutes=5),
        topic=TOPIC,
        agenda=agenda,
        icebreaker=icebreaker,
    )
    Assignment.objects.create(meeting=today, membership=robin)

    phone = new_page(**PHONE)
    log_in(phone, axe, robin.user.email, PASSWORD)
    open_group(phone, axe)
    click_and_check(phone, axe, group_nav(phone).get_by_role("link", name="Meetings"))
    past = phone.get_by_role("table", name="Past meetings, most recent first")
    click_and_check(phone, axe, past.get_by_role("link", name=when(today)))
    assert heading(phone, f"Sharing circle: {TOPIC}", level=1).is_visible()
    agenda_items = region(phone, "Agenda").get_by_role("listitem")
    expect(agenda_items).to_have_count(len(agenda))
    for number, item in enumerate(agenda):
        expect(agenda_items.nth(number)).to_contain_text(
            f"{item['title']} ({item['minutes']} min)"
        )
    expect(region(phone, "Icebreaker")).to_contain_text(ICEBREAKER)
    click_and_check(phone, axe, phone.get_by_role("link", name="Take attendance"))
    assert heading(phone, "Attendance", level=1).is_visible()
    # A phone's layout: the menu is folded away and nothing is wider than
    # the screen.
    expect(phone.get_by_role("button", name="Show or hide the menu")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    expect(phone.get_by_role("main")).to_contain_text("0 present, 0 absent, 0 excused.")
    roster = phone.get_by_role("list", name="People on the roster")
    sam_row = roster.get_by_role("group", name=sam.user.display_name, exact=True)
    sam_present = sam_row.get_by_role("button", name="Present")
    expect(sam_present).to_have_attribute("aria-pressed", "false")
    # One tap: htmx swaps only Sam's row, the page stays.
    url_before = phone.url
    with phone.expect_response(lambda r: r.request.method == "POST") as answer:
        sam_present.tap()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(sam_present).to_have_attribute("aria-pressed", "true")
    assert phone.url == url_before
    visit_and_check(phone, axe)
    click_and_check(
        phone, axe, phone.get_by_role("button", name="Mark everyone present")
    )
    expect(phone.get_by_role("status")).to_contain_text(
        "Everyone is marked present (3 changed)."
    )
    expect(phone.get_by_role("main")).to_contain_text("4 present, 0 absent, 0 excused.")
    presents = roster.get_by_role("button", name=re.compile(r"Present$"))
    expect(presents).to_have_count(4)
    for number in range(4):
        expect(presents.nth(number)).to_have_attribute("aria-pressed", "true")

    # 7. Sam, who was there, answers "How was it?" once, anonymously.
    sam_page = new_page()
    log_in(sam_page, axe, sam.user.email, PASSWORD)
    open_group(sam_page, axe)
    click_and_check(
        sam_page, axe, group_nav(sam_page).get_by_role("link", name="Meetings")
    )
    click_and_check(
        sam_page,
        axe,
        sam_page.get_by_role(
            "table", name="Past meetings, most recent first"
        ).get_by_role("link", name=when(today)),
    )
    click_and_check(sam_page, axe, sam_page.get_by_role("link", name="How was it?"))
    assert heading(sam_page, "How was it?", level=1).is_visible()
    for question, score in (
        ("I felt safe to share", "5 (very much)"),
        ("I felt listened to", "4"),
        ("I felt judged", "1 (not at all)"),
    ):
        scale = sam_page.get_by_role("group", name=question, exact=True)
        scale.get_by_text(score, exact=True).click()
        expect(scale.get_by_role("radio", name=score, exact=True)).to_be_checked()
    field(sam_page, "Anything else? (optional)").fill(COMMENT)
    click_and_check(
        sam_page, axe, sam_page.get_by_role("button", name="Send anonymously")
    )
    expect(sam_page.get_by_role("status")).to_contain_text(
        "Thank you. Your answer is anonymous."
    )
    assert heading(sam_page, f"Sharing circle: {TOPIC}", level=1).is_visible()
    expect(sam_page.get_by_role("link", name="How was it?")).to_have_count(0)

    responses = FeedbackResponse.objects.filter(meeting=today)
    assert responses.count() == 1
    assert FeedbackReceipt.objects.filter(meeting=today).count() == 1
    assert FeedbackReceipt.objects.get(meeting=today).user == sam.user
    response = responses.get()
    assert (response.felt_safe, response.felt_listened_to, response.felt_judged) == (
        5,
        4,
        1,
    )
    assert response.comment == COMMENT
    assert "user" not in {f.name for f in FeedbackResponse._meta.get_fields()}
    assert not any(
        getattr(f, "related_model", None) is type(sam.user)
        for f in FeedbackResponse._meta.get_fields()
    )
