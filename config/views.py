from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from kombu import Connection


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=1,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=1)
            return True
    except Exception:
        return False


@never_cache
def healthz(request):
    """Liveness for load balancers: 200 while the database answers.

    A broker outage is reported but not fatal: requests never depend on it,
    only background work is delayed."""
    database = _database_ok()
    body = {
        "database": "ok" if database else "down",
        "broker": "ok" if _broker_ok() else "down",
    }
    return JsonResponse(body, status=200 if database else 503)
