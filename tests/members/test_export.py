"""Download my data: everything held about the person, nothing about others,
and every relation to the user either exported or deliberately withheld."""

import json
import zoneinfo

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group as PermissionGroup
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

import pytest
from allauth.mfa.models import Authenticator

from groups.models import Membership
from members import selectors, services
from members.models import ConsentKind, HelpPage, User
from tests.groups.factories import (
    GroupFactory,
    LeadMembershipFactory,
    MembershipFactory,
)
from tests.members import group_records
from tests.members.factories import (
    TOTP_SECRET,
    CoordinatorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EXPORT = reverse("members:export")


def user_relations() -> set[str]:
    """Every relation that points at a user row, named "app.Model.field",
    including hidden ones (related_name="+") and the user's own many-to-many
    fields. A new model with a foreign key to the user shows up here."""
    relations = set()
    for field in User._meta.get_fields(include_hidden=True):
        if field.auto_created and not field.concrete:
            if field.related_model._meta.auto_created:
                continue  # the through table of User.groups / user_permissions
            relations.add(f"{field.related_model._meta.label}.{field.field.name}")
        elif field.many_to_many:
            relations.add(f"members.User.{field.name}")
    return relations


def withheld_sources() -> set[str]:
    return {item["source"] for item in selectors.EXPORT_WITHHELD}


# One way to give a person a row through each exported relation, and how to
# find that row in the export. A new relation needs an entry here too.
def _email(user):
    user.emailaddress_set.create(email="second@example.org", verified=False)
    return "second@example.org"


def _authenticator(user):
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TOTP_SECRET)
    return True


def _permission_group(user):
    user.groups.add(PermissionGroup.objects.create(name="Newsletter editors"))
    return "Newsletter editors"


def _permission(user):
    user.user_permissions.add(Permission.objects.get(codename="view_helppage"))
    return "members.view_helppage"


def _consent(user):
    services.consent_grant(user=user, kind=ConsentKind.NEWSLETTER)
    return "newsletter"


def _help_page(user):
    HelpPage.objects.create(language="nl", title="Hulp", body="Bel", updated_by=user)
    return "nl"


def _membership(user):
    MembershipFactory(user=user, group=GroupFactory(name="Membership group"))
    return "Membership group"


def _acknowledgement(user):
    group = GroupFactory(name="Acknowledged group")
    group_records.acknowledge(user, group_records.guideline_version(group))
    return "Acknowledged group"


def _guideline_version(user):
    group_records.guideline_version(
        GroupFactory(name="Published group"), published_by=user
    )
    return "Published group"


def _resource(user):
    group_records.resource(added_by=user, title="My resource")
    return "My resource"


def _invitation_used(user):
    group_records.invitation(GroupFactory(name="Invited group"), used_by=user)
    return "Invited group"


def _invitation_created(user):
    group_records.invitation(
        GroupFactory(name="Inviting group"), created_by=user, note="for a friend"
    )
    return "Inviting group"


def _meeting(group_name):
    from datetime import timedelta

    from django.utils import timezone

    from sessions_app.models import Meeting

    start = timezone.now() - timedelta(days=2)
    return Meeting.objects.create(
        group=GroupFactory(name=group_name),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )


def _calendar_feed(user):
    from sessions_app.models import CalendarFeed

    CalendarFeed.objects.create(user=user)
    return True


def _reminder(user):
    from sessions_app.models import SentMessage

    SentMessage.objects.create(
        kind="member_reminder", meeting=_meeting("R"), recipient=user
    )
    return "member_reminder"


def _feedback_receipt(user):
    from sessions_app.models import FeedbackReceipt

    FeedbackReceipt.objects.create(meeting=_meeting("Pulse group"), user=user)
    return "Pulse group"


def _icebreaker(user):
    from sessions_app.models import Icebreaker

    Icebreaker.objects.create(prompt="My favourite walk?", created_by=user)
    return "My favourite walk?"


MAKERS = {
    "sessions_app.CalendarFeed.user": (_calendar_feed, lambda s: s["on"]),
    "sessions_app.SentMessage.recipient": (_reminder, lambda s: [m["kind"] for m in s]),
    "sessions_app.FeedbackReceipt.user": (
        _feedback_receipt,
        lambda s: [r["group"] for r in s],
    ),
    "sessions_app.Icebreaker.created_by": (
        _icebreaker,
        lambda s: [i["prompt"] for i in s],
    ),
    "account.EmailAddress.user": (_email, lambda s: [a["email"] for a in s]),
    "mfa.Authenticator.user": (_authenticator, lambda s: s["enabled"]),
    "members.User.groups": (_permission_group, lambda s: s["admin_permission_groups"]),
    "members.User.user_permissions": (_permission, lambda s: s["admin_permissions"]),
    "members.Consent.user": (_consent, lambda s: [c["kind"] for c in s]),
    "members.HelpPage.updated_by": (_help_page, lambda s: [p["language"] for p in s]),
    "groups.Membership.user": (_membership, lambda s: [m["group"] for m in s]),
    "groups.Acknowledgement.user": (
        _acknowledgement,
        lambda s: [a["group"] for a in s],
    ),
    "groups.GuidelineVersion.published_by": (
        _guideline_version,
        lambda s: [v["group"] for v in s],
    ),
    "groups.Resource.added_by": (_resource, lambda s: [r["title"] for r in s]),
    "groups.Invitation.used_by": (_invitation_used, lambda s: [i["group"] for i in s]),
    "groups.Invitation.created_by": (
        _invitation_created,
        lambda s: [i["group"] for i in s],
    ),
}


def test_every_relation_to_the_user_is_exported_or_deliberately_withheld():
    relations = user_relations()
    unaccounted = relations - set(selectors.EXPORT_SECTIONS) - withheld_sources()
    assert not unaccounted, (
        f"{sorted(unaccounted)} point at the user but are neither in "
        "members.selectors.EXPORT_SECTIONS nor in EXPORT_WITHHELD: decide what "
        "the person's data export shows of them."
    )
    # And the lists name nothing that no longer exists.
    assert set(selectors.EXPORT_SECTIONS) <= relations
    assert set(MAKERS) == set(selectors.EXPORT_SECTIONS)


def test_every_withheld_item_is_named_with_its_reason_in_the_file():
    data = selectors.user_data_export(user=UserFactory())
    assert [(w["what"], w["why"]) for w in data["withheld"]] == [
        (w["what"], w["why"]) for w in selectors.EXPORT_WITHHELD
    ]
    assert all(w["what"] and w["why"] for w in data["withheld"])
    assert "admin.LogEntry.user" in withheld_sources()


@pytest.mark.parametrize("relation", sorted(MAKERS))
def test_each_exported_relation_shows_up_in_its_section(relation):
    make, read = MAKERS[relation]
    user = UserFactory()
    section = selectors.EXPORT_SECTIONS[relation]
    before = read(selectors.user_data_export(user=user)[section])
    expected = make(user)
    after = read(selectors.user_data_export(user=user)[section])
    assert after != before, relation
    assert after is True if expected is True else expected in after, relation


def test_the_file_holds_the_profile_preferences_and_addresses():
    user = UserFactory(
        display_name="River",
        pronouns="they/them",
        time_zone="Europe/Berlin",
        language="de",
        email_reminders=False,
        reminder_hours_before=48,
    )
    data = selectors.user_data_export(user=user)
    assert data["profile"] == {
        "display_name": "River",
        "pronouns": "they/them",
        "time_zone": "Europe/Berlin",
        "language": "de",
    }
    assert data["notification_preferences"] == {
        "email_reminders": False,
        "reminder_hours_before": 48,
        "reminder_lead_time": "2 days before",
    }
    assert data["email_addresses"] == [
        {"email": user.email, "verified": True, "primary": True}
    ]
    assert data["account"]["login_email"] == user.email
    assert data["two_factor"] == {"enabled": False}
    json.dumps(data)  # JSON-ready as it is


def test_consents_come_with_the_words_agreed_to_and_their_dates():
    user = UserFactory()
    services.consent_grant(user=user, kind=ConsentKind.NEWSLETTER)
    services.consent_withdraw(user=user, kind=ConsentKind.NEWSLETTER)
    services.consent_text_publish(kind=ConsentKind.NEWSLETTER, text="Weekly now.")
    services.consent_grant(user=user, kind=ConsentKind.NEWSLETTER)
    first, second = selectors.user_data_export(user=user)["consents"]
    assert (first["text_version"], second["text_version"]) == (1, 2)
    assert first["withdrawn_at"] is not None
    assert second["withdrawn_at"] is None
    assert second["text"] == "Weekly now."
    assert first["consent"] == "Receive the newsletter"
    assert first["granted_at"] <= first["withdrawn_at"]


def test_memberships_hold_my_request_but_never_the_leads_private_note():
    user = UserFactory()
    group = GroupFactory(name="After Loss")
    MembershipFactory(
        user=user,
        group=group,
        status=Membership.Status.LEFT,
        request_message="I lost my dad in May.",
        decision_message="Welcome!",
        removal_reason="LEADS-ONLY-NOTE about this person",
    )
    other = MembershipFactory(group=group, request_message="SOMEONE-ELSES-WORDS")
    data = selectors.user_data_export(user=user)
    (membership,) = data["memberships"]
    assert membership["group"] == "After Loss"
    assert membership["status"] == "Left"
    assert membership["role"] == "Member"
    assert membership["your_request_message"] == "I lost my dad in May."
    assert membership["leads_reply_to_you"] == "Welcome!"
    dumped = json.dumps(data)
    assert "LEADS-ONLY-NOTE" not in dumped
    assert "SOMEONE-ELSES-WORDS" not in dumped
    assert other.user.email not in dumped
    assert any("Leads' notes" in w["what"] for w in data["withheld"])


def test_acknowledgements_give_group_version_and_date():
    user = UserFactory()
    group = GroupFactory(name="Thursday Circle")
    group_records.guideline_version(group, number=1)
    version = group_records.guideline_version(group, number=2)
    ack = group_records.acknowledge(user, version)
    assert selectors.user_data_export(user=user)["guideline_acknowledgements"] == [
        {
            "group": "Thursday Circle",
            "guidelines_version": 2,
            "acknowledged_at": ack.acknowledged_at.isoformat(),
        }
    ]


def test_invitations_never_carry_their_secret_token():
    user = UserFactory()
    group = GroupFactory()
    used = group_records.invitation(group, used_by=user)
    made = group_records.invitation(group, created_by=user, note="for Sam")
    dumped = json.dumps(selectors.user_data_export(user=user))
    assert used.token not in dumped
    assert made.token not in dumped
    assert "for Sam" in dumped


def test_two_factor_says_only_whether_it_is_on():
    coordinator = CoordinatorFactory()
    data = selectors.user_data_export(user=coordinator)
    assert data["two_factor"] == {"enabled": True}
    assert data["account"]["coordinator"] is True
    dumped = json.dumps(data)
    assert TOTP_SECRET not in dumped
    for authenticator in Authenticator.objects.filter(user=coordinator):
        for value in authenticator.data.values():
            assert str(value) not in dumped


def test_admin_history_is_withheld():
    staff = UserFactory(is_staff=True)
    LogEntry.objects.create(
        user=staff, object_repr="SOMEONE ELSE'S RECORD", action_flag=ADDITION
    )
    assert "SOMEONE ELSE'S RECORD" not in json.dumps(
        selectors.user_data_export(user=staff)
    )


# --- The page and the download ----------------------------------------------------


def test_the_page_explains_and_offers_the_download(client):
    client.force_login(UserFactory())
    response = client.get(EXPORT)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in body
    assert "Download my data" in body
    assert "What is not in it" in body
    assert 'value="Download my data"' in body
    assert 'method="post"' in body


def test_the_download_is_a_dated_json_attachment(client):
    user = UserFactory(time_zone="Pacific/Kiritimati")
    client.force_login(user)
    response = client.post(EXPORT)
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo("Pacific/Kiritimati"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="circle-data-{today:%Y-%m-%d}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["display_name"] == user.display_name
    assert data["format_version"] == 1


def test_non_ascii_and_html_come_back_as_typed(client):
    user = UserFactory(display_name="Zoë <b>", pronouns="ça/他")
    client.force_login(user)
    response = client.post(EXPORT)
    assert "Zoë <b>".encode() in response.content
    assert json.loads(response.content)["profile"]["pronouns"] == "ça/他"


def test_someone_else_s_data_is_never_in_my_file(client, roles):
    from tests.roles import LEAD, MEMBER

    member, lead = roles[MEMBER], roles[LEAD]
    client.force_login(member)
    body = client.post(EXPORT).content.decode()
    assert lead.email not in body
    assert lead.display_name not in body
    assert member.email in body


def test_a_post_naming_another_person_still_gives_my_own_file(client, roles):
    from tests.roles import LEAD, MEMBER

    client.force_login(roles[MEMBER])
    response = client.post(EXPORT, {"user": roles[LEAD].pk, "email": "x"})
    data = json.loads(response.content)
    assert data["account"]["login_email"] == roles[MEMBER].email
    assert roles[LEAD].email not in response.content.decode()


def make_rich_account(user, size: int) -> None:
    """``size`` of every kind of row the export reads."""
    services.consent_grant(user=user, kind=ConsentKind.SURVEY_REPORTS)
    for n in range(size):
        group = GroupFactory()
        membership = (LeadMembershipFactory if n % 2 else MembershipFactory)(
            user=user, group=group, request_message=f"request {n}"
        )
        meeting = _meeting(f"Meeting group {n}")
        from sessions_app.models import Assignment, Attendance

        Attendance.objects.create(
            meeting=meeting, membership=membership, status="present"
        )
        Assignment.objects.create(meeting=meeting, membership=membership, reason="test")
        version = group_records.guideline_version(group, published_by=user)
        group_records.acknowledge(user, version)
        group_records.resource(added_by=user, group=group, title=f"Resource {n}")
        group_records.invitation(group, used_by=user)
        group_records.invitation(group, created_by=user)
        user.emailaddress_set.create(email=f"extra{n}-{user.pk}@example.org")
        user.groups.add(PermissionGroup.objects.create(name=f"perm {user.pk}-{n}"))


@pytest.mark.parametrize("size", [1, 30])
def test_the_export_takes_the_same_queries_for_1_and_30_of_everything(
    django_assert_num_queries, size
):
    user = UserFactory()
    make_rich_account(user, size)
    # One per section: e-mail addresses, consents, memberships,
    # acknowledgements, guideline versions, resources, invitations used and
    # made, help pages, permission groups, permissions, two-factor, attendance,
    # facilitation, blockouts, preferences, calendar feed, reminders,
    # feedback receipts, icebreakers.
    with django_assert_num_queries(20):
        data = selectors.user_data_export(user=user)
    assert len(data["memberships"]) == size
    assert len(data["meeting_attendance"]) == size
    assert len(data["facilitation"]) == size
    assert len(data["guideline_acknowledgements"]) == size


@pytest.mark.parametrize("size", [1, 30])
def test_the_download_takes_the_same_queries_for_1_and_30_of_everything(
    client, django_assert_num_queries, size
):
    user = UserFactory()
    make_rich_account(user, size)
    client.force_login(user)
    # Session and user, then the export's twenty.
    with django_assert_num_queries(22):
        response = client.post(EXPORT)
    assert len(json.loads(response.content)["resources_added"]) == size
