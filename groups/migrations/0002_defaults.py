"""The organisation-wide default guidelines every new group starts from, and
the first crisis lines for the "Get help now" page. Coordinators edit both."""

from django.db import migrations

from groups.defaults import create_defaults


def create(apps, schema_editor):
    create_defaults(
        apps.get_model("groups", "DefaultGuidelineItem"),
        apps.get_model("groups", "CrisisResource"),
    )


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
