"""Settings, deployment checks, error pages, CSP and the health check."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

import pytest

from tests.members.factories import CoordinatorFactory, UserFactory
from tests.roles import MEMBER

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    # The e2e suite sets DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rejects.
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = run_manage("check", DJANGO_DEBUG="false", ALLOWED_HOSTS="circle.example")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_with_the_public_development_key_refuses_to_start():
    from config.settings import _DEV_SECRET_KEY

    result = run_manage(
        "check", DJANGO_DEBUG="false", SECRET_KEY=_DEV_SECRET_KEY, ALLOWED_HOSTS="x"
    )
    assert result.returncode != 0
    assert "public development key" in result.stderr


def test_deploy_check_is_clean_in_production():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="circle.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_defaults_need_no_servers(settings):
    # Nothing set in the environment: SQLite, file e-mail, filesystem broker.
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.EMAIL_BACKEND,"
        " s.CELERY_BROKER_URL, s.MIN_CELL_SIZE)"
    )
    environment = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "EMAIL_URL",
            "DJANGO_DEBUG",
            "MIN_CELL_SIZE",
        }
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1].split() == [
        "True",
        "django.db.backends.sqlite3",
        "django.core.mail.backends.filebased.EmailBackend",
        "filesystem://",
        "5",
    ], result.stderr


@pytest.mark.django_db
class TestErrorPages:
    def test_404_is_friendly(self, client):
        response = client.get("/no/such/page/")
        assert response.status_code == 404
        assert "We can't find that page" in response.content.decode()

    def test_403_is_friendly(self, client, roles):
        client.force_login(roles[MEMBER])
        response = client.get(reverse("members:coordinators"))
        assert response.status_code == 403
        assert "isn't available to you" in response.content.decode()

    @pytest.mark.urls("tests.urls_errors")
    def test_500_is_friendly_and_shows_no_traceback(self, client):
        client.raise_request_exception = False
        response = client.get("/broken/")
        body = response.content.decode()
        assert response.status_code == 500
        assert "Something went wrong on our side" in body
        assert "secret internal detail" not in body
        assert "Traceback" not in body


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I
)
EXTERNAL_ASSET = re.compile(
    r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', re.I
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/help/",
        "/no/such/page/",
    ],
)
def test_pages_have_no_inline_script_style_or_third_party_assets(client, url):
    response = client.get(url)
    body = response.content.decode()
    assert not INLINE_SCRIPT.search(body)
    assert ' style="' not in body
    assert not EXTERNAL_ASSET.search(body)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_signed_in_pages_have_no_inline_script_either(client):
    client.force_login(CoordinatorFactory())
    for url in [
        "/",
        reverse("outcomes:dashboard"),
        reverse("members:coordinators"),
        reverse("members:profile"),
        reverse("mfa_index"),
    ]:
        body = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(body), url
        assert not EXTERNAL_ASSET.search(body), url


@pytest.mark.django_db
class TestHealthz:
    def test_reports_database_and_broker(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["database"] == "ok"
        assert response.json()["broker"] in {"ok", "down"}
        assert "no-cache" in response["Cache-Control"]

    def test_broker_outage_is_reported_not_fatal(self, client, settings):
        settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"database": "ok", "broker": "down"}

    def test_database_outage_is_503(self, client, monkeypatch):
        from config import views

        monkeypatch.setattr(views, "_database_ok", lambda: False)
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["database"] == "down"

    def test_filesystem_broker_is_ok(self, client, settings, tmp_path):
        settings.CELERY_BROKER_URL = "filesystem://"
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
            "data_folder_in": str(tmp_path),
            "data_folder_out": str(tmp_path),
        }
        assert client.get("/healthz").json()["broker"] == "ok"

    def test_is_exempt_from_the_https_redirect(self, client, settings):
        settings.SECURE_SSL_REDIRECT = True
        settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
        assert client.get("/healthz").status_code == 200
        assert client.get("/help/").status_code == 301


@pytest.mark.parametrize(
    ("time_zone", "language", "seen"),
    [
        # Content in their language; the interface stays in English, the only
        # language it is written in, and never claims another.
        ("America/New_York", "fr", ("America/New_York", "fr", "en")),
        ("Not/AZone", "de", ("Europe/London", "de", "en")),  # a bad zone falls back
        ("Europe/London", "en", ("Europe/London", "en", "en")),
    ],
)
def test_middleware_uses_the_persons_time_zone_and_language(
    rf, time_zone, language, seen
):
    from django.http import HttpResponse
    from django.utils import timezone, translation

    from members.middleware import UserPreferencesMiddleware

    observed = []

    def view(request):
        observed.append(
            (
                str(timezone.get_current_timezone()),
                request.content_language,
                translation.get_language(),
            )
        )
        return HttpResponse()

    request = rf.get("/")
    request.user = UserFactory.build(time_zone=time_zone, language=language)
    UserPreferencesMiddleware(view)(request)
    assert observed == [seen]


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("nl-BE,nl;q=0.9,en;q=0.8", "nl"),
        ("ja,de;q=0.5", "de"),
        ("ja", "en"),
        ("", "en"),
        ("<script>,;;,", "en"),
    ],
)
def test_anonymous_visitors_get_content_in_their_browsers_language(
    rf, header, language
):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from members.middleware import UserPreferencesMiddleware

    request = rf.get("/help/", HTTP_ACCEPT_LANGUAGE=header)
    request.user = AnonymousUser()
    UserPreferencesMiddleware(lambda r: HttpResponse())(request)
    assert request.content_language == language
