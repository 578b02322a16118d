from smtplib import SMTPException

from celery import shared_task

from . import reminders, services

# A message that failed to send is rolled back and retried; the SentMessage
# rows make the retry (or a second worker) skip whatever already went out.
RETRY = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task
def generate_meetings() -> int:
    """Keep every schedule's meetings generated 12 weeks ahead."""
    return services.meetings_generate_all()


@shared_task(**RETRY)
def send_member_reminders() -> int:
    """E-mail members before each meeting, at the lead time each chose."""
    return reminders.send_member_reminders()


@shared_task(**RETRY)
def send_facilitator_reminders() -> int:
    """E-mail facilitators 3 days before, with the agenda."""
    return reminders.send_facilitator_reminders()


@shared_task(**RETRY)
def send_no_facilitator_alerts() -> int:
    """Tell leads about meetings within 7 days that have no facilitator."""
    return reminders.send_no_facilitator_alerts()


@shared_task(**RETRY)
def send_change_notices() -> int:
    """Tell members about cancelled and moved meetings."""
    return reminders.send_change_notices()


@shared_task(**RETRY)
def send_swap_notices() -> int:
    """Tell whoever asked for a swap, and the leads, that it was taken."""
    return reminders.send_swap_notices()


@shared_task
def fill_rota() -> int:
    """Auto-fill facilitators for upcoming meetings that have none."""
    from . import rota_services

    return rota_services.autofill_all()
