"""The organisation-wide default guidelines every new group starts from, and
the first crisis lines for the "Get help now" page. Coordinators edit both."""

from django.db import migrations

from groups.defaults import CRISIS_LINES, GUIDELINES


def create(apps, schema_editor):
    DefaultGuidelineItem = apps.get_model("groups", "DefaultGuidelineItem")
    CrisisResource = apps.get_model("groups", "CrisisResource")
    if not DefaultGuidelineItem.objects.exists():
        DefaultGuidelineItem.objects.bulk_create(
            DefaultGuidelineItem(position=i, title=title, explanation=text)
            for i, (title, text) in enumerate(GUIDELINES, start=1)
        )
    if not CrisisResource.objects.filter(language="en").exists():
        CrisisResource.objects.bulk_create(
            CrisisResource(
                language="en",
                position=i,
                name=name,
                phone=phone,
                text_line=text,
                url=url,
                hours=hours,
            )
            for i, (name, phone, text, url, hours) in enumerate(CRISIS_LINES, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
