"""Reads of the resource library and the crisis lines, shared by views and
the help page. Library querysets take the library's group (None for the
organisation-wide library); callers have already checked who may see it."""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import translation

from groups.models import CrisisResource, Group, Resource
from members.models import User

from .validation import MAX_TAGS


def _library(group: Group | None) -> QuerySet[Resource]:
    # group=None filters on "group IS NULL": the organisation-wide library.
    return Resource.objects.filter(group=group).select_related("added_by")


def _has_tag(tag: str) -> Q:
    # JSON "contains" is not available on SQLite, so look at each position:
    # services keep every list to MAX_TAGS tags. One query on both databases.
    return reduce(or_, (Q(**{f"tags__{i}": tag}) for i in range(MAX_TAGS)))


def resources_published(
    *, group: Group | None, kind: str = "", tag: str = ""
) -> QuerySet[Resource]:
    """A library's published resources, newest first, optionally of one kind
    and with one tag."""
    resources = _library(group).filter(status=Resource.Status.PUBLISHED)
    if kind:
        resources = resources.filter(kind=kind)
    if tag:
        resources = resources.filter(_has_tag(tag))
    return resources.order_by("-published_at", "-pk")


def resource_tags(*, group: Group | None) -> list[str]:
    """Every tag used in a library's published resources, sorted."""
    lists = (
        Resource.objects.filter(group=group, status=Resource.Status.PUBLISHED)
        .order_by()
        .values_list("tags", flat=True)
    )
    return sorted({tag for tags in lists for tag in tags or ()})


def resources_suggested(*, group: Group | None) -> QuerySet[Resource]:
    """Suggestions waiting for a reviewer, oldest first."""
    return (
        _library(group)
        .filter(status=Resource.Status.SUGGESTED)
        .order_by("created_at", "pk")
    )


def resources_suggested_by(*, user: User, group: Group | None) -> QuerySet[Resource]:
    """The user's own suggestions still waiting for a reviewer."""
    return resources_suggested(group=group).filter(added_by=user)


def crisis_resources_for_language(
    *, language: str | None = None
) -> list[CrisisResource]:
    """The crisis lines for a language (default: the active one), in their
    order; English ones when the language has none. One query."""
    language = (language or translation.get_language() or "en").split("-")[0].lower()
    lines = list(
        CrisisResource.objects.filter(language__in={language, "en"}).order_by(
            "position", "name", "pk"
        )
    )
    wanted = [line for line in lines if line.language == language]
    return wanted or [line for line in lines if line.language == "en"]


def crisis_resources_by_language() -> list[tuple[str, str, list[CrisisResource]]]:
    """Every language the site speaks, with its crisis lines in order:
    ``[(code, name, lines), ...]``. One query."""
    by_language: dict[str, list[CrisisResource]] = {}
    for line in CrisisResource.objects.order_by("language", "position", "name", "pk"):
        by_language.setdefault(line.language, []).append(line)
    return [
        (code, name, by_language.get(code, []))
        for code, name in settings.CONTENT_LANGUAGES
    ]
