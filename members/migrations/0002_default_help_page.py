from django.db import migrations

DEFAULT_BODY = """If you or someone else is in danger right now, call your local emergency number: 999 or 112 in the UK, 112 anywhere in Europe, 911 in the US and Canada.

Circle is not a crisis service. Nobody reads messages or survey answers as they arrive.

If you are thinking about suicide or harming yourself, talk to someone now:
Samaritans (UK and Ireland): call 116 123, free, day or night.
988 Suicide & Crisis Lifeline (US): call or text 988.
Anywhere else: find a free, confidential helpline at https://findahelpline.com

You can also call your doctor, or go to the nearest emergency department.

Your group's leads and our coordinators care about you too, but they may not see a message straight away."""


def create(apps, schema_editor):
    HelpPage = apps.get_model("members", "HelpPage")
    HelpPage.objects.get_or_create(
        language="en", defaults={"title": "Get help now", "body": DEFAULT_BODY}
    )


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
