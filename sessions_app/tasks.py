from celery import shared_task

from . import services


@shared_task
def generate_meetings() -> int:
    """Keep every schedule's meetings generated 12 weeks ahead."""
    return services.meetings_generate_all()
