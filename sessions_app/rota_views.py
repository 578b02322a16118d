"""The rota pages: thin, one service call per POST."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from config.forms import add_service_errors, posted
from groups import permissions as group_permissions

from . import permissions, rota_permissions, rota_selectors, rota_services
from .rota_forms import (
    AssignForm,
    BlockoutForm,
    ParticipationForm,
    PreferenceForm,
    SwapForm,
)


@login_required
def rota(request, slug):
    group, membership = permissions.group_for_meetings(user=request.user, slug=slug)
    return render(
        request,
        "sessions_app/rota_overview.html",
        {
            "group": group,
            "membership": membership,
            "overview": rota_selectors.rota_overview(group=group),
            "can_manage": permissions.can_manage_meetings(membership),
        },
    )


def _my_rota_page(request, group, membership, **forms):
    preference = rota_selectors.my_rota(membership=membership)
    current = preference["preference"]
    forms.setdefault(
        "participation_form",
        ParticipationForm(initial={"takes_part": membership.takes_part_in_rota}),
    )
    forms.setdefault("blockout_form", BlockoutForm())
    forms.setdefault(
        "preference_form",
        PreferenceForm(
            initial={
                "max_times": current.max_times if current else None,
                "per_weeks": current.per_weeks if current else 4,
            }
        ),
    )
    for name, target in (
        ("participation_form", "rota_participation"),
        ("blockout_form", "blockout_add"),
        ("preference_form", "preference_set"),
    ):
        forms[name].helper.form_action = reverse(
            f"sessions_app:{target}", kwargs={"slug": group.slug}
        )
    return render(
        request,
        "sessions_app/rota_me.html",
        {
            "group": group,
            "membership": membership,
            "blockouts": preference["blockouts"],
            "eligible": rota_selectors.is_eligible(membership),
            "offers": rota_selectors.swaps_offered_to(membership=membership),
            **forms,
        },
    )


@login_required
def rota_me(request, slug):
    group, membership = permissions.group_for_meetings(user=request.user, slug=slug)
    return _my_rota_page(request, group, membership)


def _my_form_post(request, slug, form_class, name, call, done):
    group, membership = permissions.group_for_meetings(user=request.user, slug=slug)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(membership, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("sessions_app:rota_me", slug=slug)
    return _my_rota_page(request, group, membership, **{name: form})


@require_POST
@login_required
def rota_participation(request, slug):
    return _my_form_post(
        request,
        slug,
        ParticipationForm,
        "participation_form",
        lambda membership, data: rota_services.rota_participation_set(
            membership=membership,
            takes_part=data["takes_part"],
            acting_user=request.user,
        ),
        "Your rota setting is saved.",
    )


@require_POST
@login_required
def blockout_add(request, slug):
    return _my_form_post(
        request,
        slug,
        BlockoutForm,
        "blockout_form",
        lambda membership, data: rota_services.blockout_add(
            membership=membership, acting_user=request.user, **data
        ),
        "The dates are blocked out.",
    )


@require_POST
@login_required
def blockout_remove(request, slug, pk):
    blockout, _ = rota_permissions.blockout_get_for_owner(
        user=request.user, slug=slug, pk=pk
    )
    try:
        rota_services.blockout_remove(blockout=blockout, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The blockout is removed.")
    return redirect("sessions_app:rota_me", slug=slug)


@require_POST
@login_required
def preference_set(request, slug):
    return _my_form_post(
        request,
        slug,
        PreferenceForm,
        "preference_form",
        lambda membership, data: rota_services.preference_set(
            membership=membership, acting_user=request.user, **data
        ),
        "Your preference is saved.",
    )


@require_POST
@login_required
def autofill(request, slug):
    group, _ = permissions.group_for_lead(user=request.user, slug=slug)
    try:
        result = rota_services.autofill_run(group=group, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        count = len(result.assignments)
        messages.success(
            request,
            f"Auto-fill made {count} assignment{'' if count == 1 else 's'}.",
        )
        if result.unfilled:
            messages.warning(
                request,
                f"{len(result.unfilled)} meeting(s) still have no facilitator: "
                "nobody fits without breaking a rule. Assign them by hand.",
            )
    return redirect("sessions_app:rota", slug=slug)


@require_POST
@login_required
def autofill_undo(request, slug, pk):
    run, _ = rota_permissions.run_get_for_lead(user=request.user, slug=slug, pk=pk)
    try:
        count = rota_services.autofill_undo(run=run, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Undone: {count} assignment(s) removed.")
    return redirect("sessions_app:rota", slug=slug)


@login_required
def assign(request, slug, pk):
    meeting, membership = permissions.meeting_get_for_lead(
        user=request.user, slug=slug, pk=pk
    )
    members = meeting.group.memberships.filter(status="active").select_related("user")
    form = AssignForm(
        posted(request),
        members=members.order_by("user__display_name"),
        initial={"role": request.GET.get("role", "facilitator")},
    )
    warnings = []
    if request.method == "POST" and form.is_valid():
        chosen = group_permissions.membership_in_group(
            group=meeting.group, pk=form.cleaned_data["membership"]
        )
        try:
            rota_services.assignment_set(
                meeting=meeting,
                membership=chosen,
                role=form.cleaned_data["role"],
                acting_user=request.user,
                confirm=form.cleaned_data["confirm"],
            )
        except ValidationError as error:
            needs_confirm = (
                [e for e in error.error_list if e.code == rota_services.NEEDS_CONFIRM]
                if not hasattr(error, "error_dict")
                else []
            )
            if needs_confirm and len(needs_confirm) == len(error.error_list):
                warnings = [message for e in needs_confirm for message in e.messages]
            else:
                add_service_errors(form, error)
        else:
            messages.success(request, "The facilitator is assigned.")
            return redirect(meeting)
    return render(
        request,
        "sessions_app/rota_assign.html",
        {
            "group": meeting.group,
            "meeting": meeting,
            "membership": membership,
            "form": form,
            "warnings": warnings,
            "assignments": meeting.assignments.select_related("membership__user"),
        },
    )


@require_POST
@login_required
def unassign(request, slug, pk, assignment_pk):
    assignment, _ = rota_permissions.assignment_get_for_lead(
        user=request.user, slug=slug, pk=pk, assignment_pk=assignment_pk
    )
    try:
        rota_services.assignment_remove(assignment=assignment, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The facilitator is taken off this meeting.")
    return redirect(assignment.meeting)


@login_required
def swap_request(request, slug, pk):
    assignment, membership = rota_permissions.my_assignment_for_meeting(
        user=request.user, slug=slug, pk=pk
    )
    meeting = assignment.meeting
    others = rota_selectors.eligible_memberships(group=meeting.group).exclude(
        pk=membership.pk
    )
    form = SwapForm(posted(request), members=others)
    if request.method == "POST" and form.is_valid():
        offered_to = None
        if form.cleaned_data["offered_to"]:
            offered_to = group_permissions.membership_in_group(
                group=meeting.group, pk=form.cleaned_data["offered_to"]
            )
        try:
            rota_services.swap_request(
                assignment=assignment,
                acting_user=request.user,
                offered_to=offered_to,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Your request is out: you stay assigned until someone takes it.",
            )
            return redirect(meeting)
    return render(
        request,
        "sessions_app/rota_swap.html",
        {
            "group": meeting.group,
            "meeting": meeting,
            "membership": membership,
            "assignment": assignment,
            "form": form,
        },
    )


@require_POST
@login_required
def swap_accept(request, pk):
    swap, _ = rota_permissions.swap_get_for_user(user=request.user, pk=pk)
    meeting = swap.assignment.meeting
    try:
        rota_services.swap_accept(swap=swap, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "You have taken this meeting. Thank you!")
    return redirect(meeting)


@require_POST
@login_required
def swap_withdraw(request, pk):
    swap, _ = rota_permissions.swap_get_for_user(user=request.user, pk=pk)
    try:
        rota_services.swap_withdraw(swap=swap, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your request is withdrawn.")
    return redirect(swap.assignment.meeting)
