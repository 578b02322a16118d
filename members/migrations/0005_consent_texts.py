"""Version 1 of each consent text. Later versions are published by coordinators
(admin) through members.services.consent_text_publish, never by editing these."""

from django.db import migrations

from members.defaults import CONSENT_TEXTS as TEXTS
from members.defaults import create_consent_texts


def create(apps, schema_editor):
    create_consent_texts(apps.get_model("members", "ConsentText"))


def remove(apps, schema_editor):
    ConsentText = apps.get_model("members", "ConsentText")
    ConsentText.objects.filter(version=1, kind__in=TEXTS).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0004_notification_preferences_consents")]

    operations = [migrations.RunPython(create, remove)]
