"""docker-compose.yml is valid and runs every part on the same settings."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


def compose_command() -> list[str] | None:
    if shutil.which("docker") and (
        subprocess.run(["docker", "compose", "version"], capture_output=True).returncode
        == 0
    ):
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.fixture
def compose_config():
    command = compose_command()
    require_service("docker compose", command is not None, "install docker-compose")

    def run(**env):
        environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | env
        return subprocess.run(
            [*command, "-f", str(ROOT / "docker-compose.yml"), "config"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run


def test_compose_refuses_to_start_without_a_secret_key(compose_config):
    result = compose_config()
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def test_compose_runs_every_part_on_the_same_production_settings(compose_config):
    result = compose_config(SECRET_KEY="s3cret-value")
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {"db", "redis", *APP_SERVICES}
    environments = [services[name]["environment"] for name in APP_SERVICES]
    assert all(env == environments[0] for env in environments)
    env = environments[0]
    assert env["DJANGO_DEBUG"] == "false"
    assert env["SECRET_KEY"] == "s3cret-value"
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert env["DATABASE_URL"].startswith("postgres://circle:")
    assert "gunicorn config.wsgi" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert services["beat"]["command"].startswith("celery -A config beat")


def test_compose_names_only_settings_the_app_reads(compose_config):
    result = compose_config(SECRET_KEY="s3cret-value")
    env = yaml.safe_load(result.stdout)["services"]["web"]["environment"]
    settings_source = (ROOT / "config" / "settings.py").read_text()
    unread = [name for name in env if f'"{name}"' not in settings_source]
    assert not unread, f"set in compose but never read by settings: {unread}"
