from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import User

from ..models import (
    Acknowledgement,
    DefaultGuidelineItem,
    Group,
    GuidelineDraftItem,
    GuidelineVersion,
)
from .common import ensure_not_archived, lock_group


def _clean_items(items: list[dict]) -> list[dict]:
    cleaned = []
    for item in items:
        title = (item.get("title") or "").strip()
        explanation = (item.get("explanation") or "").strip()
        if title or explanation:
            if not title or not explanation:
                raise ValidationError(
                    "Each guideline needs both a short title and an explanation."
                )
            cleaned.append({"title": title, "explanation": explanation})
    return cleaned


@transaction.atomic
def guideline_draft_save(*, group: Group, items: list[dict], acting_user: User) -> None:
    """Replace the group's working draft (published versions are untouched)."""
    ensure_not_archived(group)
    group = lock_group(group)
    cleaned = _clean_items(items)
    group.guideline_draft_items.all().delete()
    GuidelineDraftItem.objects.bulk_create(
        GuidelineDraftItem(group=group, position=i, **item)
        for i, item in enumerate(cleaned, start=1)
    )


@transaction.atomic
def guideline_publish(
    *,
    group: Group,
    change_note: str,
    acting_user: User,
    items: list[dict] | None = None,
    acknowledge: bool = True,
) -> GuidelineVersion:
    """Publish the draft (replaced by ``items`` when given) as the next
    version. All or nothing: a refused publish leaves the draft as it was.
    Every member is then asked to agree again; the lead who publishes agrees
    by publishing."""
    ensure_not_archived(group)
    group = lock_group(group)
    if items is not None:
        guideline_draft_save(group=group, items=items, acting_user=acting_user)
    items = [
        {"title": item.title, "explanation": item.explanation}
        for item in group.guideline_draft_items.all()
    ]
    if not items:
        raise ValidationError(
            "The guidelines are empty: add at least one before publishing."
        )
    change_note = change_note.strip()
    if not change_note:
        raise ValidationError({"change_note": "Say in a sentence what changed."})
    current = group.guideline_versions.order_by("-number").first()
    if current is not None and current.items == items:
        raise ValidationError(
            "The draft is the same as the current version: nothing to publish."
        )
    version = GuidelineVersion.objects.create(
        group=group,
        number=(current.number + 1) if current else 1,
        items=items,
        change_note=change_note,
        published_by=acting_user,
    )
    if acknowledge and acting_user is not None:
        Acknowledgement.objects.create(user=acting_user, version=version)
    return version


def guideline_acknowledge(*, user: User, group: Group) -> Acknowledgement:
    """Record "I agree" to the group's current version (once; again is a no-op)."""
    version = group.guideline_versions.order_by("-number").first()
    if version is None:
        raise ValidationError("This group has no published guidelines yet.")
    try:
        with transaction.atomic():
            acknowledgement, _ = Acknowledgement.objects.get_or_create(
                user=user, version=version
            )
    except IntegrityError:  # a double click racing itself
        acknowledgement = Acknowledgement.objects.get(user=user, version=version)
    return acknowledgement


@transaction.atomic
def default_guidelines_save(*, items: list[dict], acting_user: User) -> None:
    """Replace the organisation's default set. Existing groups keep theirs."""
    cleaned = _clean_items(items)
    if not cleaned:
        raise ValidationError("Keep at least one default guideline.")
    DefaultGuidelineItem.objects.all().delete()
    DefaultGuidelineItem.objects.bulk_create(
        DefaultGuidelineItem(position=i, **item)
        for i, item in enumerate(cleaned, start=1)
    )


def default_guidelines_ensure() -> None:
    """Restore the shipped defaults (guidelines, crisis lines) where there are
    none at all: a new or emptied database. Never touches edited ones."""
    from ..defaults import create_defaults
    from ..models import CrisisResource

    create_defaults(DefaultGuidelineItem, CrisisResource)
