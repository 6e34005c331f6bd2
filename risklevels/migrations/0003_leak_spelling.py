"""One spelling of 漏えい (docs/glossary.md): organisations seeded before the glossary had the
retired kanji spelling in level 3's name and in the level texts copied from the source document."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace

OLD = "\u6f0f\u6d29"  # the kanji spelling the glossary retires
NEW = "漏えい"
FIELDS = ("name_ja", "happened_ja", "impact_ja", "response_ja", "workload_ja")


def respell(apps, schema_editor):
    level = apps.get_model("risklevels", "LevelDefinition")
    level.objects.update(**{f: Replace(f, Value(OLD), Value(NEW)) for f in FIELDS})


class Migration(migrations.Migration):
    dependencies = [
        ("risklevels", "0002_checklist_target_minutes"),
    ]

    operations = [
        migrations.RunPython(respell, migrations.RunPython.noop),
    ]
