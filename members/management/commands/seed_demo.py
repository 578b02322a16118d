"""Demo data for a newcomer's first look, and large data sets for benchmarks.

Idempotent: running it twice leaves the same demo. Refused when DEBUG is off,
because it creates accounts with a published password."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from groups.models import Group, Membership
from members.models import User

DEMO_PASSWORD = "peer-support-demo"  # noqa: S105 - published demo password
# A published TOTP secret for the demo coordinator (DEBUG only);
# `python manage.py demo_totp` prints the current code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPCIRCLEDEMO234567"  # noqa: S105

DEMO_GROUPS = [
    (
        "thursday-anxiety-circle",
        "Thursday Anxiety Circle",
        "A sharing circle for people living with anxiety. We meet weekly, "
        "take turns facilitating and keep what is shared in the room.",
    ),
    (
        "after-loss",
        "After Loss",
        "Peer support for people living with bereavement, every other Tuesday.",
    ),
    (
        "young-adults-mood",
        "Young Adults: Mood",
        "For people aged 18-25 living with low mood or depression.",
    ),
]

DEMO_MEMBERS = [
    ("alex@demo.example", "Alex", "they/them"),
    ("sam@demo.example", "Sam", "she/her"),
    ("jordan@demo.example", "Jordan", ""),
    ("robin@demo.example", "Robin", "he/him"),
    ("kai@demo.example", "Kai", ""),
    ("noor@demo.example", "Noor", "she/her"),
]


def _user(email, display_name, pronouns="", **flags):
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"display_name": display_name, "pronouns": pronouns, **flags},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _member(user, group, role=Membership.Role.MEMBER, **extra):
    Membership.objects.get_or_create(
        user=user,
        group=group,
        defaults={"role": role, "status": Membership.Status.ACTIVE, **extra},
    )


class Command(BaseCommand):
    help = "Create the demo organisation and logins (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--groups", type=int, default=0, help="extra generated groups (benchmarks)"
        )
        parser.add_argument(
            "--members",
            type=int,
            default=0,
            help="generated members per extra group (benchmarks)",
        )

    @transaction.atomic
    def handle(self, *args, groups=0, members=0, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password and is "
                "refused when DEBUG is off."
            )
        coordinator = _user(
            "coordinator@demo.example",
            "Casey (coordinator)",
            is_coordinator=True,
            is_staff=True,
            is_superuser=True,
        )
        if not Authenticator.objects.filter(
            user=coordinator, type=Authenticator.Type.TOTP
        ).exists():
            from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
            from allauth.mfa.totp.internal.auth import TOTP

            TOTP.activate(coordinator, DEMO_TOTP_SECRET)
            RecoveryCodes.activate(coordinator)
        facilitator = _user("facilitator@demo.example", "Frankie", "she/her")
        member = _user("member@demo.example", "Morgan", "he/him")

        demo_groups = []
        for slug, name, description in DEMO_GROUPS:
            group, _ = Group.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description}
            )
            demo_groups.append(group)
        anxiety, loss, young = demo_groups
        _member(facilitator, anxiety, Membership.Role.LEAD, takes_part_in_rota=True)
        _member(facilitator, loss, Membership.Role.MEMBER, willing_to_mentor=True)
        _member(member, anxiety, takes_part_in_rota=True)
        for index, (email, name, pronouns) in enumerate(DEMO_MEMBERS):
            user = _user(email, name, pronouns)
            _member(user, anxiety if index % 2 == 0 else loss)
        _member(_user("robin@demo.example", "Robin"), young, Membership.Role.LEAD)

        for g in range(groups):
            group, _ = Group.objects.get_or_create(
                slug=f"bench-group-{g}", defaults={"name": f"Bench group {g}"}
            )
            existing = set(group.memberships.values_list("user__email", flat=True))
            new_users = [
                User(
                    email=f"bench-{g}-{m}@demo.example", display_name=f"Member {g}-{m}"
                )
                for m in range(members)
                if f"bench-{g}-{m}@demo.example" not in existing
            ]
            for user in new_users:
                user.set_unusable_password()
            created = User.objects.bulk_create(new_users)
            Membership.objects.bulk_create(
                Membership(
                    user=user,
                    group=group,
                    status=Membership.Status.ACTIVE,
                    role=Membership.Role.LEAD if i == 0 else Membership.Role.MEMBER,
                )
                for i, user in enumerate(created)
            )

        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready. Logins (password "
                f"{DEMO_PASSWORD!r}): coordinator@demo.example, "
                "facilitator@demo.example, member@demo.example. The coordinator "
                "has two-factor on: `python manage.py demo_totp` prints the code."
            )
        )
