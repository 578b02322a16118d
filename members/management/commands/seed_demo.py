"""Demo data for a newcomer's first look, and large data sets for benchmarks.

Idempotent: running it twice leaves the same demo. Refused when DEBUG is off,
because it creates accounts with a published password."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from groups import services as group_services
from groups.models import (
    Acknowledgement,
    Group,
    GuidelineDraftItem,
    Invitation,
    Membership,
    Resource,
)
from members.models import User

DEMO_PASSWORD = "peer-support-demo"  # noqa: S105 - published demo password
# A published TOTP secret for the demo coordinator (DEBUG only);
# `python manage.py demo_totp` prints the current code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPCIRCLEDEMO234567"  # noqa: S105

Role, Status = Membership.Role, Membership.Status

LIBRARY = [
    (
        "Understanding anxiety",
        Resource.Kind.ARTICLE,
        "https://www.mind.org.uk/information-support/types-of-mental-health-problems/anxiety-and-panic-attacks/",
        "anxiety, self-help",
        "Mind's plain-language guide to anxiety and panic, and what helps.",
    ),
    (
        "Grief and bereavement support",
        Resource.Kind.HELPLINE,
        "https://www.cruse.org.uk/",
        "bereavement",
        "Cruse Bereavement Support: helpline and local services.",
    ),
    (
        "Breathing exercise for stress",
        Resource.Kind.VIDEO,
        "https://www.nhs.uk/mental-health/self-help/guides-tools-and-activities/breathing-exercises-for-stress/",
        "breathing, stress",
        "A five-minute exercise from the NHS.",
    ),
]

# The smallest well-formed PDF: one empty page (a demo upload).
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

DEMO_GROUPS = {
    "thursday-anxiety-circle": {
        "name": "Thursday Anxiety Circle",
        "description": "A sharing circle for people living with anxiety. We meet "
        "weekly, take turns facilitating and keep what is shared in the room.",
        "focus": "anxiety",
        "meeting_place": "Community Centre, Room 2, 14 Mill Lane",
        "capacity": 12,
        "languages": ["en"],
    },
    "after-loss": {
        "name": "After Loss",
        "description": "Peer support for people living with bereavement, every "
        "other Tuesday. Small on purpose: it is full, and requests wait in a queue.",
        "focus": "bereavement",
        "online_link": "https://meet.example.org/after-loss",
        "capacity": 4,
        "languages": ["en", "nl"],
    },
    "young-adults-mood": {
        "name": "Young Adults: Mood",
        "description": "For people aged 18 to 25 living with low mood or depression. "
        "By invitation from our partner services.",
        "focus": "young adults",
        "join_policy": Group.JoinPolicy.INVITE_ONLY,
        "capacity": 10,
        "languages": ["en"],
    },
    "wednesday-carers": {
        "name": "Wednesday Carers",
        "description": "Support for unpaid carers. The group closed in spring; its "
        "history is kept.",
        "focus": "carers",
        "capacity": 10,
    },
}

PEOPLE = [
    # email, display name, pronouns
    ("alex@demo.example", "Alex", "they/them"),
    ("sam@demo.example", "Sam", "she/her"),
    ("jordan@demo.example", "Jordan", ""),
    ("robin@demo.example", "Robin", "he/him"),
    ("kai@demo.example", "Kai", ""),
    ("noor@demo.example", "Noor", "she/her"),
    ("lee@demo.example", "Lee", ""),
    ("ash@demo.example", "Ash", "they/them"),
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


def _member(user, group, role=Role.MEMBER, status=Status.ACTIVE, **extra):
    membership, _ = Membership.objects.get_or_create(
        user=user, group=group, defaults={"role": role, "status": status, **extra}
    )
    return membership


def _agree(user, group, number=None):
    versions = group.guideline_versions.order_by("-number")
    version = versions.get(number=number) if number else versions.first()
    Acknowledgement.objects.get_or_create(user=user, version=version)


def _group(slug, coordinator):
    existing = Group.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    return group_services.group_create(
        acting_user=coordinator, slug=slug, **DEMO_GROUPS[slug]
    ), True


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
        parser.add_argument(
            "--weeks",
            type=int,
            default=0,
            help="weeks of past weekly meetings per extra group (benchmarks); "
            "the next 12 weeks are generated as always",
        )

    @transaction.atomic
    def handle(self, *args, groups=0, members=0, weeks=0, **options):
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
        # A flushed database (tests) loses what data migrations seeded.
        group_services.default_guidelines_ensure()
        _ensure_shipped_records()
        facilitator = _user("facilitator@demo.example", "Frankie", "she/her")
        member = _user("member@demo.example", "Morgan", "he/him")
        people = {
            name: _user(email, name, pronouns) for email, name, pronouns in PEOPLE
        }

        self._anxiety_circle(coordinator, facilitator, member, people)
        self._after_loss(coordinator, facilitator, people)
        self._young_adults(coordinator, people)
        self._carers(coordinator, people)
        self._library(coordinator, facilitator, member, people)
        self._meetings(facilitator, people)
        self._rota(facilitator, people)
        self._attendance(facilitator, member, people)
        self._bench(coordinator, groups, members, weeks)

        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready. Logins (password "
                f"{DEMO_PASSWORD!r}): coordinator@demo.example, "
                "facilitator@demo.example, member@demo.example. The coordinator "
                "has two-factor on: `python manage.py demo_totp` prints the code."
            )
        )

    def _anxiety_circle(self, coordinator, facilitator, member, people):
        group, created = _group("thursday-anxiety-circle", coordinator)
        _member(facilitator, group, Role.LEAD, takes_part_in_rota=True)
        _member(member, group, takes_part_in_rota=True)
        for name in ("Alex", "Jordan", "Lee"):
            _member(people[name], group, takes_part_in_rota=name != "Lee")
        for person in (facilitator, member, people["Alex"], people["Jordan"]):
            _agree(person, group, number=1)
        if created:
            # Version 2, so members are asked again and see what changed.
            GuidelineDraftItem.objects.create(
                group=group,
                position=9,
                title="Cameras are optional online",
                explanation="On video calls, keep your camera off if you prefer; "
                "say hello in the chat instead.",
            )
            group_services.guideline_publish(
                group=group,
                change_note="New guideline for online meetings: cameras are optional.",
                acting_user=facilitator,
            )
        _agree(people["Alex"], group)  # Alex agreed again; Morgan and Jordan not yet.
        if not Membership.objects.filter(user=people["Sam"], group=group).exists():
            group_services.membership_request(
                user=people["Sam"],
                group=group,
                message="A friend told me about the group. I'd like to listen first.",
            )

    def _after_loss(self, coordinator, facilitator, people):
        group, _ = _group("after-loss", coordinator)
        _member(people["Noor"], group, Role.LEAD)
        _member(facilitator, group, willing_to_mentor=True)
        for name in ("Ash", "Robin"):
            _member(people[name], group)
        for person in (people["Noor"], facilitator, people["Ash"], people["Robin"]):
            _agree(person, group)
        # Full (4 of 4): this request waits in the queue.
        if not Membership.objects.filter(user=people["Kai"], group=group).exists():
            group_services.membership_request(user=people["Kai"], group=group)

    def _young_adults(self, coordinator, people):
        group, created = _group("young-adults-mood", coordinator)
        lead = _member(people["Robin"], group, Role.LEAD).user
        _member(people["Kai"], group)
        _agree(lead, group)
        if created:
            now = timezone.now()
            group_services.invitation_create(
                group=group,
                acting_user=lead,
                note="For the referral from the GP practice",
            )
            used = group_services.invitation_create(
                group=group, acting_user=lead, note="For Lee"
            )
            group_services.invitation_accept(invitation=used, user=people["Lee"])
            Invitation.objects.create(
                group=group,
                note="Old link, never used",
                created_by=lead,
                created_at=now - timedelta(days=30),
                expires_at=now - timedelta(days=16),
            )

    def _carers(self, coordinator, people):
        group, created = _group("wednesday-carers", coordinator)
        _member(people["Jordan"], group, Role.LEAD)
        _member(people["Sam"], group)
        _agree(people["Jordan"], group)
        if created:
            group_services.group_archive(group=group, acting_user=coordinator)

    def _library(self, coordinator, facilitator, member, people):
        """The resource library: organisation-wide and the Anxiety Circle's,
        with a member's suggestion waiting for its lead."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from groups.resources import services as resource_services

        anxiety = Group.objects.get(slug="thursday-anxiety-circle")
        if Resource.objects.exists():
            return
        for title, kind, url, tags, description in LIBRARY:
            resource_services.resource_create(
                group=None,
                acting_user=coordinator,
                title=title,
                kind=kind,
                url=url,
                tags=tags,
                description=description,
                publish=True,
            )
        resource_services.resource_create(
            group=anxiety,
            acting_user=facilitator,
            title="Grounding: 5-4-3-2-1",
            kind=Resource.Kind.WORKSHOP,
            description="The one-page exercise we practised in the workshop.",
            upload=SimpleUploadedFile(
                "grounding-5-4-3-2-1.pdf", MINIMAL_PDF, content_type="application/pdf"
            ),
            tags="grounding, workshop",
            publish=True,
        )
        resource_services.resource_create(
            group=anxiety,
            acting_user=member,
            title="A podcast episode that helped me with panic",
            kind=Resource.Kind.VIDEO,
            url="https://podcasts.example.org/panic-episode",
            tags="panic",
            description="Suggested by a member; waiting for a lead to publish it.",
        )

    def _meetings(self, facilitator, people):
        """Schedules in three groups, and eight weeks of past meetings in the
        Anxiety Circle (held), so the rota and attendance have history."""
        from datetime import time

        from sessions_app import services as meeting_services
        from sessions_app.models import Meeting

        today = timezone.localdate()
        specs = [
            (
                "thursday-anxiety-circle",
                facilitator,
                {
                    "frequency": "weekly",
                    "weekday": 3,
                    "local_time": time(18, 30),
                    "topic": "Living with anxiety",
                },
            ),
            (
                "after-loss",
                people["Noor"],
                {"frequency": "fortnightly", "weekday": 1, "local_time": time(19, 0)},
            ),
            (
                "young-adults-mood",
                people["Robin"],
                {
                    "frequency": "monthly",
                    "weekday": 2,
                    "nth": 2,
                    "local_time": time(17, 30),
                    "format": "workshop",
                    "topic": "Sleep and mood",
                },
            ),
        ]
        for slug, lead, fields in specs:
            group = Group.objects.get(slug=slug)
            if group.schedules.exists():
                continue
            schedule = meeting_services.schedule_create(
                group=group,
                acting_user=lead,
                starts_on=today - timedelta(weeks=8),
                duration_minutes=90,
                **fields,
            )
            if slug != "thursday-anxiety-circle":
                continue
            # History: the past eight weeks (attendance makes them held).
            meeting_services.meetings_generate(
                schedule=schedule, since=today - timedelta(weeks=8)
            )
        # A guest speaker next month in the Anxiety Circle.
        anxiety = Group.objects.get(slug="thursday-anxiety-circle")
        upcoming = anxiety.meetings.filter(
            status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now()
        ).order_by("starts_at")
        if (
            upcoming.count() > 4
            and not anxiety.meetings.filter(format="guest_speaker").exists()
        ):
            meeting_services.meeting_update(
                meeting=upcoming[4],
                acting_user=facilitator,
                format="guest_speaker",
                topic="Talking about anxiety at work",
                speaker_name="Dr Amina Yusuf",
                speaker_bio="Occupational psychologist and peer-support trainer.",
                speaker_topic="How to ask for adjustments at work",
            )

    def _rota(self, facilitator, people):
        """The Anxiety Circle's rota: who facilitated the past weeks, blockouts,
        a preference, an auto-fill run with its reasons, and a pending swap."""
        from sessions_app import rota_services
        from sessions_app.models import Assignment, AutoFillRun

        group = Group.objects.get(slug="thursday-anxiety-circle")
        if AutoFillRun.objects.filter(group=group).exists():
            return
        _agree(people["Lee"], group)
        by_name = {
            m.user.display_name: m
            for m in group.memberships.filter(status=Status.ACTIVE).select_related(
                "user"
            )
        }
        rota_services.rota_participation_set(
            membership=by_name["Lee"], takes_part=True, acting_user=people["Lee"]
        )
        # Who facilitated the past eight weeks (Lee never has: a newcomer).
        past = group.meetings.filter(ends_at__lt=timezone.now()).order_by("starts_at")
        turns = [
            "Frankie",
            "Alex",
            "Frankie",
            "Alex",
            "Frankie",
            "Alex",
            "Frankie",
            "Alex",
        ]
        for meeting, name in zip(past, turns, strict=False):
            Assignment.objects.get_or_create(
                meeting=meeting,
                role=Assignment.Role.FACILITATOR,
                defaults={"membership": by_name[name], "reason": "Before Circle"},
            )
        today = timezone.localdate()
        rota_services.blockout_add(
            membership=by_name["Alex"],
            acting_user=people["Alex"],
            kind="week_of_month",
            week_of_month=1,
            note="School run",
        )
        rota_services.blockout_add(
            membership=by_name["Frankie"],
            acting_user=by_name["Frankie"].user,
            kind="range",
            starts_on=today + timedelta(days=21),
            ends_on=today + timedelta(days=28),
            note="Away",
        )
        rota_services.preference_set(
            membership=by_name["Lee"],
            acting_user=people["Lee"],
            max_times=1,
            per_weeks=4,
        )
        result = rota_services.autofill_run(group=group, acting_user=facilitator)
        mine = [a for a in result.assignments if a.membership == by_name["Frankie"]]
        if mine:
            rota_services.swap_request(
                assignment=mine[0],
                acting_user=facilitator,
                message="I'm at a family event that week. Could someone take it?",
            )

    def _attendance(self, facilitator, member, people):
        """Attendance for the Anxiety Circle's past meetings, and the anonymous
        pulse: five answers on older meetings (enough to show figures), and the
        latest left for Morgan to answer."""
        from sessions_app import attendance_services as attendance
        from sessions_app.models import Attendance, FeedbackReceipt

        group = Group.objects.get(slug="thursday-anxiety-circle")
        past = list(
            group.meetings.filter(ends_at__lt=timezone.now()).order_by("starts_at")
        )
        if not past or Attendance.objects.filter(meeting__group=group).exists():
            return
        scores = [(5, 5, 1), (4, 5, 1), (4, 4, 2), (5, 4, 1), (3, 4, 2)]
        comments = [
            "Felt really heard tonight.",
            "",
            "The check-in round helped.",
            "",
            "",
        ]
        for index, meeting in enumerate(past):
            attendance.attendance_mark_all_present(
                meeting=meeting, acting_user=facilitator
            )
            if index % 3 == 1:
                away = group.memberships.get(user=people["Lee"])
                attendance.attendance_mark(
                    meeting=meeting,
                    membership=away,
                    status="excused",
                    acting_user=facilitator,
                )
            if meeting.ends_at > timezone.now() - timedelta(days=7):
                continue  # still open for feedback: Morgan has not answered yet
            present = Attendance.objects.filter(
                meeting=meeting, status="present"
            ).select_related("membership__user")
            for (safe, heard, judged), comment, record in zip(
                scores, comments, present, strict=False
            ):
                if FeedbackReceipt.objects.filter(
                    meeting=meeting, user=record.membership.user
                ):
                    continue
                attendance.feedback_submit(
                    meeting=meeting,
                    user=record.membership.user,
                    felt_safe=safe,
                    felt_listened_to=heard,
                    felt_judged=judged,
                    comment=comment,
                    at=meeting.ends_at + timedelta(hours=2),
                )

    def _bench(self, coordinator, groups, members, weeks=0):
        """Large groups for benchmarks: active members who all agreed, and with
        ``weeks``, a weekly schedule with that many weeks of past meetings."""
        from datetime import time

        from sessions_app import services as meeting_services

        for g in range(groups):
            group, _ = _group_bench(g, coordinator)
            version = group.guideline_versions.order_by("-number").first()
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
            lead_exists = group.memberships.filter(role=Role.LEAD).exists()
            Membership.objects.bulk_create(
                Membership(
                    user=user,
                    group=group,
                    status=Status.ACTIVE,
                    role=Role.LEAD if i == 0 and not lead_exists else Role.MEMBER,
                )
                for i, user in enumerate(created)
            )
            Acknowledgement.objects.bulk_create(
                Acknowledgement(user=user, version=version) for user in created
            )
            if weeks and not group.schedules.exists():
                start = timezone.localdate() - timedelta(weeks=weeks)
                schedule = meeting_services.schedule_create(
                    group=group,
                    acting_user=coordinator,
                    frequency="weekly",
                    weekday=start.weekday(),
                    local_time=time(18, 0),
                    starts_on=start,
                )
                meeting_services.meetings_generate(schedule=schedule, since=start)


def _group_bench(g, coordinator):
    slug = f"bench-group-{g}"
    existing = Group.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    return group_services.group_create(
        acting_user=coordinator, slug=slug, name=f"Bench group {g}", capacity=10_000
    ), True


def _ensure_shipped_records():
    from members.defaults import create_consent_texts
    from members.models import ConsentText

    create_consent_texts(ConsentText)
