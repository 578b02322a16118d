"""The periodic tasks Circle ships, as data. Migration 0003 creates them;
``ensure_periodic_tasks`` can run again safely (it updates by name)."""

from django.conf import settings

TASKS = [
    {
        "name": "Prune expired login sessions",
        "task": "members.tasks.prune_expired_sessions",
        "crontab": {"minute": "30", "hour": "3"},
        "description": "Deletes expired sessions every night at 03:30.",
    },
    {
        "name": "Generate meetings ahead",
        "task": "sessions_app.tasks.generate_meetings",
        "crontab": {"minute": "15", "hour": "*"},
        "description": "Keeps every schedule's meetings generated 12 weeks ahead.",
    },
    {
        "name": "Meeting reminders to members",
        "task": "sessions_app.tasks.send_member_reminders",
        "crontab": {"minute": "*/5", "hour": "*"},
        "description": "E-mails members before each meeting at their chosen lead time.",
    },
    {
        "name": "Meeting reminders to facilitators",
        "task": "sessions_app.tasks.send_facilitator_reminders",
        "crontab": {"minute": "20", "hour": "*"},
        "description": "E-mails each facilitator 3 days before, with the agenda.",
    },
    {
        "name": "Meetings without a facilitator",
        "task": "sessions_app.tasks.send_no_facilitator_alerts",
        "crontab": {"minute": "25", "hour": "*"},
        "description": "Tells leads about meetings within 7 days with no facilitator.",
    },
    {
        "name": "Meeting change notices",
        "task": "sessions_app.tasks.send_change_notices",
        "crontab": {"minute": "*/5", "hour": "*"},
        "description": "E-mails members when a meeting is cancelled or moved.",
    },
    {
        "name": "Tell who asked for a swap that it was taken",
        "task": "sessions_app.tasks.send_swap_notices",
        "crontab": {"minute": "*/5", "hour": "*"},
        "description": "The requester and the group's leads, once per swap.",
    },
    {
        "name": "Fill the facilitation rota",
        "task": "sessions_app.tasks.fill_rota",
        "crontab": {"minute": "45", "hour": "2"},
        "description": "Nightly auto-fill of upcoming meetings without a facilitator.",
    },
]


def ensure_periodic_tasks(PeriodicTask, CrontabSchedule) -> None:
    """Create or update the shipped schedules. Takes the model classes so a
    migration can pass its historical models."""
    for spec in TASKS:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            **spec["crontab"],
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=settings.TIME_ZONE,
        )
        PeriodicTask.objects.update_or_create(
            name=spec["name"],
            defaults={
                "task": spec["task"],
                "crontab": crontab,
                "description": spec["description"],
                "enabled": True,
            },
        )
