"""Beat schedules live in the database (django-celery-beat) so they can be
changed in the admin; this migration creates the first ones."""

from django.conf import settings
from django.db import migrations

TASKS = [
    {
        "name": "Prune expired login sessions",
        "task": "members.tasks.prune_expired_sessions",
        "crontab": {"minute": "30", "hour": "3"},
        "description": "Deletes expired sessions every night at 03:30.",
    },
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
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


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[spec["name"] for spec in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_default_help_page"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
