"""Attendance (facilitators' page, members' check-in) and anonymous feedback."""

import re
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from groups.models import Membership

from . import attendance_selectors as selectors
from . import attendance_services as services
from . import permissions
from .attendance_forms import FeedbackForm, MarkForm
from .models import Meeting

MEMBER_REF = re.compile(r"Member #(\d+)")


def _attendance_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse(
        "sessions_app:attendance",
        kwargs={"slug": meeting.group.slug, "pk": meeting.pk},
    )
    return f"{url}#{anchor}" if anchor else url


def _can_mark(meeting: Meeting) -> bool:
    return (
        meeting.status != Meeting.Status.CANCELLED
        and not meeting.group.is_archived
        and timezone.now() >= services.check_in_opens(meeting)
    )


def _mark(request, meeting: Meeting):
    """One tap. Returns (membership or None, error message or None)."""
    form = MarkForm(request.POST)
    if not form.is_valid():
        errors = [e for field in form.errors.values() for e in field]
        return None, " ".join(errors)
    # A membership of another group looks like no member at all.
    membership = (
        Membership.objects.select_related("user")
        .filter(group_id=meeting.group_id, pk=form.cleaned_data["membership"])
        .first()
    )
    if membership is None:
        raise Http404
    try:
        services.attendance_mark(
            meeting=meeting,
            membership=membership,
            status=form.cleaned_data["status"],
            acting_user=request.user,
        )
    except ValidationError as error:
        return membership, " ".join(error.messages)
    return membership, None


def _row(request, meeting, membership, error):
    """The htmx answer to one tap: the person's row, re-read."""
    row = next(
        (
            r
            for r in selectors.attendance_roster(meeting=meeting)
            if r.pk == membership.pk
        ),
        None,
    )
    if row is None:
        raise Http404
    return render(
        request,
        "sessions_app/attendance_row.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "person": row,
            "can_mark": _can_mark(meeting),
            "row_error": error,
        },
    )


def _named(events, roster) -> list[tuple]:
    """History names people by membership number (names must not outlive an
    erasure, and members see the meeting's history); runners see the current
    display name instead."""
    names = {person.pk: person.user.display_name for person in roster}

    def name(match):
        return names.get(int(match[1]), match[0])

    return [(event, MEMBER_REF.sub(name, event.detail)) for event in events]


@login_required
def attendance_take(request, slug, pk):
    """The facilitator's phone page: one tap per person, everyone present,
    or "did not meet". Works without JavaScript; with htmx a tap swaps only
    the person's row."""
    meeting, membership = permissions.meeting_get_for_runner(
        user=request.user, slug=slug, pk=pk
    )
    if request.method == "POST":
        action = request.POST.get("action", "mark")
        if action == "mark":
            person, error = _mark(request, meeting)
            if request.htmx and person is not None:
                return _row(request, meeting, person, error)
            if error:
                messages.error(request, error)
            anchor = f"m-{person.pk}" if person else ""
            return redirect(_attendance_url(meeting, anchor))
        try:
            if action == "all_present":
                changed = services.attendance_mark_all_present(
                    meeting=meeting, acting_user=request.user
                )
                messages.success(
                    request, f"Everyone is marked present ({changed} changed)."
                )
            elif action == "did_not_meet":
                services.meeting_did_not_meet(meeting=meeting, acting_user=request.user)
                messages.success(request, "The meeting is marked as did not meet.")
            else:
                messages.error(request, "Choose what to do.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(_attendance_url(meeting))
    tz = ZoneInfo(meeting.group.time_zone)
    roster = selectors.attendance_roster(meeting=meeting)
    return render(
        request,
        "sessions_app/attendance_take.html",
        {
            "group": meeting.group,
            "meeting": meeting,
            "membership": membership,
            "local_start": meeting.starts_at.astimezone(tz),
            "local_end": meeting.ends_at.astimezone(tz),
            "opens_at": services.check_in_opens(meeting).astimezone(tz),
            "roster": roster,
            "counts": selectors.attendance_counts(meeting=meeting),
            "history": _named(selectors.attendance_history(meeting=meeting), roster),
            "can_mark": _can_mark(meeting),
            "is_over": timezone.now() > meeting.ends_at,
        },
    )


@login_required
@require_POST
def attendance_check_in(request, slug, pk):
    meeting, _membership = permissions.meeting_get_for_user(
        user=request.user, slug=slug, pk=pk
    )
    try:
        services.attendance_check_in(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "You are checked in. Welcome.")
    return redirect(meeting)


@login_required
def feedback_give(request, slug, pk):
    """The three-question pulse for people who were there. Anyone else in the
    group sees why they cannot answer."""
    meeting, membership = permissions.meeting_get_for_user(
        user=request.user, slug=slug, pk=pk
    )
    why_not = services.feedback_can_answer(meeting=meeting, user=request.user)
    form = None
    if why_not is None:
        form = FeedbackForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.feedback_submit(
                    meeting=meeting, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, "Thank you. Your answer is anonymous.")
                return redirect(meeting)
    elif request.method == "POST":
        messages.error(request, why_not)
        return redirect(meeting)
    tz = ZoneInfo(meeting.group.time_zone)
    return render(
        request,
        "sessions_app/feedback_form.html",
        {
            "group": meeting.group,
            "meeting": meeting,
            "membership": membership,
            "local_start": meeting.starts_at.astimezone(tz),
            "form": form,
            "why_not": why_not,
        },
    )


@login_required
def feedback_summary(request, slug):
    """Leads only: the group's anonymous feedback as aggregates."""
    group, membership = permissions.group_for_lead(user=request.user, slug=slug)
    return render(
        request,
        "sessions_app/feedback_summary.html",
        {
            "group": group,
            "membership": membership,
            "tz": ZoneInfo(group.time_zone),
            "window_days": services.FEEDBACK_WINDOW.days,
            **selectors.feedback_for_group(group=group),
        },
    )
