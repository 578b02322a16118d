"""iCalendar (RFC 5545) for meetings: a person's private feed and the
one-meeting download.

Times are written in the group's own zone (``DTSTART;TZID=Europe/London:...``)
with a VTIMEZONE for each zone used, so a weekly 18:00 meeting stays 18:00 in
calendar apps across daylight-saving changes. Nothing about other members is
written: no facilitator names, no attendance, no notes.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

import icalendar

from .models import Meeting
from .selectors import groups_with_meetings_for

PRODID = "-//Circle//Meetings//EN"
FEED_PAST = timedelta(days=60)
FEED_AHEAD = timedelta(days=365)
# How often calendar apps that honour it should fetch the feed again.
REFRESH_INTERVAL = timedelta(hours=6)


def meetings_for_feed(*, user, now: datetime | None = None):
    """The meetings in ``user``'s feed: 60 days back to 12 months ahead,
    cancelled ones included (so calendar apps remove them). One query."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(
            group_id__in=groups_with_meetings_for(user),
            starts_at__gte=now - FEED_PAST,
            starts_at__lte=now + FEED_AHEAD,
        )
        .select_related("group")
        .only(
            "uid",
            "sequence",
            "status",
            "starts_at",
            "ends_at",
            "format",
            "topic",
            "place",
            "online_link",
            "cancel_reason",
            "updated_at",
            "group__name",
            "group__slug",
            "group__time_zone",
        )
        .order_by("starts_at", "pk")
    )


def _event(meeting: Meeting, *, base_url: str, stamp: datetime) -> icalendar.Event:
    zone = ZoneInfo(meeting.group.time_zone)
    event = icalendar.Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", meeting.updated_at)
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    cancelled = meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("summary", f"{meeting.group.name}: {meeting.get_format_display()}")
    location = meeting.place or meeting.online_link
    if location:
        event.add("location", location)
    url = base_url + meeting.get_absolute_url()
    event.add("url", url)
    lines = []
    if cancelled:
        lines.append(
            "Cancelled"
            + (f": {meeting.cancel_reason}" if meeting.cancel_reason else ".")
        )
    if meeting.topic:
        lines.append(f"Topic: {meeting.topic}")
    if meeting.online_link:
        lines.append(f"Join online: {meeting.online_link}")
    lines.append(f"Details: {url}")
    event.add("description", "\n".join(lines))
    return event


def build_calendar(
    meetings: Iterable[Meeting], *, base_url: str, name: str | None = None
) -> bytes:
    """An iCalendar document for ``meetings`` (each with its group loaded).
    ``base_url`` (scheme and host) makes the meeting pages' links absolute."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("name", name)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH_INTERVAL)
    stamp = timezone.now()
    events = []
    first: date | None = None
    last: date | None = None
    for meeting in meetings:
        events.append(_event(meeting, base_url=base_url, stamp=stamp))
        day = meeting.starts_at.date()
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
    # VTIMEZONEs first (some apps want them before the events that use
    # them), covering only the span of the meetings, to keep the feed small.
    for event in events:
        calendar.add_component(event)
    if events:
        calendar.add_missing_timezones(
            first_date=first - timedelta(days=366), last_date=last + timedelta(days=2)
        )
        calendar.subcomponents.sort(key=lambda c: c.name != "VTIMEZONE")
    return calendar.to_ical()
