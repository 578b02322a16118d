"""Check a URL for every role in one go (DESIGN.md, "Roles and privacy").

Every URL an issue adds gets a test like::

    def test_group_page_is_visible_to_its_members_only(client, roles):
        check_roles(client, roles, roles.group.get_absolute_url(), {
            ANONYMOUS: LOGIN, OTHER_GROUP_MEMBER: 404, MEMBER: 200, LEAD: 200,
            COORDINATOR: 404,
        })

The expectation must name all five roles, so nobody forgets one. An outcome
is an HTTP status, ``LOGIN`` (sent to log in) or ``TWO_FACTOR`` (a coordinator
sent to set up two-factor authentication).
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.urls import reverse

from groups.models import Group
from members.models import User
from tests.groups.factories import (
    GroupFactory,
    LeadMembershipFactory,
    MembershipFactory,
)
from tests.members.factories import CoordinatorFactory

ANONYMOUS = "anonymous"
OTHER_GROUP_MEMBER = "other_group_member"
MEMBER = "member"
LEAD = "lead"
COORDINATOR = "coordinator"
ROLES = (ANONYMOUS, OTHER_GROUP_MEMBER, MEMBER, LEAD, COORDINATOR)

LOGIN = "login"
TWO_FACTOR = "two_factor"


def expect(anonymous, other_group_member, member, lead, coordinator) -> dict:
    """An expectation for check_roles, in the order of ROLES."""
    answers = (anonymous, other_group_member, member, lead, coordinator)
    return dict(zip(ROLES, answers, strict=True))


# The answers most URLs give; anything else is spelled out with expect().
EVERYONE = expect(200, 200, 200, 200, 200)
SIGNED_IN = expect(LOGIN, 200, 200, 200, 200)
COORDINATORS_ONLY = expect(LOGIN, 403, 403, 403, 200)
# A group's own pages: outsiders and coordinators (who see aggregates, not
# inside groups) get 404, so existence does not leak.
INSIDE_GROUP = expect(LOGIN, 404, 200, 200, 404)
LEADS_ONLY = expect(LOGIN, 404, 403, 200, 404)


@dataclass
class RoleUsers:
    group: Group
    other_group: Group
    users: dict[str, User | None] = field(default_factory=dict)

    def __getitem__(self, role: str) -> User | None:
        return self.users[role]


def make_role_users() -> RoleUsers:
    """A group with a member and a lead, another group with its own member,
    and a coordinator (with two-factor set up) who belongs to no group."""
    group = GroupFactory()
    other_group = GroupFactory()
    return RoleUsers(
        group=group,
        other_group=other_group,
        users={
            ANONYMOUS: None,
            OTHER_GROUP_MEMBER: MembershipFactory(group=other_group).user,
            MEMBER: MembershipFactory(group=group).user,
            LEAD: LeadMembershipFactory(group=group).user,
            COORDINATOR: CoordinatorFactory(),
        },
    )


def _outcome(response) -> int | str:
    if response.status_code in (301, 302):
        path = urlsplit(response["Location"]).path
        if path == reverse("account_login"):
            return LOGIN
        if path == reverse("mfa_activate_totp"):
            return TWO_FACTOR
    return response.status_code


def check_roles(client, roles: RoleUsers, url, expected, *, method="get", data=None):
    """Request ``url`` as each role and compare with ``expected``.

    Returns the responses by role, for further assertions."""
    missing = set(ROLES) - set(expected)
    assert not missing, f"say what these roles get: {sorted(missing)}"
    responses, outcomes = {}, {}
    for role in ROLES:
        client.logout()
        user = roles[role]
        if user is not None:
            client.force_login(user)
        response = getattr(client, method)(url, data or {})
        responses[role] = response
        outcomes[role] = _outcome(response)
    client.logout()
    wrong = {
        role: f"expected {expected[role]!r}, got {outcomes[role]!r}"
        for role in ROLES
        if expected[role] != outcomes[role]
    }
    assert not wrong, f"{method.upper()} {url}: {wrong}"
    return responses
