"""Crisis lines: kept by coordinators per language, shown on "Get help now"."""

from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse

import pytest

from groups.models import CrisisResource
from groups.resources.selectors import crisis_resources_for_language
from tests.groups.factories import CrisisResourceFactory
from tests.groups.test_resources_views import assert_no_inline_script_or_style
from tests.roles import (
    COORDINATOR,
    COORDINATORS_ONLY,
    check_roles,
)

pytestmark = pytest.mark.django_db

COORDINATORS = COORDINATORS_ONLY
HOSTILE = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"

GOOD = {
    "language": "de",
    "name": "Telefonseelsorge",
    "phone": "0800 111 0 111",
    "text_line": "",
    "url": "https://www.telefonseelsorge.de",
    "hours": "rund um die Uhr",
}


@pytest.fixture(autouse=True)
def _no_seeded_lines():
    # A data migration seeds English lines; these tests make their own.
    CrisisResource.objects.all().delete()


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("name", "needs_line"),
    [("crisis", False), ("crisis_add", False), ("crisis_edit", True)],
)
def test_crisis_pages_are_for_coordinators_only(client, roles, name, needs_line):
    kwargs = {"pk": CrisisResourceFactory().pk} if needs_line else {}
    check_roles(client, roles, reverse(f"groups:{name}", kwargs=kwargs), COORDINATORS)


@pytest.mark.parametrize("name", ["crisis_delete", "crisis_move"])
def test_crisis_actions_are_for_coordinators_only(client, roles, name):
    line = CrisisResourceFactory()
    check_roles(
        client,
        roles,
        reverse(f"groups:{name}", kwargs={"pk": line.pk}),
        {**COORDINATORS, COORDINATOR: 302},
        method="post",
        data={"direction": "down"},
    )


def test_an_unknown_line_is_not_found(client, roles):
    client.force_login(roles[COORDINATOR])
    assert (
        client.get(reverse("groups:crisis_edit", kwargs={"pk": 999})).status_code == 404
    )


def test_a_coordinator_adds_edits_orders_and_deletes_lines(client, roles):
    client.force_login(roles[COORDINATOR])
    form = client.get(reverse("groups:crisis_add"), {"language": "de"})
    assert form.context["form"].initial["language"] == "de"

    response = client.post(reverse("groups:crisis_add"), GOOD)
    assert response["Location"] == reverse("groups:crisis")
    assert "Telefonseelsorge is added." in messages_of(response)
    first = CrisisResource.objects.get()
    client.post(reverse("groups:crisis_add"), {**GOOD, "name": "Kummer", "url": "k.de"})
    second = CrisisResource.objects.get(name="Kummer")
    assert second.url == "https://k.de"
    assert second.position == first.position + 1

    response = client.post(
        reverse("groups:crisis_move", kwargs={"pk": second.pk}), {"direction": "up"}
    )
    assert "Kummer is moved." in messages_of(response)
    assert [line.name for line in crisis_resources_for_language(language="de")] == [
        "Kummer",
        "Telefonseelsorge",
    ]

    response = client.post(
        reverse("groups:crisis_edit", kwargs={"pk": first.pk}),
        {**GOOD, "hours": "24 Stunden"},
    )
    assert "Telefonseelsorge is saved." in messages_of(response)
    first.refresh_from_db()
    assert first.hours == "24 Stunden"

    body = client.get(reverse("groups:crisis")).content.decode()
    assert (
        "<caption>Crisis lines in Deutsch, in the order people see them</caption>"
        in body
    )
    assert '<th scope="col">Phone</th>' in body
    assert_no_inline_script_or_style(body)

    response = client.post(reverse("groups:crisis_delete", kwargs={"pk": first.pk}))
    assert "Telefonseelsorge is deleted." in messages_of(response)
    assert list(CrisisResource.objects.all()) == [second]


def test_an_unknown_move_is_refused_with_a_message(client, roles):
    line = CrisisResourceFactory()
    client.force_login(roles[COORDINATOR])
    response = client.post(
        reverse("groups:crisis_move", kwargs={"pk": line.pk}), {"direction": "left"}
    )
    assert "Move a line up or down." in messages_of(response)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param({"name": ""}, "name", "Give the line's name.", id="missing-name"),
        pytest.param({"name": "x" * 10240}, "name", "at most 120", id="huge-name"),
        pytest.param({"phone": "1" * 10240}, "phone", "at most 40", id="huge-phone"),
        pytest.param({"hours": "x" * 10240}, "hours", "at most 120", id="huge-hours"),
        pytest.param(
            {"url": "javascript:alert(1)"},
            "url",
            "http:// or https://",
            id="javascript",
        ),
        pytest.param(
            {"phone": "", "url": "", "text_line": ""},
            "phone",
            "at least one way",
            id="no-way-to-reach",
        ),
        pytest.param({"phone": "call me"}, "phone", "digits, spaces", id="bad-phone"),
        pytest.param({"language": "xx"}, "language", "valid choice", id="bad-language"),
    ],
)
@pytest.mark.parametrize("editing", [False, True], ids=["add", "edit"])
def test_bad_input_is_refused_at_the_field(
    client, roles, overrides, field, message, editing
):
    client.force_login(roles[COORDINATOR])
    if editing:
        line = CrisisResourceFactory(name="Before", phone="999")
        url = reverse("groups:crisis_edit", kwargs={"pk": line.pk})
    else:
        url = reverse("groups:crisis_add")
    response = client.post(url, {**GOOD, **overrides})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    body = response.content.decode()
    assert "Please correct the marked fields below." in body
    if field != "hours":
        assert "rund um die Uhr" in body  # the other answers are kept
    if editing:
        line.refresh_from_db()
        assert (line.name, line.phone) == ("Before", "999")
        assert CrisisResource.objects.count() == 1
    else:
        assert not CrisisResource.objects.exists()


def test_hostile_html_in_a_line_is_shown_escaped(client, roles):
    CrisisResourceFactory(name=HOSTILE, text_line=HOSTILE, hours=HOSTILE)
    client.force_login(roles[COORDINATOR])
    body = client.get(reverse("groups:crisis")).content.decode()
    assert ESCAPED in body
    assert HOSTILE not in body
    partial = render_to_string(
        "groups/resources/_crisis_lines.html",
        {"crisis_lines": crisis_resources_for_language(language="en")},
    )
    assert ESCAPED in partial
    assert HOSTILE not in partial


def test_the_help_page_partial_lists_the_lines_with_ways_to_reach_them():
    CrisisResourceFactory(
        language="en",
        name="Samaritans",
        phone="+44 (0)116-123",
        text_line="Text SHOUT to 85258",
        url="https://www.samaritans.org",
        hours="24 hours",
    )
    html = render_to_string(
        "groups/resources/_crisis_lines.html",
        {"crisis_lines": crisis_resources_for_language(language="fr")},
    )
    assert '<h2 class="h4" id="crisis-lines-heading">Crisis lines</h2>' in html
    assert 'href="tel:+440116123"' in html
    assert "Text SHOUT to 85258" in html
    assert 'href="https://www.samaritans.org" rel="noopener noreferrer"' in html
    assert "Open: 24 hours" in html
    assert_no_inline_script_or_style(html)


def test_the_partial_renders_nothing_without_lines():
    html = render_to_string("groups/resources/_crisis_lines.html", {"crisis_lines": []})
    assert html.strip() == ""
