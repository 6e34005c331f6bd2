"""The dashboard trend's incidents and decision times kept by day too (issue 20,
``incidents.monthly.DAILY``): the kept zones are forgotten again, so that ``migrate``'s
post-migrate step (``rollup.build_missing``) rebuilds each rollup with the new days."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("incidents", "0033_asset_change_indexes"),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM incidents_figureszone", migrations.RunSQL.noop),
    ]
