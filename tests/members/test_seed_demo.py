from django.core.management import CommandError, call_command
from django.urls import reverse

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from groups.models import Group, Membership
from members.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from members.models import User

pytestmark = pytest.mark.django_db

DEMO_LOGINS = [
    "coordinator@demo.example",
    "facilitator@demo.example",
    "member@demo.example",
]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def counts():
    return (
        User.objects.count(),
        Group.objects.count(),
        Membership.objects.count(),
        EmailAddress.objects.count(),
        Authenticator.objects.count(),
    )


def test_seed_demo_is_idempotent(debug):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first[0] >= 9


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refused when DEBUG is off"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_demo_logins_work_with_the_published_password(client, debug):
    call_command("seed_demo")
    for email in DEMO_LOGINS:
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.get(user=user).verified
    client.post(
        reverse("account_login"),
        {"login": "member@demo.example", "password": DEMO_PASSWORD},
    )
    assert "Thursday Anxiety Circle" in client.get("/").content.decode()


def test_demo_roles(debug):
    call_command("seed_demo")
    facilitator = User.objects.get(email="facilitator@demo.example")
    assert Membership.objects.filter(
        user=facilitator, role="lead", status="active"
    ).exists()
    member = User.objects.get(email="member@demo.example")
    assert set(member.memberships.values_list("role", flat=True)) == {"member"}
    coordinator = User.objects.get(email="coordinator@demo.example")
    assert coordinator.is_coordinator
    assert coordinator.is_staff


def test_demo_coordinator_code_opens_two_factor(capsys, debug):
    call_command("seed_demo")
    capsys.readouterr()
    call_command("demo_totp")
    code = capsys.readouterr().out.strip()
    assert code == pyotp.TOTP(DEMO_TOTP_SECRET).now()
    authenticator = Authenticator.objects.get(
        user__email="coordinator@demo.example", type=Authenticator.Type.TOTP
    )
    assert TOTP(authenticator).validate_code(code)


def test_demo_totp_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_totp")


def test_benchmark_sizes(debug):
    call_command("seed_demo", groups=3, members=4)
    bench = Group.objects.filter(slug__startswith="bench-group-")
    assert bench.count() == 3
    assert Membership.objects.filter(group__in=bench).count() == 12
    assert Membership.objects.filter(group__in=bench, role="lead").count() == 3
    call_command("seed_demo", groups=3, members=4)
    assert Membership.objects.filter(group__in=bench).count() == 12


def test_benchmark_weeks_make_past_and_coming_meetings(debug):
    from django.utils import timezone

    call_command("seed_demo", groups=2, members=3, weeks=6)
    for group in Group.objects.filter(slug__startswith="bench-group-"):
        past = group.meetings.filter(starts_at__lt=timezone.now()).count()
        coming = group.meetings.filter(starts_at__gte=timezone.now()).count()
        assert 5 <= past <= 6
        assert 12 <= coming <= 13
    before = sum(g.meetings.count() for g in Group.objects.all())
    call_command("seed_demo", groups=2, members=3, weeks=6)
    assert sum(g.meetings.count() for g in Group.objects.all()) == before
