from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.forms import add_service_errors, posted
from members.permissions import coordinator_required

from . import permissions, selectors, services
from .forms import (
    DecisionForm,
    GroupCreateForm,
    GroupForm,
    GuidelineFormSet,
    InvitationForm,
    JoinRequestForm,
    LeaveForm,
    PublishForm,
    RemoveForm,
    RoleForm,
    formset_items,
)
from .models import DefaultGuidelineItem, Group, Membership


def _guideline_formset(request, items):
    """The guideline editor (a group's draft or the defaults), filled from
    ``items`` on a GET and from the form on a POST."""
    initial = [
        {"title": item.title, "explanation": item.explanation, "ORDER": item.position}
        for item in items
    ]
    return GuidelineFormSet(posted(request), initial=initial, prefix="items")


def _say(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- Members ---------------------------------------------------------------


@login_required
def directory(request):
    return render(
        request,
        "groups/group_directory.html",
        {
            "groups": selectors.directory_groups(user=request.user),
            "pending": selectors.pending_requests_for_user(user=request.user),
        },
    )


def _open_group_or_404(slug: str) -> Group:
    return get_object_or_404(
        Group, slug=slug, join_policy=Group.JoinPolicy.OPEN, archived_at__isnull=True
    )


@login_required
def join_request(request, slug):
    group = _open_group_or_404(slug)
    mine = Membership.objects.filter(user=request.user, group=group).first()
    form = JoinRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_request(
                user=request.user, group=group, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if selectors.places_left(group=group) <= 0:
                messages.info(
                    request,
                    f"{group.name} is full right now: your request is in the queue "
                    "and a lead will answer when a place frees up.",
                )
            else:
                messages.success(
                    request, f"You asked to join {group.name}. A lead will answer soon."
                )
            return redirect("groups:directory")
    return render(
        request,
        "groups/group_join.html",
        {"group": group, "form": form, "mine": mine},
    )


@require_POST
@login_required
def withdraw_request(request, slug):
    membership = get_object_or_404(
        Membership,
        user=request.user,
        group__slug=slug,
        status=Membership.Status.PENDING,
    )
    services.membership_withdraw_request(
        membership=membership, acting_user=request.user
    )
    messages.success(request, "Your request is withdrawn.")
    return redirect("groups:directory")


@login_required
def group_detail(request, slug):
    group, membership = permissions.group_get_for_user(user=request.user, slug=slug)
    version = selectors.current_version(group=group)
    agreed = permissions.has_acknowledged_current(request.user, group)
    context = {
        "group": group,
        "membership": membership,
        "version": version,
        "agreed": agreed,
        "is_lead": membership.is_lead and membership.status == Membership.Status.ACTIVE,
    }
    if agreed:
        context["roster"] = selectors.group_roster(group=group)
    elif version is not None:
        # Asked again after a change: show what changed since they last agreed.
        context["agreed_before"] = request.user.acknowledgements.filter(
            version__group=group
        ).exists()
    return render(request, "groups/group_detail.html", context)


@require_POST
@login_required
def acknowledge(request, slug):
    group, _ = permissions.group_get_for_user(user=request.user, slug=slug)
    try:
        services.guideline_acknowledge(user=request.user, group=group)
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, "Thank you. You agreed to the group's guidelines.")
    return redirect(group)


@login_required
def guideline_history(request, slug):
    group, membership = permissions.group_get_for_user(user=request.user, slug=slug)
    return render(
        request,
        "groups/guideline_history.html",
        {
            "group": group,
            "membership": membership,
            "versions": group.guideline_versions.select_related(
                "published_by"
            ).order_by("-number"),
        },
    )


@login_required
def guideline_version(request, slug, number):
    group, membership = permissions.group_get_for_user(user=request.user, slug=slug)
    version = get_object_or_404(group.guideline_versions, number=number)
    previous = group.guideline_versions.filter(number=number - 1).first()
    return render(
        request,
        "groups/guideline_version.html",
        {
            "group": group,
            "membership": membership,
            "version": version,
            "previous": previous,
            "diff": selectors.guideline_diff(version=version, previous=previous),
        },
    )


@login_required
def leave(request, slug):
    group, membership = permissions.group_get_for_user(user=request.user, slug=slug)
    others = selectors.group_roster(group=group).exclude(pk=membership.pk)
    needs_successor = (
        membership.is_lead
        and not others.filter(role=Membership.Role.LEAD).exists()
        and membership.status == Membership.Status.ACTIVE
    )
    form = LeaveForm(
        posted(request), successors=others, needs_successor=needs_successor
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_leave(
                membership=membership,
                acting_user=request.user,
                successor=form.cleaned_data.get("successor"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have left {group.name}. Take care.")
            return redirect("home")
    return render(
        request,
        "groups/membership_leave.html",
        {
            "group": group,
            "membership": membership,
            "form": form,
            "needs_successor": needs_successor,
        },
    )


@require_POST
@login_required
def pause(request, slug):
    group, membership = permissions.group_get_for_user(user=request.user, slug=slug)
    try:
        services.membership_pause(membership=membership, acting_user=request.user)
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(
            request, "You are taking a break. Come back whenever you like."
        )
    return redirect(group)


@require_POST
@login_required
def resume(request, slug):
    group, membership = permissions.group_get_for_user(user=request.user, slug=slug)
    try:
        services.membership_resume(membership=membership, acting_user=request.user)
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, "Welcome back.")
    return redirect(group)


@login_required
def invitation(request, token):
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None:
        raise Http404
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            _say(request, error)
        else:
            messages.success(request, f"Welcome to {invitation.group.name}.")
            return redirect(invitation.group)
        invitation.refresh_from_db()
    return render(
        request,
        "groups/invitation_accept.html",
        {
            "invitation": invitation,
            "problem": services.membership.INVITATION_PROBLEMS.get(invitation.state),
        },
    )


# --- Leads -------------------------------------------------------------------


@login_required
def members_manage(request, slug):
    group, membership = permissions.group_get_for_lead(user=request.user, slug=slug)
    return render(
        request,
        "groups/membership_manage.html",
        {
            "group": group,
            "membership": membership,
            "queue": selectors.membership_queue(group=group),
            "memberships": selectors.memberships_for_lead(group=group),
            "decision_form": DecisionForm(),
            "places_left": selectors.places_left(group=group),
        },
    )


def _lead_action(request, slug, pk) -> Membership:
    group, _ = permissions.group_get_for_lead(user=request.user, slug=slug)
    return permissions.membership_in_group(group=group, pk=pk)


@require_POST
@login_required
def member_decide(request, slug, pk, decision):
    membership = _lead_action(request, slug, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _say(request, ValidationError(form.errors["message"]))
        return redirect("groups:members", slug=slug)
    service = (
        services.membership_approve
        if decision == "approve"
        else services.membership_decline
    )
    try:
        service(
            membership=membership,
            acting_user=request.user,
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        _say(request, error)
    else:
        verb = "is now a member" if decision == "approve" else "was declined"
        messages.success(request, f"{membership.user.display_name} {verb}.")
    return redirect("groups:members", slug=slug)


@require_POST
@login_required
def member_role(request, slug, pk):
    membership = _lead_action(request, slug, pk)
    form = RoleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Choose member or lead.")
        services.membership_set_role(
            membership=membership,
            role=form.cleaned_data["role"],
            acting_user=request.user,
        )
    except ValidationError as error:
        _say(request, error)
    else:
        role = membership.get_role_display().lower()
        messages.success(request, f"{membership.user.display_name} is now a {role}.")
    return redirect("groups:members", slug=slug)


@require_POST
@login_required
def member_pause(request, slug, pk):
    membership = _lead_action(request, slug, pk)
    try:
        services.membership_pause(membership=membership, acting_user=request.user)
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, f"{membership.user.display_name} is paused.")
    return redirect("groups:members", slug=slug)


@login_required
def member_remove(request, slug, pk):
    membership = _lead_action(request, slug, pk)
    form = RemoveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_remove(
                membership=membership,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.user.display_name} was removed.")
            return redirect("groups:members", slug=slug)
    return render(
        request,
        "groups/membership_remove.html",
        {"group": membership.group, "membership": membership, "form": form},
    )


@login_required
def invitations(request, slug):
    group, membership = permissions.group_get_for_lead(user=request.user, slug=slug)
    form = InvitationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                group=group,
                acting_user=request.user,
                note=form.cleaned_data["note"],
                valid_for=timedelta(days=form.cleaned_data["valid_days"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "The invitation link is ready. It works once: send it to one person.",
            )
            return redirect(f"{request.path}#invitation-{invitation.pk}")
    return render(
        request,
        "groups/invitation_list.html",
        {
            "group": group,
            "membership": membership,
            "form": form,
            "invitations": selectors.invitations_for_group(group=group),
        },
    )


@require_POST
@login_required
def invitation_revoke(request, slug, pk):
    group, _ = permissions.group_get_for_lead(user=request.user, slug=slug)
    invitation = get_object_or_404(group.invitations, pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, acting_user=request.user)
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, "The invitation link no longer works.")
    return redirect("groups:invitations", slug=slug)


@login_required
def guidelines_edit(request, slug):
    group, membership = permissions.group_get_for_lead(user=request.user, slug=slug)
    formset = _guideline_formset(request, group.guideline_draft_items.all())
    publish_form = PublishForm(posted(request))
    if request.method == "POST" and formset.is_valid() and publish_form.is_valid():
        items = formset_items(formset)
        try:
            if "publish" in request.POST:
                version = services.guideline_publish(
                    group=group,
                    items=items,
                    change_note=publish_form.cleaned_data["change_note"],
                    acting_user=request.user,
                )
            else:
                services.guideline_draft_save(
                    group=group, items=items, acting_user=request.user
                )
        except ValidationError as error:
            add_service_errors(publish_form, error)
        else:
            if "publish" in request.POST:
                messages.success(
                    request,
                    f"Version {version.number} is published. Every member will be "
                    "asked to agree to it.",
                )
                return redirect(
                    "groups:guideline_version", slug=slug, number=version.number
                )
            messages.success(request, "The draft is saved.")
            return redirect("groups:guidelines_edit", slug=slug)
    return render(
        request,
        "groups/guideline_edit.html",
        {
            "group": group,
            "membership": membership,
            "formset": formset,
            "publish_form": publish_form,
            "version": selectors.current_version(group=group),
        },
    )


@login_required
def agreements(request, slug):
    group, membership = permissions.group_get_for_lead(user=request.user, slug=slug)
    version = selectors.current_version(group=group)
    return render(
        request,
        "groups/acknowledgement_status.html",
        {
            "group": group,
            "membership": membership,
            "version": version,
            "rows": selectors.acknowledgement_status(group=group, version=version),
        },
    )


# --- Coordinators ----------------------------------------------------------------


@coordinator_required
def manage_groups(request):
    return render(
        request,
        "groups/group_manage.html",
        {"groups": selectors.groups_for_coordinator()},
    )


@coordinator_required
def group_create(request):
    form = GroupCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{group.name} is created with the default guidelines as version 1.",
            )
            return redirect("groups:manage")
    return render(request, "groups/group_form.html", {"form": form, "creating": True})


@coordinator_required
def group_settings(request, slug):
    group = get_object_or_404(Group, slug=slug)
    form = GroupForm(posted(request), instance=group)
    if group.is_archived:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(
                group=group, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{group.name} is saved.")
            return redirect("groups:manage")
    return render(
        request,
        "groups/group_form.html",
        {"form": form, "group": group, "creating": False},
    )


@require_POST
@coordinator_required
def group_archive(request, slug):
    group = get_object_or_404(Group, slug=slug)
    service = services.group_unarchive if group.is_archived else services.group_archive
    try:
        service(group=group, acting_user=request.user)
    except ValidationError as error:
        _say(request, error)
    else:
        state = "archived: read-only" if group.is_archived else "active again"
        messages.success(request, f"{group.name} is {state}.")
    return redirect("groups:manage")


@coordinator_required
def default_guidelines(request):
    formset = _guideline_formset(request, DefaultGuidelineItem.objects.all())
    error = None
    if request.method == "POST" and formset.is_valid():
        try:
            services.default_guidelines_save(
                items=formset_items(formset), acting_user=request.user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, "The default guidelines are saved. New groups start from them."
            )
            return redirect("groups:default_guidelines")
    return render(
        request, "groups/default_guidelines.html", {"formset": formset, "error": error}
    )
