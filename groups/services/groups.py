from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allauth.account.models import EmailAddress

from members.models import User

from ..models import (
    RESERVED_SLUGS,
    DefaultGuidelineItem,
    Group,
    GuidelineDraftItem,
    Membership,
)
from .common import ensure_not_archived
from .guidelines import guideline_publish

GROUP_FIELDS = Group.EDITABLE_FIELDS


def _check_slug(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": f'"{slug}" is reserved; choose another.'})


def _first_lead(email: str) -> User:
    address = (
        EmailAddress.objects.select_related("user")
        .filter(email__iexact=email.strip(), verified=True, user__is_active=True)
        .first()
    )
    if address is None:
        raise ValidationError(
            {
                "lead_email": "No active account with a confirmed address matches "
                "that e-mail. Ask them to sign up first, or leave it empty."
            }
        )
    return address.user


@transaction.atomic
def group_create(*, acting_user: User, lead_email: str = "", **fields) -> Group:
    """Create a group with the organisation's default guidelines published as
    version 1, and optionally its first lead."""
    _check_slug(fields.get("slug", ""))
    group = Group(**{name: fields[name] for name in GROUP_FIELDS if name in fields})
    group.full_clean()
    lead = _first_lead(lead_email) if lead_email else None
    group.save()
    GuidelineDraftItem.objects.bulk_create(
        GuidelineDraftItem(
            group=group,
            position=item.position,
            title=item.title,
            explanation=item.explanation,
        )
        for item in DefaultGuidelineItem.objects.all()
    )
    if group.guideline_draft_items.exists():
        guideline_publish(
            group=group,
            change_note="First version, from the organisation's default guidelines.",
            acting_user=acting_user,
            acknowledge=False,
        )
    if lead is not None:
        Membership.objects.create(
            user=lead,
            group=group,
            role=Membership.Role.LEAD,
            status=Membership.Status.ACTIVE,
        )
    return group


@transaction.atomic
def group_update(*, group: Group, acting_user: User, **fields) -> Group:
    ensure_not_archived(group)
    if "slug" in fields:
        _check_slug(fields["slug"])
    for name in GROUP_FIELDS:
        if name in fields:
            setattr(group, name, fields[name])
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_archive(*, group: Group, acting_user: User) -> Group:
    """Make a group read-only. Its history (members, guidelines, agreements)
    stays; nobody can join, and nothing in it can change."""
    ensure_not_archived(group)
    group.archived_at = timezone.now()
    group.save(update_fields=["archived_at"])
    return group


@transaction.atomic
def group_unarchive(*, group: Group, acting_user: User) -> Group:
    group.archived_at = None
    group.save(update_fields=["archived_at"])
    return group
