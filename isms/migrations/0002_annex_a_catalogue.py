"""The 93 controls of ISO/IEC 27001:2022 Annex A, from isms.catalogue."""

from django.db import migrations

from isms.catalogue import CONTROLS


def seed(apps, schema_editor):
    AnnexAControl = apps.get_model("isms", "AnnexAControl")
    AnnexAControl.objects.bulk_create(
        [
            AnnexAControl(
                id=code,
                theme=code.split(".")[0],
                number=int(code.split(".")[1]),
                title_ja=ja,
                title_en=en,
            )
            for code, ja, en in CONTROLS
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("isms", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
