from django.db import migrations

from members.schedules import ensure_periodic_tasks
from sessions_app.defaults import create_defaults


def create(apps, schema_editor):
    create_defaults(
        apps.get_model("sessions_app", "AgendaTemplate"),
        apps.get_model("sessions_app", "Icebreaker"),
    )
    ensure_periodic_tasks(
        apps.get_model("django_celery_beat", "PeriodicTask"),
        apps.get_model("django_celery_beat", "CrontabSchedule"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0001_initial"),
        ("members", "0006_help_page_intro"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
