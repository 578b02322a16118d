from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from config.forms import add_service_errors, posted
from members.permissions import coordinator_required

from . import permissions, selectors, services
from .forms import (
    AgendaFormSet,
    CancelForm,
    IcebreakerForm,
    MeetingDetailsForm,
    MeetingForm,
    MoveForm,
    ScheduleForm,
)
from .models import Icebreaker, MeetingEvent


@login_required
def meeting_list(request, slug):
    group, membership = permissions.group_for_meetings(user=request.user, slug=slug)
    return render(
        request,
        "sessions_app/meeting_list.html",
        {
            "group": group,
            "membership": membership,
            "upcoming": selectors.meetings_upcoming_for_group(group=group),
            "past": selectors.meetings_past_for_group(group=group),
            "can_manage": permissions.can_manage_meetings(membership),
        },
    )


@login_required
def meeting_detail(request, slug, pk):
    meeting, membership = permissions.meeting_get_for_user(
        user=request.user, slug=slug, pk=pk
    )
    can_run = permissions.can_run_meeting(meeting, membership)
    events = meeting.events.select_related("actor")
    if not can_run:
        # Who attended is for the people running the meeting (DESIGN.md).
        events = events.exclude(kind=MeetingEvent.Kind.ATTENDANCE)
    return render(
        request,
        "sessions_app/meeting_detail.html",
        {
            "group": meeting.group,
            "meeting": meeting,
            "membership": membership,
            "facilitators": meeting.assignments.select_related("membership__user"),
            "can_run": can_run,
            "can_manage": permissions.can_manage_meetings(membership),
            "is_upcoming": meeting.ends_at >= timezone.now(),
            "events": events[:20],
        },
    )


@login_required
def schedule_create(request, slug):
    group, membership = permissions.group_for_lead(user=request.user, slug=slug)
    form = ScheduleForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["excluded_dates"] = data.pop("excluded")
        try:
            schedule = services.schedule_create(
                group=group, acting_user=request.user, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = schedule.meetings.count()
            messages.success(
                request, f"The schedule is set: {count} meetings are in the calendar."
            )
            return redirect("sessions_app:meetings", slug=slug)
    return render(
        request,
        "sessions_app/meeting_form.html",
        {"group": group, "membership": membership, "form": form},
    )


@login_required
def meeting_create(request, slug):
    group, membership = permissions.group_for_lead(user=request.user, slug=slug)
    form = MeetingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                group=group, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The meeting is in the calendar.")
            return redirect(meeting)
    return render(
        request,
        "sessions_app/meeting_form.html",
        {
            "group": group,
            "membership": membership,
            "form": form,
            "title": "A one-off meeting",
        },
    )


@login_required
def meeting_edit(request, slug, pk):
    meeting, membership = permissions.meeting_get_for_lead(
        user=request.user, slug=slug, pk=pk
    )
    initial = {
        name: getattr(meeting, name)
        for name in MeetingDetailsForm.base_fields
        if name != "resources"
    }
    initial["resources"] = list(meeting.resources.all())
    form = MeetingDetailsForm(
        posted(request),
        initial=initial,
        resources=selectors.resources_for_meetings(group=meeting.group),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        resources = data.pop("resources")
        try:
            services.meeting_update(meeting=meeting, acting_user=request.user, **data)
            services.meeting_set_resources(
                meeting=meeting, resources=resources, acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The meeting is saved.")
            return redirect(meeting)
    return render(
        request,
        "sessions_app/meeting_form.html",
        {
            "group": meeting.group,
            "membership": membership,
            "meeting": meeting,
            "form": form,
            "title": "Meeting details",
        },
    )


@login_required
def meeting_agenda(request, slug, pk):
    meeting, membership = permissions.meeting_get_for_runner(
        user=request.user, slug=slug, pk=pk
    )
    formset = AgendaFormSet(posted(request), initial=meeting.agenda, prefix="agenda")
    error = None
    if request.method == "POST" and formset.is_valid():
        items = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("title")]
        try:
            services.meeting_set_agenda(
                meeting=meeting, items=items, acting_user=request.user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "The agenda is saved.")
            return redirect(meeting)
    return render(
        request,
        "sessions_app/meeting_agenda.html",
        {
            "group": meeting.group,
            "meeting": meeting,
            "membership": membership,
            "formset": formset,
            "error": error,
        },
    )


@login_required
def meeting_icebreaker(request, slug, pk):
    meeting, membership = permissions.meeting_get_for_runner(
        user=request.user, slug=slug, pk=pk
    )
    library = selectors.icebreakers_for_group(group=meeting.group)
    if request.method == "POST":
        icebreaker = library.filter(pk=request.POST.get("icebreaker") or 0).first()
        if icebreaker is None:
            messages.error(request, "Choose an icebreaker from the list.")
        else:
            try:
                services.meeting_choose_icebreaker(
                    meeting=meeting, icebreaker=icebreaker, acting_user=request.user
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "The icebreaker is chosen.")
                return redirect(meeting)
    return render(
        request,
        "sessions_app/meeting_icebreaker.html",
        {
            "group": meeting.group,
            "meeting": meeting,
            "membership": membership,
            "library": library,
        },
    )


@login_required
def meeting_cancel(request, slug, pk):
    meeting, membership = permissions.meeting_get_for_lead(
        user=request.user, slug=slug, pk=pk
    )
    in_series = meeting.schedule_id is not None
    form = CancelForm(posted(request), in_series=in_series)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("scope") == "series":
                count = services.series_cancel_from(
                    meeting=meeting,
                    acting_user=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(
                    request, f"{count} meetings are cancelled; members are told."
                )
            else:
                services.meeting_cancel(
                    meeting=meeting,
                    acting_user=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, "The meeting is cancelled; members are told.")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("sessions_app:meetings", slug=slug)
    return render(
        request,
        "sessions_app/meeting_form.html",
        {
            "group": meeting.group,
            "meeting": meeting,
            "membership": membership,
            "form": form,
            "title": "Cancel a meeting",
        },
    )


@login_required
def meeting_move(request, slug, pk):
    meeting, membership = permissions.meeting_get_for_lead(
        user=request.user, slug=slug, pk=pk
    )
    in_series = meeting.schedule_id is not None
    local = meeting.starts_at.astimezone(ZoneInfo(meeting.group.time_zone))
    form = MoveForm(
        posted(request),
        in_series=in_series,
        initial={"day": local.date(), "local_time": local.time().replace(second=0)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("scope") == "series":
                count = services.series_move_from(
                    meeting=meeting,
                    acting_user=request.user,
                    local_time=data["local_time"],
                )
                messages.success(
                    request, f"{count} meetings are moved; members are told."
                )
            else:
                services.meeting_move(
                    meeting=meeting,
                    acting_user=request.user,
                    day=data["day"],
                    local_time=data["local_time"],
                )
                messages.success(request, "The meeting is moved; members are told.")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(meeting)
    return render(
        request,
        "sessions_app/meeting_form.html",
        {
            "group": meeting.group,
            "meeting": meeting,
            "membership": membership,
            "form": form,
            "title": "Move a meeting",
        },
    )


@login_required
def icebreaker_list(request, slug):
    group, membership = permissions.group_for_lead(user=request.user, slug=slug)
    form = IcebreakerForm(posted(request))
    if request.method == "POST" and form.is_valid():
        Icebreaker.objects.create(
            group=group, created_by=request.user, **form.cleaned_data
        )
        messages.success(request, "The icebreaker is added to the group's library.")
        return redirect("sessions_app:icebreakers", slug=slug)
    return render(
        request,
        "sessions_app/icebreaker_list.html",
        {
            "group": group,
            "membership": membership,
            "form": form,
            "library": selectors.icebreakers_for_group(group=group),
        },
    )


@login_required
def icebreaker_retire(request, slug, pk):
    group, _ = permissions.group_for_lead(user=request.user, slug=slug)
    if request.method != "POST":
        return redirect("sessions_app:icebreakers", slug=slug)
    icebreaker = get_object_or_404(Icebreaker, pk=pk, group=group, is_active=True)
    services.icebreaker_retire(icebreaker=icebreaker, acting_user=request.user)
    messages.success(request, "The icebreaker will not be suggested any more.")
    return redirect("sessions_app:icebreakers", slug=slug)


@coordinator_required
def organisation_icebreakers(request):
    """Coordinators curate the organisation's icebreaker library."""
    form = IcebreakerForm(posted(request))
    form.helper.inputs[0].value = "Add to the organisation's icebreakers"
    if request.method == "POST" and "retire" in request.POST:
        icebreaker = get_object_or_404(
            Icebreaker, pk=request.POST.get("retire") or 0, group__isnull=True
        )
        services.icebreaker_retire(icebreaker=icebreaker, acting_user=request.user)
        messages.success(request, "The icebreaker will not be suggested any more.")
        return redirect("sessions_app:organisation_icebreakers")
    if request.method == "POST" and form.is_valid():
        try:
            services.icebreaker_add(
                group=None, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The icebreaker is added for every group.")
            return redirect("sessions_app:organisation_icebreakers")
    return render(
        request,
        "sessions_app/icebreaker_organisation.html",
        {
            "form": form,
            "library": Icebreaker.objects.filter(group__isnull=True, is_active=True),
        },
    )
