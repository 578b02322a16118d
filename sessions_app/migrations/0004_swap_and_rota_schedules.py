from django.db import migrations

from members.schedules import ensure_periodic_tasks


def create(apps, schema_editor):
    ensure_periodic_tasks(
        apps.get_model("django_celery_beat", "PeriodicTask"),
        apps.get_model("django_celery_beat", "CrontabSchedule"),
    )


class Migration(migrations.Migration):
    dependencies = [("sessions_app", "0003_reminder_schedules")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
