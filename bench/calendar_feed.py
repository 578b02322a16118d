"""Time and size of a member's calendar feed: 5 groups, each with a weekly
meeting for two years (one year past, one ahead), served in-process by
Django's test client. The feed holds 60 days back to 12 months ahead; the
whole two years are also built directly, to see the cost per event.

    .venv/bin/python bench/calendar_feed.py                # SQLite, throw-away
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/circle_bench \\
        .venv/bin/python bench/calendar_feed.py
    GROUPS=5 RUNS=20 .venv/bin/python bench/calendar_feed.py

It migrates the database it is pointed at and adds its own groups, so never
point it at real data.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("CIRCLE_VAR_DIR", tempfile.mkdtemp(prefix="circle-bench-"))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from groups import services as group_services  # noqa: E402
from groups.models import Group, Membership  # noqa: E402
from members.models import User  # noqa: E402
from sessions_app import calendar, calendar_services, services  # noqa: E402
from sessions_app.models import Meeting  # noqa: E402

GROUPS = int(os.environ.get("GROUPS", "5"))
RUNS = int(os.environ.get("RUNS", "20"))
ZONES = ["Europe/London", "America/New_York", "Europe/Berlin", "Asia/Tokyo"]


def build() -> User:
    stamp = int(time.time())
    member = User.objects.create_user(
        email=f"bench-calendar-{stamp}@example.org", display_name="Bench member"
    )
    now = timezone.now()
    for number in range(GROUPS):
        lead = User.objects.create_user(
            email=f"bench-lead-{stamp}-{number}@example.org", display_name="Lead"
        )
        group = Group.objects.create(
            name=f"Bench calendar {stamp} {number}",
            slug=f"bench-cal-{stamp}-{number}",
            time_zone=ZONES[number % len(ZONES)],
        )
        for user, role in ((lead, "lead"), (member, "member")):
            Membership.objects.create(
                user=user, group=group, role=role, status="active"
            )
        group_services.guideline_publish(
            group=group,
            change_note="v1",
            acting_user=lead,
            items=[{"title": "Listen", "explanation": "Kindly."}],
        )
        group_services.guideline_acknowledge(user=member, group=group)
        year_ago = now - timedelta(days=365)
        with mock.patch("django.utils.timezone.now", return_value=year_ago):
            schedule = services.schedule_create(
                group=group,
                acting_user=lead,
                frequency="weekly",
                weekday=number % 7,
                local_time=clock(18, 0),
                starts_on=year_ago.date(),
            )
            services.meetings_generate(
                schedule=schedule, until=(now + timedelta(days=365)).date()
            )
    return member


def timed(function, runs):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return result, statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main():
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    member = build()
    print(f"set-up: {time.perf_counter() - started:.1f} s ({connection.vendor})")
    groups = Membership.objects.filter(user=member).values("group_id")
    total = Meeting.objects.filter(group_id__in=groups).count()
    url = calendar_services.calendar_feed_get_or_create(user=member).get_absolute_url()
    client = Client()
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    events = response.content.count(b"BEGIN:VEVENT")
    zones = response.content.count(b"BEGIN:VTIMEZONE")
    _, median, p95 = timed(lambda: client.get(url), RUNS)
    print(
        f"feed over HTTP: {events} events of {total} meetings, {zones} time zones, "
        f"{len(response.content) / 1024:.0f} KiB, {len(queries)} queries, "
        f"median {median:.0f} ms, p95 {p95:.0f} ms"
    )
    everything = list(
        Meeting.objects.filter(group_id__in=groups).select_related("group")
    )
    body, median, p95 = timed(
        lambda: calendar.build_calendar(everything, base_url="https://circle.example"),
        max(3, RUNS // 4),
    )
    print(
        f"all two years built directly: {len(everything)} events, "
        f"{len(body) / 1024:.0f} KiB, median {median:.0f} ms, p95 {p95:.0f} ms, "
        f"{median / len(everything) * 1000:.0f} µs per event"
    )


if __name__ == "__main__":
    main()
