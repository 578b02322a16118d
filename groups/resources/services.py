"""Every write to the resource library and the crisis lines.

Uploaded files are written to private storage only after everything else has
been checked, and removed again if the row cannot be saved: nothing is ever
half-saved (a file without its row, or a row without its file).
"""

import re
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from groups.models import CrisisResource, Group, Resource
from members.models import User

from . import permissions
from .validation import (
    extension_of,
    normalise_tags,
    normalise_web_url,
    sanitise_file_name,
    validate_upload,
)


def _ensure_writable(group: Group | None) -> None:
    if group is not None and group.is_archived:
        raise ValidationError(
            f"{group.name} is archived: its library can still be read, but "
            "nothing can be suggested, published or removed."
        )


def _clean_fields(resource: Resource, *, skip: Iterable[str]) -> None:
    """The model's own field checks (lengths, choices), with the messages
    keyed by field so forms can show them in place. (Model.clean's link-or-file
    rule is checked by the service itself, before the file is stored.)"""
    resource.clean_fields(exclude=["file", "group", "added_by", *skip])


@transaction.atomic
def resource_create(
    *,
    group: Group | None,
    acting_user: User,
    title: str,
    kind: str,
    description: str = "",
    url: str = "",
    upload: UploadedFile | None = None,
    tags: Iterable[str] | str = (),
    publish: bool = False,
) -> Resource:
    """Add a link or a file to a group's library (or the organisation's, with
    ``group=None``). Members suggest (``publish=False``); reviewers (the
    group's leads, or coordinators for the organisation) may publish at once.
    """
    if publish:
        if not permissions.can_review_resources(acting_user, group):
            raise PermissionDenied
    elif not permissions.can_suggest_resource(acting_user, group):
        raise PermissionDenied
    _ensure_writable(group)

    errors: dict[str, list] = {}
    title = " ".join(title.split())
    if not title:
        errors["title"] = [ValidationError("Give the resource a title.")]
    description = description.strip()
    # TextField's max_length is enforced by forms only, not by the model.
    limit = Resource._meta.get_field("description").max_length
    if len(description) > limit:
        errors["description"] = [
            ValidationError(
                f"Ensure this value has at most {limit} characters "
                f"(it has {len(description)})."
            )
        ]
    try:
        url = normalise_web_url(url)
    except ValidationError as error:
        errors.setdefault("url", []).extend(error.error_list)
    try:
        tags = normalise_tags(tags)
    except ValidationError as error:
        errors.setdefault("tags", []).extend(error.error_list)
    if url and upload is not None:
        errors.setdefault("file", []).append(
            ValidationError("Give either a link or a file, not both.")
        )
    elif not url and upload is None and "url" not in errors:
        errors.setdefault("url", []).append(
            ValidationError("Give a link, or choose a file to upload.")
        )
    file_type = None
    if upload is not None and "file" not in errors:
        try:
            file_type = validate_upload(upload)
        except ValidationError as error:
            errors.setdefault("file", []).extend(error.error_list)

    now = timezone.now()
    resource = Resource(
        group=group,
        title=title,
        description=description if "description" not in errors else "",
        kind=kind,
        url=url if "url" not in errors else "",
        tags=tags if "tags" not in errors else [],
        status=Resource.Status.PUBLISHED if publish else Resource.Status.SUGGESTED,
        added_by=acting_user,
        created_at=now,
        published_at=now if publish else None,
    )
    if file_type is not None:
        # validate_upload made sure the extension is one of the type's own.
        resource.file_name = sanitise_file_name(
            upload.name, extension=extension_of(upload.name)
        )
        resource.content_type = file_type.content_type
        resource.size = upload.size
    try:
        _clean_fields(resource, skip=errors)
    except ValidationError as error:
        for field, field_errors in error.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)

    if file_type is None:
        resource.save()
        return resource
    # Only now does anything touch the disk. The stored name is random
    # (resource_upload_to); if the row can't be saved the file goes too.
    upload.seek(0)
    try:
        resource.file.save(resource.file_name, upload, save=False)
        resource.save()
    except BaseException:
        if resource.file.name:
            resource.file.storage.delete(resource.file.name)
        raise
    return resource


@transaction.atomic
def resource_publish(*, resource: Resource, acting_user: User) -> Resource:
    """Publish a suggestion: from now on everyone who sees the library sees it."""
    if not permissions.can_review_resources(acting_user, resource.group):
        raise PermissionDenied
    _ensure_writable(resource.group)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.status == Resource.Status.PUBLISHED:
        raise ValidationError(f'"{resource.title}" is already published.')
    resource.status = Resource.Status.PUBLISHED
    resource.published_at = timezone.now()
    resource.save(update_fields=["status", "published_at"])
    return resource


@transaction.atomic
def resource_remove(*, resource: Resource, acting_user: User) -> None:
    """Reject a suggestion, or take a published resource out of the library.
    The row and its stored file both go; the file only once the deletion is
    committed, so a rolled-back removal keeps both."""
    if not permissions.can_review_resources(acting_user, resource.group):
        raise PermissionDenied
    _ensure_writable(resource.group)
    stored_name = resource.file.name
    storage = resource.file.storage
    Resource.objects.filter(pk=resource.pk).delete()
    if stored_name:
        transaction.on_commit(partial(storage.delete, stored_name))


# --- Crisis lines -------------------------------------------------------------


# Shown as a tel: link, so only what a phone can dial.
_PHONE = re.compile(r"\+?[0-9][0-9 ()\-]*")


def _ensure_coordinator(user: User) -> None:
    if not permissions.can_manage_crisis_resources(user):
        raise PermissionDenied


def _crisis_clean(line: CrisisResource) -> None:
    errors: dict[str, list] = {}
    try:
        line.url = normalise_web_url(line.url)
    except ValidationError as error:
        errors["url"] = error.error_list
    if line.phone and not _PHONE.fullmatch(line.phone):
        errors["phone"] = [
            ValidationError(
                "Use digits, spaces, brackets, hyphens and a leading + only, "
                "e.g. +44 116 123."
            )
        ]
    if not (line.phone or line.text_line or line.url):
        errors.setdefault("phone", []).append(
            ValidationError(
                "Give at least one way to reach this line: a phone number, a "
                "text line or a web address."
            )
        )
    try:
        line.full_clean(exclude=["url", *errors])
    except ValidationError as error:
        for field, field_errors in error.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)


def _next_position(language: str) -> int:
    last = CrisisResource.objects.filter(language=language).aggregate(
        last=Max("position")
    )["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def crisis_resource_create(
    *,
    acting_user: User,
    language: str,
    name: str,
    phone: str = "",
    text_line: str = "",
    url: str = "",
    hours: str = "",
) -> CrisisResource:
    """Add a crisis line for one language, after the ones already there."""
    _ensure_coordinator(acting_user)
    line = CrisisResource(
        language=language,
        name=name.strip(),
        phone=phone.strip(),
        text_line=text_line.strip(),
        url=url,
        hours=hours.strip(),
    )
    _crisis_clean(line)
    line.position = _next_position(language)
    line.save()
    return line


@transaction.atomic
def crisis_resource_update(
    *,
    line: CrisisResource,
    acting_user: User,
    language: str,
    name: str,
    phone: str = "",
    text_line: str = "",
    url: str = "",
    hours: str = "",
) -> CrisisResource:
    """Change a crisis line. Moved to another language, it goes last there."""
    _ensure_coordinator(acting_user)
    line = CrisisResource.objects.select_for_update().get(pk=line.pk)
    moved = language != line.language
    line.language = language
    line.name = name.strip()
    line.phone = phone.strip()
    line.text_line = text_line.strip()
    line.url = url
    line.hours = hours.strip()
    _crisis_clean(line)
    if moved:
        line.position = _next_position(language)
    line.save()
    return line


@transaction.atomic
def crisis_resource_delete(*, line: CrisisResource, acting_user: User) -> None:
    _ensure_coordinator(acting_user)
    CrisisResource.objects.filter(pk=line.pk).delete()


@transaction.atomic
def crisis_resource_move(
    *, line: CrisisResource, direction: str, acting_user: User
) -> None:
    """Move a line one place up or down among its language's lines. Positions
    are renumbered 0, 1, 2… on the way, so gaps and ties never build up."""
    _ensure_coordinator(acting_user)
    if direction not in ("up", "down"):
        raise ValidationError("Move a line up or down.")
    lines = list(
        CrisisResource.objects.select_for_update()
        .filter(language=line.language)
        .order_by("position", "name", "pk")
    )
    index = next(i for i, other in enumerate(lines) if other.pk == line.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(lines):
        lines[index], lines[target] = lines[target], lines[index]
    changed = []
    for position, other in enumerate(lines):
        if other.position != position:
            other.position = position
            changed.append(other)
    CrisisResource.objects.bulk_update(changed, ["position"])
