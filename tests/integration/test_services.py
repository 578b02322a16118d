"""The real PostgreSQL, Redis and Celery processes, as deployed."""

import os
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import connection

import pytest

from members import tasks
from tests.conftest import IN_CI
from tests.integration.conftest import CeleryProcess, wait_for
from tests.members.test_services import make_session

pytestmark = pytest.mark.services


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_in_ci():
    # A silent fall-back to SQLite in CI must fail here, not pass unnoticed.
    if IN_CI or os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            assert cursor.fetchone()[0].startswith("test_")
    else:
        pytest.skip("DATABASE_URL does not name PostgreSQL")


@pytest.mark.django_db
def test_healthz_sees_the_real_redis(client, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    assert client.get("/healthz").json() == {"database": "ok", "broker": "ok"}


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_the_app_sends(celery_worker, celery_queue):
    from config.celery import app

    assert app.conf.broker_url.startswith("redis://")
    expired = make_session(expires_in=timedelta(minutes=-5))
    live = make_session(expires_in=timedelta(days=1))
    tasks.prune_expired_sessions.apply_async(queue=celery_queue)
    assert wait_for(
        lambda: not Session.objects.filter(session_key=expired).exists(), timeout=30
    ), celery_worker.output()
    assert Session.objects.filter(session_key=live).exists()
    assert "members.tasks.prune_expired_sessions" in celery_worker.output()


@pytest.mark.django_db(transaction=True)
def test_beat_loads_its_schedule_from_the_database_and_the_worker_runs_it(
    celery_worker, celery_queue, celery_env, tmp_path
):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every_second, _ = IntervalSchedule.objects.get_or_create(
        every=1, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.create(
        name="test: prune every second",
        task="members.tasks.prune_expired_sessions",
        interval=every_second,
        queue=celery_queue,
    )
    expired = make_session(expires_in=timedelta(hours=-1))
    beat = CeleryProcess(
        [
            "beat",
            "--loglevel=INFO",
            "--max-interval=1",
            "--schedule",
            str(tmp_path / "beat"),
        ],
        env=celery_env,
        log_path=tmp_path / "beat.log",
    )
    try:
        assert wait_for(
            lambda: not Session.objects.filter(session_key=expired).exists(), timeout=45
        ), beat.output() + celery_worker.output()
        assert "DatabaseScheduler" in beat.output()
        assert "test: prune every second" in beat.output()
    finally:
        beat.stop()
    assert (
        PeriodicTask.objects.get(name="test: prune every second").total_run_count >= 1
    )


@pytest.mark.django_db
def test_the_database_scheduler_reads_the_shipped_schedule():
    from celery.schedules import crontab
    from django_celery_beat.models import CrontabSchedule, PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from config.celery import app
    from members.schedules import ensure_periodic_tasks

    # tests/members/test_services.py proves the migration created it; tests
    # that ran before this one in a transaction may have emptied the table.
    ensure_periodic_tasks(PeriodicTask, CrontabSchedule)
    row = PeriodicTask.objects.get(name="Prune expired login sessions")
    # DatabaseScheduler only loads crontab rows due within about two hours of
    # now, so build the entry the way it does rather than depend on the clock.
    entry = DatabaseScheduler.Entry(row, app=app)
    assert entry.task == "members.tasks.prune_expired_sessions"
    assert isinstance(entry.schedule, crontab)
    assert (entry.schedule.hour, entry.schedule.minute) == ({3}, {30})
    # Nightly: the next run is at most a day away.
    assert entry.is_due()[1] <= timedelta(days=1).total_seconds()
