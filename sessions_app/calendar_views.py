"""The calendar feed (no login: the secret address is the key), the page
where a person finds, renews or turns off that address, and the one-meeting
.ics download."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import calendar, calendar_services, permissions
from .models import CalendarFeed


def _ics_response(body: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    # The address is a secret and the content personal: no shared caches,
    # no search engines.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


@require_GET
def calendar_feed(request, token):
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    meetings = calendar.meetings_for_feed(user=feed.user)
    body = calendar.build_calendar(
        meetings, base_url=_base_url(request), name="Circle meetings"
    )
    return _ics_response(body)


@login_required
def calendar_settings(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "sessions_app/calendar_settings.html",
        {
            "feed": feed,
            "feed_url": request.build_absolute_uri(feed.get_absolute_url())
            if feed
            else "",
        },
    )


@login_required
@require_POST
def calendar_regenerate(request):
    had_one = CalendarFeed.objects.filter(user=request.user).exists()
    calendar_services.calendar_feed_regenerate(user=request.user)
    messages.success(
        request,
        "Here is your new calendar address. The old one no longer works: "
        "add the new one to your calendar app."
        if had_one
        else "Here is your calendar address: add it to your calendar app.",
    )
    return redirect("sessions_app:calendar_settings")


@login_required
@require_POST
def calendar_revoke(request):
    if calendar_services.calendar_feed_revoke(user=request.user):
        messages.success(
            request,
            "Your calendar address no longer works. Your calendar app will stop "
            "showing new meetings.",
        )
    return redirect("sessions_app:calendar_settings")


@login_required
@require_GET
def meeting_ics(request, slug, pk):
    meeting, _ = permissions.meeting_get_for_user(user=request.user, slug=slug, pk=pk)
    body = calendar.build_calendar([meeting], base_url=_base_url(request))
    local = meeting.starts_at.astimezone(ZoneInfo(meeting.group.time_zone))
    filename = f"{meeting.group.slug}-{local:%Y-%m-%d}.ics"
    return _ics_response(body, filename=filename)
