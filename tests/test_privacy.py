"""Every URL answered for every role, as DESIGN.md's table allows."""

from django.urls import reverse

import pytest

from tests.roles import (
    COORDINATOR,
    COORDINATORS_ONLY,
    EVERYONE,
    INSIDE_GROUP,
    LOGIN,
    MEMBER,
    SIGNED_IN,
    check_roles,
    expect,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url_name", "kwargs", "expected"),
    [
        ("home", {}, EVERYONE),
        ("healthz", {}, EVERYONE),
        ("members:help", {}, EVERYONE),
        ("members:profile", {}, SIGNED_IN),
        ("members:coordinators", {}, COORDINATORS_ONLY),
        ("members:help_edit", {"language": "en"}, COORDINATORS_ONLY),
        ("outcomes:dashboard", {}, COORDINATORS_ONLY),
    ],
)
def test_organisation_pages_answer_each_role(client, roles, url_name, kwargs, expected):
    check_roles(client, roles, reverse(url_name, kwargs=kwargs), dict(expected))


def test_group_page_is_visible_to_its_own_members_only(client, roles):
    # Coordinators see aggregates, not inside groups: 404 like any outsider.
    check_roles(
        client,
        roles,
        roles.group.get_absolute_url(),
        INSIDE_GROUP,
    )


def test_unknown_group_and_other_group_look_the_same(client, roles):
    client.force_login(roles[MEMBER])
    other = client.get(roles.other_group.get_absolute_url())
    unknown = client.get(reverse("groups:detail", kwargs={"slug": "no-such-group"}))
    assert other.status_code == unknown.status_code == 404


def test_coordinator_revoke_is_for_coordinators_only(client, roles):
    target = roles[COORDINATOR]
    url = reverse("members:coordinator_revoke", kwargs={"user_id": target.pk})
    check_roles(
        client,
        roles,
        url,
        # The only coordinator cannot remove themself: redirected with a message.
        expect(LOGIN, 403, 403, 403, 302),
        method="post",
    )
    target.refresh_from_db()
    assert target.is_coordinator


def test_coordinator_revoke_refuses_get(client, roles):
    client.force_login(roles[COORDINATOR])
    url = reverse(
        "members:coordinator_revoke", kwargs={"user_id": roles[COORDINATOR].pk}
    )
    assert client.get(url).status_code == 405


def test_only_active_and_paused_members_see_the_group(client, roles):
    """Paused members see the group (not rostered); pending members see only
    their request; people who left or were declined see nothing."""
    from groups.models import Membership

    membership = Membership.objects.get(user=roles[MEMBER], group=roles.group)
    client.force_login(roles[MEMBER])
    expected = {
        Membership.Status.PAUSED: 200,
        Membership.Status.PENDING: 404,
        Membership.Status.LEFT: 404,
        Membership.Status.DECLINED: 404,
    }
    for status, code in expected.items():
        membership.status = status
        membership.save()
        assert client.get(roles.group.get_absolute_url()).status_code == code, status
