"""How long the rota's auto-fill takes: the pure algorithm for 200 groups
over 52 weekly meetings, and separately the service on a database for a few
groups (reading eligibility and history, writing assignments and events).

    .venv/bin/python bench/rota_autofill.py                # SQLite, throw-away
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/circle_bench \\
        .venv/bin/python bench/rota_autofill.py
    GROUPS=200 MEMBERS=12 DB_GROUPS=5 .venv/bin/python bench/rota_autofill.py

The database part migrates the database it is pointed at and adds groups,
so never point it at real data.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("CIRCLE_VAR_DIR", tempfile.mkdtemp(prefix="circle-bench-"))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from groups import services as group_services  # noqa: E402
from groups.models import Group, Membership  # noqa: E402
from members.models import User  # noqa: E402
from sessions_app import rota, rota_services, services  # noqa: E402

GROUPS = int(os.environ.get("GROUPS", "200"))
MEMBERS = int(os.environ.get("MEMBERS", "12"))
DB_GROUPS = int(os.environ.get("DB_GROUPS", "5"))
WEEKS = 52


def random_group(rng: random.Random, first_id: int):
    start = datetime(2027, 1, 4, 18, tzinfo=UTC)
    members = []
    for i in range(MEMBERS):
        blockouts = []
        if rng.random() < 0.3:
            blockouts.append(rota.Blockout(week_of_month=rng.choice([1, 2, 3, 4, -1])))
        if rng.random() < 0.3:
            day = start.date() + timedelta(days=rng.randrange(365))
            blockouts.append(
                rota.Blockout(day, day + timedelta(days=rng.randrange(30)))
            )
        capped = rng.random() < 0.4
        members.append(
            rota.Member(
                id=first_id + i,
                name=f"M{i}",
                blockouts=tuple(blockouts),
                max_times=1 if capped else None,
                per_weeks=rng.choice([2, 4, 8]),
                earlier_count=rng.choice([0, 1, 5, 20]),
            )
        )
    history = [
        rota.Meeting(
            -(first_id + w),
            start - timedelta(weeks=w),
            (start - timedelta(weeks=w)).date(),
            ((rng.choice(members).id, rota.FACILITATOR),),
        )
        for w in range(1, 27)
    ]
    coming = [
        rota.Meeting(
            first_id + w,
            start + timedelta(weeks=w),
            (start + timedelta(weeks=w)).date(),
        )
        for w in range(WEEKS)
    ]
    return members, history + coming, {m.id for m in coming}


def bench_pure():
    rng = random.Random(17)  # noqa: S311 - reproducible data, not security
    groups = [random_group(rng, 1000 * g) for g in range(GROUPS)]
    timings = []
    filled = unfilled = 0
    started = time.perf_counter()
    for members, meetings, to_fill in groups:
        one = time.perf_counter()
        result = rota.autofill(members=members, meetings=meetings, to_fill=to_fill)
        timings.append((time.perf_counter() - one) * 1000)
        filled += len({c.meeting_id for c in result.choices})
        unfilled += len(result.unfilled)
    total = time.perf_counter() - started
    timings.sort()
    print(
        f"pure: {GROUPS} groups x {MEMBERS} members x {WEEKS} weeks in {total:.2f} s; "
        f"per group median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms; "
        f"{filled} meetings filled, {unfilled} left empty (nobody fits)"
    )


def make_db_group(index: int):
    stamp = f"{index}-{time.time_ns()}"
    group = Group.objects.create(name=f"Rota bench {stamp}", slug=f"rota-bench-{stamp}")
    lead_user = User.objects.create_user(
        email=f"lead-{stamp}@bench.example", display_name=f"Lead {stamp}"
    )
    lead = Membership.objects.create(
        user=lead_user, group=group, role="lead", status="active"
    )
    group_services.guideline_draft_save(
        group=group,
        items=[{"title": "Listen", "explanation": "Kindly."}],
        acting_user=lead_user,
    )
    group_services.guideline_publish(
        group=group, change_note="v1", acting_user=lead_user
    )
    rng = random.Random(index)  # noqa: S311 - reproducible data
    for i in range(MEMBERS):
        user = User.objects.create_user(
            email=f"m{i}-{stamp}@bench.example", display_name=f"Member {i}"
        )
        membership = Membership.objects.create(
            user=user, group=group, status="active", takes_part_in_rota=True
        )
        group_services.guideline_acknowledge(user=user, group=group)
        if rng.random() < 0.3:
            rota_services.blockout_add(
                membership=membership,
                acting_user=user,
                kind="week_of_month",
                week_of_month=rng.choice([1, 2, 3, 4, -1]),
            )
        if rng.random() < 0.4:
            rota_services.preference_set(
                membership=membership, acting_user=user, max_times=1, per_weeks=4
            )
    start = timezone.localdate() + timedelta(days=1)
    schedule = services.schedule_create(
        group=group,
        acting_user=lead_user,
        frequency="weekly",
        weekday=start.weekday(),
        local_time=datetime.min.time().replace(hour=18),
        starts_on=start,
    )
    services.meetings_generate(schedule=schedule, until=start + timedelta(weeks=WEEKS))
    return group, lead, start + timedelta(weeks=WEEKS)


def bench_db():
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    for index in range(DB_GROUPS):
        group, lead, until = make_db_group(index)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = rota_services.autofill_run(
                group=group, acting_user=lead.user, until=until
            )
            elapsed = (time.perf_counter() - started) * 1000
        print(
            f"service: group {index}: {group.meetings.count()} meetings, "
            f"{len(result.assignments)} assignments, {len(result.unfilled)} empty, "
            f"{elapsed:.0f} ms, {len(queries)} queries"
        )


if __name__ == "__main__":
    bench_pure()
    bench_db()
