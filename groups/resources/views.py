"""The resource library (a group's and the organisation's) and the crisis
lines. Each library view serves both: no ``slug`` is the organisation-wide
library under /groups/library/, a slug is that group's under
/groups/<slug>/resources/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

from config.forms import add_service_errors
from groups.models import Resource
from members.permissions import coordinator_required

from . import permissions, selectors, services
from .forms import CrisisResourceForm, LibraryFilterForm, ResourceForm
from .permissions import Library

RESOURCES_PER_PAGE = 25


def _url(library: Library, name: str, **kwargs) -> str:
    # Each library URL exists twice: "library_<name>" for the organisation,
    # "resource_<name>" (with the group's slug) for a group.
    if library.group is None:
        return reverse(f"groups:library_{name}", kwargs=kwargs)
    return reverse(
        f"groups:resource_{name}", kwargs={"slug": library.group.slug, **kwargs}
    )


def _library_urls(library: Library) -> dict[str, str]:
    return {name: _url(library, name) for name in ("list", "suggest", "add", "review")}


def _with_urls(library: Library, resources) -> list[Resource]:
    """The resources, each carrying the URLs its buttons and links need."""
    resources = list(resources)
    for resource in resources:
        if resource.file:
            resource.file_url = _url(library, "file", pk=resource.pk)
        resource.publish_url = _url(library, "publish", pk=resource.pk)
        resource.remove_url = _url(library, "remove", pk=resource.pk)
    return resources


def _context(library: Library, **extra) -> dict:
    return {
        "library": library,
        "group": library.group,
        "urls": _library_urls(library),
        # Who suggested an organisation-wide resource stays between them and
        # the coordinators; a group's members already know each other.
        "show_added_by": library.group is not None,
        **extra,
    }


def _read_only(request, library: Library):
    messages.error(
        request,
        f"{library.group.name} is archived: its library can still be read, but "
        "nothing can be suggested, published or removed.",
    )
    return redirect(_url(library, "list"))


@login_required
def library(request, slug=None):
    library = permissions.library_get_for_user(user=request.user, slug=slug)
    filter_form = LibraryFilterForm(
        request.GET or None, tags=selectors.resource_tags(group=library.group)
    )
    filters = filter_form.filters()
    page = Paginator(
        selectors.resources_published(group=library.group, **filters),
        RESOURCES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    mine = waiting = None
    if library.is_reviewer:
        waiting = selectors.resources_suggested(group=library.group).count()
    elif library.is_contributor:
        mine = _with_urls(
            library,
            selectors.resources_suggested_by(user=request.user, group=library.group),
        )
    return render(
        request,
        "groups/resources/resource_list.html",
        _context(
            library,
            filter_form=filter_form,
            filtered=any(filters.values()),
            page=page,
            resources=_with_urls(library, page.object_list),
            mine=mine,
            waiting=waiting,
        ),
    )


def _resource_form(request, library: Library, *, publish: bool):
    if library.read_only:
        return _read_only(request, library)
    form = ResourceForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        submit_label="Publish" if publish else "Suggest",
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource = services.resource_create(
                group=library.group,
                acting_user=request.user,
                title=data["title"],
                description=data["description"],
                kind=data["kind"],
                url=data["url"],
                upload=data["file"],
                tags=data["tags"],
                publish=publish,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if publish:
                messages.success(request, f'"{resource.title}" is published.')
            else:
                reviewers = (
                    "the coordinators publish"
                    if library.group is None
                    else "a lead publishes"
                )
                messages.success(
                    request,
                    f'Thank you for suggesting "{resource.title}". It appears in '
                    f"the library once {reviewers} it.",
                )
            return redirect(_url(library, "list"))
    return render(
        request,
        "groups/resources/resource_form.html",
        _context(library, form=form, publish=publish),
    )


@login_required
def resource_suggest(request, slug=None):
    library = permissions.library_get_for_user(user=request.user, slug=slug)
    if not library.is_contributor:
        raise PermissionDenied
    return _resource_form(request, library, publish=False)


@permissions.library_reviewer_required
def resource_add(request, slug=None):
    library = permissions.library_get_for_reviewer(user=request.user, slug=slug)
    return _resource_form(request, library, publish=True)


@permissions.library_reviewer_required
def resource_review(request, slug=None):
    library = permissions.library_get_for_reviewer(user=request.user, slug=slug)
    suggestions = _with_urls(
        library, selectors.resources_suggested(group=library.group)
    )
    return render(
        request,
        "groups/resources/resource_review.html",
        _context(library, suggestions=suggestions, show_added_by=True),
    )


@require_POST
@permissions.library_reviewer_required
def resource_publish(request, pk, slug=None):
    library = permissions.library_get_for_user(user=request.user, slug=slug)
    resource = permissions.resource_get_for_review(
        user=request.user, library=library, pk=pk
    )
    if library.read_only:
        return _read_only(request, library)
    try:
        services.resource_publish(resource=resource, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f'"{resource.title}" is published.')
    return redirect(_url(library, "review"))


@require_POST
@permissions.library_reviewer_required
def resource_remove(request, pk, slug=None):
    library = permissions.library_get_for_user(user=request.user, slug=slug)
    resource = permissions.resource_get_for_review(
        user=request.user, library=library, pk=pk
    )
    if library.read_only:
        return _read_only(request, library)
    was_suggested = resource.status == Resource.Status.SUGGESTED
    services.resource_remove(resource=resource, acting_user=request.user)
    if was_suggested:
        messages.success(request, f'The suggestion "{resource.title}" is rejected.')
        return redirect(_url(library, "review"))
    messages.success(request, f'"{resource.title}" is removed from the library.')
    return redirect(_url(library, "list"))


@login_required
def resource_file(request, pk, slug=None):
    """The uploaded file, to those who may see the resource. Always a
    download (never shown inline), with the type we detected from its
    content, and kept out of every shared cache."""
    library = permissions.library_get_for_user(user=request.user, slug=slug)
    resource = permissions.resource_get_for_user(
        user=request.user, library=library, pk=pk
    )
    if not resource.file:
        raise Http404
    try:
        handle = resource.file.storage.open(resource.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=resource.file_name,
        content_type=resource.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Crisis lines -------------------------------------------------------------


@coordinator_required
def crisis_list(request):
    return render(
        request,
        "groups/resources/crisis_resource_list.html",
        {"languages": selectors.crisis_resources_by_language()},
    )


def _crisis_form(request, form, save, *, success: str):
    if request.method == "POST" and form.is_valid():
        try:
            line = save(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success.format(name=line.name))
            return redirect("groups:crisis")
    return render(request, "groups/resources/crisis_resource_form.html", {"form": form})


@coordinator_required
def crisis_add(request):
    language = request.GET.get("language", "en")
    form = CrisisResourceForm(
        request.POST if request.method == "POST" else None,
        initial={"language": language},
        submit_label="Add crisis line",
    )

    def save(**data):
        return services.crisis_resource_create(acting_user=request.user, **data)

    return _crisis_form(request, form, save, success="{name} is added.")


@coordinator_required
def crisis_edit(request, pk):
    line = permissions.crisis_resource_get_for_user(user=request.user, pk=pk)
    form = CrisisResourceForm(
        request.POST if request.method == "POST" else None,
        instance=line,
        submit_label="Save changes",
    )

    def save(**data):
        return services.crisis_resource_update(
            line=line, acting_user=request.user, **data
        )

    return _crisis_form(request, form, save, success="{name} is saved.")


@require_POST
@coordinator_required
def crisis_delete(request, pk):
    line = permissions.crisis_resource_get_for_user(user=request.user, pk=pk)
    services.crisis_resource_delete(line=line, acting_user=request.user)
    messages.success(request, f"{line.name} is deleted.")
    return redirect("groups:crisis")


@require_POST
@coordinator_required
def crisis_move(request, pk):
    line = permissions.crisis_resource_get_for_user(user=request.user, pk=pk)
    try:
        services.crisis_resource_move(
            line=line,
            direction=request.POST.get("direction", ""),
            acting_user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{line.name} is moved.")
    return redirect("groups:crisis")
