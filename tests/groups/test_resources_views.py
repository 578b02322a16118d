"""The resource library over HTTP: who gets what, bad input, serving files,
query counts."""

import re

from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from groups.models import Membership, Resource
from tests.groups.factories import (
    MembershipFactory,
    ResourceFactory,
    SuggestedResourceFactory,
)
from tests.groups.test_resources_files import EXE, HTML, MB, PDF, ooxml, upload
from tests.roles import (
    ANONYMOUS,
    COORDINATOR,
    LEAD,
    LOGIN,
    MEMBER,
    OTHER_GROUP_MEMBER,
    check_roles,
)

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><b>bold</b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.RESOURCE_MAX_UPLOAD_BYTES = MB


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def group_url(name, group, **kwargs):
    return reverse(f"groups:resource_{name}", kwargs={"slug": group.slug, **kwargs})


def org_url(name, **kwargs):
    return reverse(f"groups:library_{name}", kwargs=kwargs)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def file_resource(
    group, *, status=Resource.Status.PUBLISHED, added_by=None, name="notes.pdf"
):
    """A resource with a real stored file, made the way the service makes it."""
    from groups.resources import services

    if added_by is None:
        if group is None:
            from tests.members.factories import UserFactory

            added_by = UserFactory()
        else:
            added_by = MembershipFactory(group=group).user
    resource = services.resource_create(
        group=group,
        acting_user=added_by,
        title="Notes",
        kind=Resource.Kind.WORKSHOP,
        upload=upload(name, PDF),
    )
    if status == Resource.Status.PUBLISHED:
        Resource.objects.filter(pk=resource.pk).update(
            status=status, published_at=timezone.now()
        )
        resource.refresh_from_db()
    return resource


def assert_no_inline_script_or_style(body: str) -> None:
    # The Content-Security-Policy forbids both.
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)
    assert " style=" not in body


# --- Who gets what ------------------------------------------------------------

GROUP_MEMBERS = {
    ANONYMOUS: LOGIN,
    OTHER_GROUP_MEMBER: 404,
    MEMBER: 200,
    LEAD: 200,
    COORDINATOR: 404,
}
GROUP_LEADS = {**GROUP_MEMBERS, MEMBER: 403}
SIGNED_IN = {
    ANONYMOUS: LOGIN,
    OTHER_GROUP_MEMBER: 200,
    MEMBER: 200,
    LEAD: 200,
    COORDINATOR: 200,
}
COORDINATORS = {
    ANONYMOUS: LOGIN,
    OTHER_GROUP_MEMBER: 403,
    MEMBER: 403,
    LEAD: 403,
    COORDINATOR: 200,
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("list", GROUP_MEMBERS),
        ("suggest", GROUP_MEMBERS),
        ("add", GROUP_LEADS),
        ("review", GROUP_LEADS),
    ],
)
def test_group_library_pages_answer_each_role(client, roles, name, expected):
    check_roles(client, roles, group_url(name, roles.group), dict(expected))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("list", SIGNED_IN),
        ("suggest", SIGNED_IN),
        ("add", COORDINATORS),
        ("review", COORDINATORS),
    ],
)
def test_organisation_library_pages_answer_each_role(client, roles, name, expected):
    check_roles(client, roles, org_url(name), dict(expected))


def test_a_group_file_is_served_to_the_groups_members_only(client, roles):
    resource = file_resource(roles.group)
    check_roles(
        client, roles, group_url("file", roles.group, pk=resource.pk), GROUP_MEMBERS
    )


def test_a_suggested_file_is_served_to_its_suggester_and_the_leads(client, roles):
    theirs = file_resource(roles.group, status=Resource.Status.SUGGESTED)
    mine = file_resource(
        roles.group, status=Resource.Status.SUGGESTED, added_by=roles[MEMBER]
    )
    check_roles(
        client,
        roles,
        group_url("file", roles.group, pk=theirs.pk),
        {**GROUP_MEMBERS, MEMBER: 404},
    )
    check_roles(
        client, roles, group_url("file", roles.group, pk=mine.pk), GROUP_MEMBERS
    )


def test_an_organisation_file_is_served_to_everyone_signed_in(client, roles):
    resource = file_resource(None)
    check_roles(client, roles, org_url("file", pk=resource.pk), SIGNED_IN)


def test_an_organisation_suggestion_is_served_to_coordinators_only(client, roles):
    resource = file_resource(None, status=Resource.Status.SUGGESTED)
    check_roles(
        client,
        roles,
        org_url("file", pk=resource.pk),
        {**COORDINATORS, OTHER_GROUP_MEMBER: 404, MEMBER: 404, LEAD: 404},
    )


@pytest.mark.parametrize("action", ["publish", "remove"])
def test_only_a_groups_leads_publish_or_reject(client, roles, action):
    suggestion = SuggestedResourceFactory(group=roles.group)
    check_roles(
        client,
        roles,
        group_url(action, roles.group, pk=suggestion.pk),
        # A member can't see someone else's suggestion: 404. The lead acts and
        # is redirected; after that, the coordinator (outside the group) 404s.
        {**GROUP_MEMBERS, MEMBER: 404, LEAD: 302},
        method="post",
    )


@pytest.mark.parametrize("action", ["publish", "remove"])
def test_only_coordinators_publish_or_reject_organisation_wide(client, roles, action):
    suggestion = SuggestedResourceFactory(group=None)
    check_roles(
        client,
        roles,
        org_url(action, pk=suggestion.pk),
        {**COORDINATORS, COORDINATOR: 302},
        method="post",
    )


def test_a_member_who_can_see_a_resource_still_cannot_publish_or_remove_it(
    client, roles
):
    own = SuggestedResourceFactory(group=roles.group, added_by=roles[MEMBER])
    published = ResourceFactory(group=roles.group)
    client.force_login(roles[MEMBER])
    assert client.post(group_url("publish", roles.group, pk=own.pk)).status_code == 403
    assert (
        client.post(group_url("remove", roles.group, pk=published.pk)).status_code
        == 403
    )
    own.refresh_from_db()
    assert own.status == Resource.Status.SUGGESTED
    assert Resource.objects.filter(pk=published.pk).exists()


@pytest.mark.parametrize(
    "name", ["publish", "remove", "file"], ids=["publish", "remove", "file"]
)
def test_a_forged_id_from_another_library_is_not_found(client, roles, name):
    elsewhere = [
        file_resource(roles.other_group, status=Resource.Status.SUGGESTED),
        file_resource(None, status=Resource.Status.SUGGESTED),
    ]
    method = client.get if name == "file" else client.post
    client.force_login(roles[LEAD])
    for resource in elsewhere:
        response = method(group_url(name, roles.group, pk=resource.pk))
        assert response.status_code == 404
    client.force_login(roles[COORDINATOR])
    group_resource = file_resource(roles.group, status=Resource.Status.SUGGESTED)
    assert method(org_url(name, pk=group_resource.pk)).status_code == 404
    assert Resource.objects.filter(status=Resource.Status.SUGGESTED).count() == 3


def test_post_only_actions_refuse_get(client, roles):
    suggestion = SuggestedResourceFactory(group=roles.group)
    client.force_login(roles[LEAD])
    for action in ("publish", "remove"):
        response = client.get(group_url(action, roles.group, pk=suggestion.pk))
        assert response.status_code == 405


def test_a_paused_member_reads_the_library_but_cannot_suggest(client, roles):
    paused = MembershipFactory(group=roles.group, status=Membership.Status.PAUSED)
    client.force_login(paused.user)
    body = client.get(group_url("list", roles.group)).content.decode()
    assert "Suggest a resource" not in body
    assert client.get(group_url("suggest", roles.group)).status_code == 403


def test_former_members_see_nothing(client, roles):
    former = MembershipFactory(group=roles.group, status=Membership.Status.LEFT)
    client.force_login(former.user)
    assert client.get(group_url("list", roles.group)).status_code == 404


def test_a_coordinator_without_two_factor_is_sent_to_set_it_up(client, roles):
    from tests.members.factories import UserFactory

    client.force_login(UserFactory(is_coordinator=True))
    response = client.get(org_url("review"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


# --- Suggesting, publishing, rejecting ------------------------------------------


GOOD = {
    "title": "Sleep and low mood",
    "description": "A short guide.",
    "kind": "article",
    "url": "https://example.org/sleep",
    "tags": "Sleep, mood",
}


def test_a_member_suggests_a_link_and_a_lead_publishes_it(client, roles):
    client.force_login(roles[MEMBER])
    response = client.post(group_url("suggest", roles.group), GOOD)
    assert response.status_code == 302
    assert response["Location"] == group_url("list", roles.group)
    assert any("Thank you for suggesting" in m for m in messages_of(response))
    resource = Resource.objects.get()
    assert (resource.status, resource.added_by, resource.tags) == (
        Resource.Status.SUGGESTED,
        roles[MEMBER],
        ["sleep", "mood"],
    )
    # Waiting: the suggester sees it as theirs; other members do not see it.
    body = client.get(group_url("list", roles.group)).content.decode()
    assert "Your suggestions waiting for review" in body
    other_member = MembershipFactory(group=roles.group).user
    client.force_login(other_member)
    assert (
        "Sleep and low mood"
        not in client.get(group_url("list", roles.group)).content.decode()
    )

    client.force_login(roles[LEAD])
    review = client.get(group_url("review", roles.group)).content.decode()
    assert "Sleep and low mood" in review
    assert roles[MEMBER].display_name in review
    response = client.post(group_url("publish", roles.group, pk=resource.pk))
    assert response["Location"] == group_url("review", roles.group)
    assert any("is published" in m for m in messages_of(response))

    client.force_login(other_member)
    body = client.get(group_url("list", roles.group)).content.decode()
    assert "Sleep and low mood" in body
    assert 'rel="noopener noreferrer"' in body


def test_a_lead_adds_a_file_which_members_download(client, roles, tmp_path):
    client.force_login(roles[LEAD])
    response = client.post(
        group_url("add", roles.group),
        {**GOOD, "url": "", "file": upload("Übung (1).pdf", PDF, "text/html")},
    )
    assert response.status_code == 302
    assert any("is published" in m for m in messages_of(response))
    resource = Resource.objects.get(status=Resource.Status.PUBLISHED)
    assert resource.file_name == "Übung (1).pdf"

    client.force_login(roles[MEMBER])
    response = client.get(group_url("file", roles.group, pk=resource.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''%C3%9Cbung%20%281%29.pdf" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert len(stored_files(tmp_path)) == 1


def test_an_office_file_is_served_with_its_detected_type(client, roles):
    client.force_login(roles[LEAD])
    client.post(
        group_url("add", roles.group),
        {
            **GOOD,
            "url": "",
            "file": upload("plan.docx", ooxml("docx"), "application/pdf"),
        },
    )
    resource = Resource.objects.get()
    response = client.get(group_url("file", roles.group, pk=resource.pk))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert 'filename="plan.docx"' in response["Content-Disposition"]


def test_a_link_resource_has_no_file_and_a_lost_file_is_not_found(
    client, roles, tmp_path
):
    link = ResourceFactory(group=roles.group)
    lost = file_resource(roles.group)
    for path in stored_files(tmp_path):
        path.unlink()
    client.force_login(roles[MEMBER])
    assert client.get(group_url("file", roles.group, pk=link.pk)).status_code == 404
    assert client.get(group_url("file", roles.group, pk=lost.pk)).status_code == 404


def test_rejecting_a_suggestion_deletes_it_and_its_file(
    client, roles, tmp_path, django_capture_on_commit_callbacks
):
    suggestion = file_resource(roles.group, status=Resource.Status.SUGGESTED)
    assert len(stored_files(tmp_path)) == 1
    client.force_login(roles[LEAD])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(group_url("remove", roles.group, pk=suggestion.pk))
    assert response["Location"] == group_url("review", roles.group)
    assert any("is rejected" in m for m in messages_of(response))
    assert not Resource.objects.exists()
    assert stored_files(tmp_path) == []


def test_removing_a_published_resource(client, roles):
    resource = ResourceFactory(group=roles.group, title="Old link")
    client.force_login(roles[LEAD])
    assert (
        "Remove from the library"
        in client.get(group_url("list", roles.group)).content.decode()
    )
    response = client.post(group_url("remove", roles.group, pk=resource.pk))
    assert response["Location"] == group_url("list", roles.group)
    assert any("is removed from the library" in m for m in messages_of(response))
    assert not Resource.objects.exists()


def test_organisation_wide_suggestions_go_to_coordinators_and_hide_who_suggested(
    client, roles
):
    client.force_login(roles[MEMBER])
    response = client.post(org_url("suggest"), GOOD)
    assert response["Location"] == org_url("list")
    assert any("once the coordinators publish it" in m for m in messages_of(response))
    resource = Resource.objects.get()
    assert resource.group is None

    client.force_login(roles[COORDINATOR])
    assert roles[MEMBER].display_name in client.get(org_url("review")).content.decode()
    client.post(org_url("publish", pk=resource.pk))

    client.force_login(roles[OTHER_GROUP_MEMBER])
    body = client.get(org_url("list")).content.decode()
    assert "Sleep and low mood" in body
    assert roles[MEMBER].display_name not in body


def test_a_coordinator_adds_an_organisation_wide_resource(client, roles):
    client.force_login(roles[COORDINATOR])
    response = client.post(org_url("add"), GOOD)
    assert response.status_code == 302
    assert Resource.objects.get().status == Resource.Status.PUBLISHED


def test_a_groups_resources_stay_in_the_group(client, roles):
    ResourceFactory(group=roles.group, title="Our group's own handout")
    client.force_login(roles[OTHER_GROUP_MEMBER])
    assert "Our group's own handout" not in client.get(org_url("list")).content.decode()
    MembershipFactory(group=roles.other_group, user=roles[MEMBER])
    client.force_login(roles[MEMBER])
    body = client.get(group_url("list", roles.other_group)).content.decode()
    assert "Our group's own handout" not in body


class TestArchivedGroup:
    @pytest.fixture
    def archived(self, roles):
        roles.group.archived_at = timezone.now()
        roles.group.save()
        return roles.group

    def test_the_library_stays_readable(self, client, roles, archived):
        ResourceFactory(group=archived, title="Still here")
        client.force_login(roles[MEMBER])
        body = client.get(group_url("list", archived)).content.decode()
        assert "Still here" in body
        assert "archived" in body
        assert "Suggest a resource" not in body

    @pytest.mark.parametrize(("role", "name"), [(MEMBER, "suggest"), (LEAD, "add")])
    def test_nothing_can_be_added(self, client, roles, archived, tmp_path, role, name):
        client.force_login(roles[role])
        response = client.get(group_url(name, archived))
        assert response["Location"] == group_url("list", archived)
        assert any("is archived" in m for m in messages_of(response))
        response = client.post(
            group_url(name, archived), {**GOOD, "url": "", "file": upload("n.pdf", PDF)}
        )
        assert any("is archived" in m for m in messages_of(response))
        assert not Resource.objects.exists()
        assert stored_files(tmp_path) == []

    @pytest.mark.parametrize("action", ["publish", "remove"])
    def test_nothing_can_be_published_or_removed(self, client, roles, archived, action):
        suggestion = SuggestedResourceFactory(group=archived)
        client.force_login(roles[LEAD])
        response = client.post(group_url(action, archived, pk=suggestion.pk))
        assert response.status_code == 302
        assert any("is archived" in m for m in messages_of(response))
        suggestion.refresh_from_db()
        assert suggestion.status == Resource.Status.SUGGESTED


# --- Bad input ----------------------------------------------------------------


BAD_INPUT = [
    pytest.param(
        {"title": ""}, "title", "Give the resource a title.", id="missing-title"
    ),
    pytest.param(
        {"title": "x" * 10240}, "title", "at most 200 characters", id="huge-title"
    ),
    pytest.param(
        {"description": "x" * 10240},
        "description",
        "at most 2000",
        id="huge-description",
    ),
    pytest.param(
        {"tags": "x" * 10240}, "tags", "keep each tag to 30 characters", id="huge-tags"
    ),
    pytest.param(
        {"tags": ",".join(f"t{i}" for i in range(11))},
        "tags",
        "at most 10",
        id="11-tags",
    ),
    pytest.param(
        {"url": "https://example.org/" + "a" * 10240},
        "url",
        "at most 500",
        id="huge-url",
    ),
    pytest.param(
        {"kind": "podcast"}, "kind", "Choose one of the kinds", id="unknown-kind"
    ),
    pytest.param({"kind": ""}, "kind", "Choose what kind", id="missing-kind"),
    pytest.param(
        {"url": "javascript:alert(1)"},
        "url",
        "http:// or https://",
        id="javascript-url",
    ),
    pytest.param(
        {"url": "data:text/html,<script>alert(1)</script>"},
        "url",
        "http:// or https://",
        id="data-url",
    ),
    pytest.param({"url": ""}, "url", "Give a link, or choose a file", id="neither"),
    pytest.param(
        {"file": ("notes.pdf", PDF)},
        "file",
        "either a link or a file, not both",
        id="both",
    ),
    pytest.param(
        {"url": "", "file": ("page.pdf", HTML)},
        "file",
        "can't accept",
        id="html-as-pdf",
    ),
    pytest.param(
        {"url": "", "file": ("setup.pdf", EXE)}, "file", "can't accept", id="exe-as-pdf"
    ),
    pytest.param(
        {"url": "", "file": ("notes.docx", PDF)},
        "file",
        "PDF document, but its name ends in .docx",
        id="pdf-as-docx",
    ),
    pytest.param(
        {"url": "", "file": ("big.pdf", PDF + b"0" * MB)},
        "file",
        "the limit is 1 MB",
        id="oversize",
    ),
]


def _post_data(overrides):
    data = {**GOOD, **overrides}
    if "file" in data:
        data["file"] = upload(*data["file"])
    return data


@pytest.mark.parametrize(
    ("who", "url_of"),
    [
        (MEMBER, lambda roles: group_url("suggest", roles.group)),
        (LEAD, lambda roles: group_url("add", roles.group)),
        (OTHER_GROUP_MEMBER, lambda roles: org_url("suggest")),
        (COORDINATOR, lambda roles: org_url("add")),
    ],
    ids=["group-suggest", "group-add", "org-suggest", "org-add"],
)
@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
def test_bad_input_is_refused_at_the_field_keeping_the_other_answers(
    client, roles, tmp_path, who, url_of, overrides, field, message
):
    client.force_login(roles[who])
    response = client.post(url_of(roles), _post_data(overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field]), form.errors
    body = response.content.decode()
    assert "Please correct the marked fields below." in body
    assert 'enctype="multipart/form-data"' in body
    # The other answers are kept.
    for name in ("title", "description", "tags"):
        if name != field and name not in overrides:
            assert GOOD[name] in body
    assert not Resource.objects.exists()
    assert stored_files(tmp_path) == []


def test_hostile_html_is_shown_escaped_everywhere(client, roles):
    client.force_login(roles[MEMBER])
    client.post(
        group_url("suggest", roles.group),
        {**GOOD, "title": HOSTILE, "description": HOSTILE, "tags": HOSTILE[:30]},
    )
    pages = [(roles[MEMBER], group_url("list", roles.group))]
    pages.append((roles[LEAD], group_url("review", roles.group)))
    for viewer, url in pages:
        client.force_login(viewer)
        body = client.get(url).content.decode()
        assert ESCAPED in body, url
        assert HOSTILE not in body, url
    # Re-shown in a form after an error, still escaped.
    client.force_login(roles[MEMBER])
    body = client.post(
        group_url("suggest", roles.group), {**GOOD, "title": HOSTILE, "kind": "x"}
    ).content.decode()
    assert HOSTILE not in body
    assert "&lt;script&gt;" in body


def test_forms_use_multipart_and_no_inline_script_or_style(client, roles):
    ResourceFactory(group=roles.group, tags=["sleep"])
    SuggestedResourceFactory(group=roles.group)
    client.force_login(roles[LEAD])
    for name in ("list", "suggest", "add", "review"):
        response = client.get(group_url(name, roles.group))
        assert response.status_code == 200
        body = response.content.decode()
        assert_no_inline_script_or_style(body)
        if name in ("suggest", "add"):
            assert 'enctype="multipart/form-data"' in body
            assert re.search(r'<label\s+for="id_title"', body)
            assert 'accept=".pdf,' in body


# --- Filtering and paging ---------------------------------------------------------


def test_the_library_filters_by_kind_and_tag(client, roles):
    ResourceFactory(
        group=roles.group, title="Sleep video", kind="video", tags=["sleep"]
    )
    ResourceFactory(group=roles.group, title="Sleep article", tags=["sleep", "mood"])
    ResourceFactory(group=roles.group, title="Grief article", tags=["grief"])
    client.force_login(roles[MEMBER])
    url = group_url("list", roles.group)

    body = client.get(url, {"tag": "sleep"}).content.decode()
    assert "Sleep video" in body
    assert "Sleep article" in body
    assert "Grief article" not in body

    body = client.get(url, {"tag": "sleep", "kind": "article"}).content.decode()
    assert "Sleep article" in body
    assert "Sleep video" not in body

    response = client.get(url, {"kind": "podcast"})
    assert "Choose one of the kinds" in " ".join(
        response.context["filter_form"].errors["kind"]
    )
    assert "Grief article" in response.content.decode()  # an invalid filter shows all

    response = client.get(url, {"tag": "no-such-tag"})
    assert "has that tag" in " ".join(response.context["filter_form"].errors["tag"])


def test_long_libraries_are_paged_keeping_the_filter(client, roles):
    ResourceFactory.create_batch(30, group=roles.group, tags=["sleep"])
    client.force_login(roles[MEMBER])
    response = client.get(group_url("list", roles.group), {"tag": "sleep"})
    assert len(response.context["resources"]) == 25
    assert "?tag=sleep&amp;page=2" in response.content.decode()
    response = client.get(group_url("list", roles.group), {"tag": "sleep", "page": 2})
    assert len(response.context["resources"]) == 5


# --- Query counts -------------------------------------------------------------------


def _fill(group, count, suggester):
    for i in range(count):
        if i % 2:
            file_resource(group, added_by=suggester)
        else:
            ResourceFactory(group=group, added_by=suggester, tags=["sleep", f"t{i}"])
    SuggestedResourceFactory.create_batch(2, group=group, added_by=suggester)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("who", "expected"), [(MEMBER, 7), (LEAD, 7)], ids=["member", "lead"]
)
def test_group_library_query_count_does_not_grow(
    client, roles, django_assert_num_queries, who, expected
):
    url = group_url("list", roles.group)
    client.force_login(roles[who])
    _fill(roles.group, 2, roles[MEMBER])
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    _fill(roles.group, 38, roles[MEMBER])
    with django_assert_num_queries(expected):
        response = client.get(url, {"tag": "sleep"})
    assert len(response.context["resources"]) == 20


@pytest.mark.parametrize(
    ("who", "expected"), [(MEMBER, 6), (COORDINATOR, 6)], ids=["member", "coordinator"]
)
def test_organisation_library_query_count_does_not_grow(
    client, roles, django_assert_num_queries, who, expected
):
    url = org_url("list")
    client.force_login(roles[who])
    _fill(None, 2, roles[MEMBER])
    with django_assert_num_queries(expected):
        client.get(url)
    _fill(None, 38, roles[MEMBER])
    with django_assert_num_queries(expected):
        client.get(url)


def test_review_query_count_does_not_grow(client, roles):
    client.force_login(roles[LEAD])
    url = group_url("review", roles.group)
    SuggestedResourceFactory.create_batch(2, group=roles.group)
    few = _count(client, url)
    SuggestedResourceFactory.create_batch(38, group=roles.group)
    assert _count(client, url) == few
