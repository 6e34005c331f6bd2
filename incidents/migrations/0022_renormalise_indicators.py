"""Issue 22: normalisation refangs, punycodes IDNs and drops tracking parameters. The stored
keys are computed again so old and new records keep matching. A key whose new value would
collide with another of the same record keeps its old value (nothing is deleted)."""

from contextlib import suppress

from django.db import IntegrityError, migrations, transaction

from incidents import normalize


def _new(kind, value):
    norm = normalize.normalise(kind, value)
    return (norm[:2000], normalize.digest(kind, norm)) if norm else (None, None)


def renormalise(apps, schema_editor):
    Indicator = apps.get_model("incidents", "Indicator")
    ReportKey = apps.get_model("incidents", "ReportKey")
    EventKey = apps.get_model("incidents", "EventKey")
    for row in Indicator.objects.all().iterator():
        norm, digest = _new(row.kind, row.value)
        if digest and digest != row.digest:
            # Another row already holds the new key (the same value written two ways): this one
            # keeps its old key rather than the migration failing; the other one matches.
            with suppress(IntegrityError), transaction.atomic():
                Indicator.objects.filter(pk=row.pk).update(normalized=norm, digest=digest)
    moved = {}
    for row in ReportKey.objects.all().iterator():
        _, digest = _new(row.kind, row.value)
        if digest and digest != row.digest:
            moved[(row.event_id, row.kind, row.digest)] = digest
            ReportKey.objects.filter(pk=row.pk).update(digest=digest)
    for row in EventKey.objects.filter(open=True).iterator():
        digest = moved.get((row.event_id, row.kind, row.digest))
        if digest:
            with suppress(IntegrityError), transaction.atomic():  # as above: one open key
                EventKey.objects.filter(pk=row.pk).update(digest=digest)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0021_reporting_mailbox")]

    operations = [migrations.RunPython(renormalise, migrations.RunPython.noop)]
