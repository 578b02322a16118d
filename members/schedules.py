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
