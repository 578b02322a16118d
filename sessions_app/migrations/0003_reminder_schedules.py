from django.db import migrations

from members.schedules import ensure_periodic_tasks


def create(apps, schema_editor):
    # Adds the reminder and change-notice schedules (members/schedules.TASKS);
    # the existing ones are updated by name, so running it again is safe.
    ensure_periodic_tasks(
        apps.get_model("django_celery_beat", "PeriodicTask"),
        apps.get_model("django_celery_beat", "CrontabSchedule"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0002_defaults"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
