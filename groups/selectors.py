import difflib

from django.db.models import Count, F, OuterRef, Q, Subquery

from members.models import User

from .models import Acknowledgement, Group, GuidelineVersion, Invitation, Membership
from .permissions import SEES_GROUP

# Paused members keep their place: a pause is a break, not a departure.
PLACE_HOLDING = (Membership.Status.ACTIVE, Membership.Status.PAUSED)

# Role values sort "lead" before "member": order_by("role") lists leads first.


def memberships_for_user(*, user):
    """The groups the user sees (active or paused), leads first."""
    return (
        Membership.objects.filter(user=user, status__in=SEES_GROUP)
        .select_related("group")
        .order_by("role", "group__name")
    )


def pending_requests_for_user(*, user):
    return (
        Membership.objects.filter(user=user, status=Membership.Status.PENDING)
        .select_related("group")
        .order_by("requested_at")
    )


def directory_groups(*, user):
    """Open, current groups with places left and the user's own status."""
    mine = Membership.objects.filter(group=OuterRef("pk"), user=user)
    return (
        Group.objects.filter(
            join_policy=Group.JoinPolicy.OPEN, archived_at__isnull=True
        )
        .annotate(
            places_taken=Count(
                "memberships", filter=Q(memberships__status__in=PLACE_HOLDING)
            ),
            my_status=Subquery(mine.values("status")[:1]),
        )
        .order_by("name")
    )


def places_taken(group: Group) -> int:
    return group.memberships.filter(status__in=PLACE_HOLDING).count()


def places_left(*, group: Group) -> int:
    """Places before the group is full."""
    return group.capacity - places_taken(group)


def current_version(*, group: Group) -> GuidelineVersion | None:
    return group.guideline_versions.order_by("-number").first()


def group_roster(*, group: Group):
    """Active members as other members may see them (paused and past members
    are not rostered)."""
    return (
        Membership.objects.filter(group=group, status=Membership.Status.ACTIVE)
        .select_related("user")
        .only("role", "user__display_name", "user__pronouns", "group_id")
        .order_by("role", "user__display_name", "pk")
    )


def membership_queue(*, group: Group):
    """Requests to join, oldest first."""
    return (
        Membership.objects.filter(group=group, status=Membership.Status.PENDING)
        .select_related("user")
        .order_by("requested_at", "pk")
    )


def memberships_for_lead(*, group: Group):
    """Current (active, paused) and past members, for the lead's members page."""
    return (
        Membership.objects.filter(group=group)
        .exclude(status=Membership.Status.PENDING)
        .select_related("user")
        .order_by("status", "role", "user__display_name", "pk")
    )


def acknowledgement_status(*, group: Group, version: GuidelineVersion | None):
    """Current members with whether (and when) they agreed to ``version``;
    those who have not come first."""
    agreed = Acknowledgement.objects.filter(user=OuterRef("user"), version=version)
    last_number = (
        Acknowledgement.objects.filter(user=OuterRef("user"), version__group=group)
        .order_by("-version__number")
        .values("version__number")[:1]
    )
    return (
        Membership.objects.filter(group=group, status__in=SEES_GROUP)
        .select_related("user")
        .annotate(
            agreed_at=Subquery(agreed.values("acknowledged_at")[:1]),
            last_agreed_number=Subquery(last_number),
        )
        .order_by(F("agreed_at").desc(nulls_first=True), "user__display_name", "pk")
    )


def invitations_for_group(*, group: Group):
    return group.invitations.select_related("used_by", "created_by").order_by(
        "-created_at"
    )


def invitation_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("group").filter(token=token).first()


def groups_for_coordinator():
    """Every group with its people counts (coordinators see counts, not names)."""
    return Group.objects.annotate(
        active_count=Count(
            "memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)
        ),
        pending_count=Count(
            "memberships", filter=Q(memberships__status=Membership.Status.PENDING)
        ),
        lead_count=Count(
            "memberships",
            filter=Q(
                memberships__status=Membership.Status.ACTIVE,
                memberships__role=Membership.Role.LEAD,
            ),
        ),
    ).order_by("archived_at", "name")


def guideline_diff(*, version: GuidelineVersion, previous: GuidelineVersion | None):
    """What changed between two versions, item by item, for people to read.

    Items are matched by title; an item whose explanation changed shows the
    words removed and added. Returns rows of
    ``{"status": "added"|"removed"|"changed"|"same", "title", "words"}`` where
    ``words`` is a list of ``(kind, text)`` with kind "same", "added" or "removed".
    """
    old = {
        item["title"]: item["explanation"]
        for item in (previous.items if previous else [])
    }
    new_titles = {item["title"] for item in version.items}
    rows = []
    for item in version.items:
        title, text = item["title"], item["explanation"]
        if title not in old:
            rows.append({"status": "added", "title": title, "words": [("added", text)]})
        elif old[title] != text:
            rows.append(
                {
                    "status": "changed",
                    "title": title,
                    "words": _word_diff(old[title], text),
                }
            )
        else:
            rows.append({"status": "same", "title": title, "words": [("same", text)]})
    for title, text in old.items():
        if title not in new_titles:
            rows.append(
                {"status": "removed", "title": title, "words": [("removed", text)]}
            )
    return rows


def _word_diff(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.split(), after.split()
    words = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if op == "equal":
            words.append(("same", " ".join(a[a1:a2])))
        if op in ("delete", "replace"):
            words.append(("removed", " ".join(a[a1:a2])))
        if op in ("insert", "replace"):
            words.append(("added", " ".join(b[b1:b2])))
    return words


def organisation_counts() -> dict:
    """Organisation-wide counts for the coordinator's entry page."""
    active = Q(status=Membership.Status.ACTIVE)
    people = Membership.objects.aggregate(
        active_members=Count("user", filter=active, distinct=True),
        leads=Count(
            "user", filter=active & Q(role=Membership.Role.LEAD), distinct=True
        ),
    )
    return {
        "groups": Group.objects.count(),
        **people,
        "coordinators": User.objects.filter(
            is_coordinator=True, is_active=True
        ).count(),
    }
