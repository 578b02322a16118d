"""Query counts and response times of the group directory and a group's
member pages at 500 members per group, served in-process by Django's test
client (no network, no server: the view, template and database only).

    .venv/bin/python bench/group_pages.py                  # SQLite, throw-away
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/circle_bench \\
        .venv/bin/python bench/group_pages.py
    GROUPS=20 MEMBERS=500 RUNS=50 .venv/bin/python bench/group_pages.py

It migrates the database it is pointed at and adds the benchmark groups
(seed_demo --groups --members), so never point it at real data.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

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
from django.urls import reverse  # noqa: E402

from groups.models import Group, Membership  # noqa: E402

GROUPS = int(os.environ.get("GROUPS", "20"))
MEMBERS = int(os.environ.get("MEMBERS", "500"))
RUNS = int(os.environ.get("RUNS", "30"))


def measure(client, url):
    # seed_demo ran with DEBUG on and filled the bounded query log; a full log
    # would make every count read 0.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return (
        len(queries),
        statistics.median(timings),
        timings[int(len(timings) * 0.95) - 1],
    )


def main():
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", groups=GROUPS, members=MEMBERS, stdout=quiet)
    elapsed = time.perf_counter() - started
    print(f"data: {GROUPS} groups x {MEMBERS} members, made in {elapsed:.1f} s")

    group = Group.objects.get(slug="bench-group-0")
    lead = Membership.objects.filter(group=group, role="lead").select_related("user")[0]
    outsider = Membership.objects.filter(group__slug="after-loss")[0].user
    open_groups = Group.objects.filter(join_policy="open", archived_at__isnull=True)
    pages = [("directory", outsider, reverse("groups:directory"), open_groups.count())]
    for name, label in (
        ("detail", "roster (group page)"),
        ("agreements", "who agreed (lead)"),
        ("members", "manage members (lead)"),
    ):
        url = reverse(f"groups:{name}", kwargs={"slug": group.slug})
        pages.append((label, lead.user, url, MEMBERS))

    print(
        f"database: {connection.vendor}; {RUNS} timed requests each, after one warm-up"
    )
    print(f"{'page':<26}{'rows':>6}{'queries':>9}{'median ms':>11}{'p95 ms':>9}")
    client = Client()
    for label, user, url, rows in pages:
        client.force_login(user)
        count, median, p95 = measure(client, url)
        print(f"{label:<26}{rows:>6}{count:>9}{median:>11.1f}{p95:>9.1f}")


if __name__ == "__main__":
    main()
