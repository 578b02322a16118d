"""The crisis lines moved into their own list (groups.CrisisResource), shown
under the help page's text; the shipped English text no longer repeats them.
A text a coordinator has already edited is left alone."""

from django.db import migrations

OLD_BODY = """If you or someone else is in danger right now, call your local emergency number: 999 or 112 in the UK, 112 anywhere in Europe, 911 in the US and Canada.

Circle is not a crisis service. Nobody reads messages or survey answers as they arrive.

If you are thinking about suicide or harming yourself, talk to someone now:
Samaritans (UK and Ireland): call 116 123, free, day or night.
988 Suicide & Crisis Lifeline (US): call or text 988.
Anywhere else: find a free, confidential helpline at https://findahelpline.com

You can also call your doctor, or go to the nearest emergency department.

Your group's leads and our coordinators care about you too, but they may not see a message straight away."""

NEW_BODY = """If you or someone else is in danger right now, call your local emergency number: 999 or 112 in the UK, 112 anywhere in Europe, 911 in the US and Canada.

Circle is not a crisis service. Nobody reads messages or survey answers as they arrive.

If you are thinking about suicide or harming yourself, talk to someone now: the lines below are free and confidential.

You can also call your doctor, or go to the nearest emergency department. Your group's leads and our coordinators care about you too, but they may not see a message straight away."""


def forward(apps, schema_editor):
    HelpPage = apps.get_model("members", "HelpPage")
    HelpPage.objects.filter(language="en", body=OLD_BODY).update(body=NEW_BODY)


def backward(apps, schema_editor):
    HelpPage = apps.get_model("members", "HelpPage")
    HelpPage.objects.filter(language="en", body=NEW_BODY).update(body=OLD_BODY)


class Migration(migrations.Migration):
    dependencies = [("members", "0005_consent_texts"), ("groups", "0002_defaults")]

    operations = [migrations.RunPython(forward, backward)]
