"""Seed the 17 CSIRT functions of the source document (training.catalogue)."""

from django.db import migrations


def seed(apps, schema_editor):
    from training import catalogue

    catalogue.seed(apps.get_model("training", "CsirtFunction"))


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0005_csirt_map"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
