from celery import shared_task

from . import services


@shared_task
def prune_expired_sessions() -> int:
    return services.sessions_prune_expired()
