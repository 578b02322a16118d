"""`make test`: point the suite at the real services when they answer, then run pytest.

DATABASE_URL / REDIS_URL win when set. Otherwise the local defaults
(PostgreSQL and Redis on 127.0.0.1) are used when they accept connections,
and the suite falls back to SQLite with the service tests skipped. With
CI=true nothing falls back: a missing service makes the run fail.
"""

import os
import socket
import sys
from urllib.parse import urlsplit

import pytest

LOCAL_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"


def reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def main(argv: list[str]) -> int:
    in_ci = os.environ.get("CI", "").lower() == "true"
    for name, default, port in (
        ("DATABASE_URL", LOCAL_DATABASE_URL, 5432),
        ("REDIS_URL", LOCAL_REDIS_URL, 6379),
    ):
        url = os.environ.get(name) or default
        if reachable(url, port):
            os.environ[name] = url
            print(f"{name}: {url}")
        elif in_ci:
            print(f"{name}: {url} does not answer, and CI needs it.", file=sys.stderr)
            return 1
        else:
            os.environ.pop(name, None)
            print(f"{name}: {url} does not answer; its tests will be skipped.")
    # Tests must never reach a real mail server.
    os.environ.pop("EMAIL_URL", None)
    return pytest.main(["--create-db", *argv])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
