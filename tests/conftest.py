import os

import pytest

from tests.roles import make_role_users

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_service(name: str, available: bool, why: str = "") -> None:
    """Skip a test that needs a real service, or fail in CI where it must run."""
    if available:
        return
    message = f"{name} is not available{': ' + why if why else ''}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: services and the browser are required)")
    pytest.skip(message)


def pytest_configure(config):
    from django.conf import settings

    # One shared in-process cache for the test client and the live server
    # thread; production shares the database cache between processes.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    # Production-strength hashing costs ~0.3 s per user; tests make hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits and used-TOTP markers live in the cache.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def roles(db):
    return make_role_users()
