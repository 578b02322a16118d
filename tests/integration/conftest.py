"""Fixtures that start real Celery processes against the real Redis and the
test database (PostgreSQL). Skipped locally when the services are absent;
a failure in CI."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, *, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    require_service("Redis", url.startswith("redis://"), "set REDIS_URL")
    return url


@pytest.fixture(scope="session")
def test_database_url(django_db_setup, django_db_blocker):
    """The URL of the test database pytest-django created, for child processes."""
    from django.db import connection

    with django_db_blocker.unblock():
        require_service(
            "PostgreSQL",
            connection.vendor == "postgresql",
            "a worker in another process needs a shared database; set DATABASE_URL",
        )
        name = connection.settings_dict["NAME"]
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


class CeleryProcess:
    def __init__(self, args, *, env, log_path):
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *args],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        return Path(self.log_path).read_text()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="session")
def celery_env(redis_url, test_database_url):
    return {
        **os.environ,
        "DATABASE_URL": test_database_url,
        "REDIS_URL": redis_url,
        "DJANGO_DEBUG": "true",
    }


@pytest.fixture(scope="session")
def celery_queue():
    # A queue of our own, so a stray worker on the same Redis takes nothing.
    return f"circle-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def celery_worker(celery_env, celery_queue, tmp_path_factory):
    worker = CeleryProcess(
        [
            "worker",
            "--pool=solo",
            "--queues",
            celery_queue,
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=celery_env,
        log_path=tmp_path_factory.mktemp("celery") / "worker.log",
    )
    try:
        assert wait_for(lambda: "ready." in worker.output(), timeout=60), (
            worker.output()
        )
        yield worker
    finally:
        worker.stop()
