"""Close every legacy (plain SHA-256) timeline with an entry signed by the current HMAC key.

The legacy entries stay as they were and still verify as SHA-256; the keyed entry appended here
links to the legacy head and records it (with the entry count and whether the legacy chain
verified at this moment). From then on an edit of a legacy entry can only be hidden by
recomputing that keyed entry, which needs the key, and ``timeline_verify`` accepts an unkeyed
entry only before a keyed one. See docs/operations.md, "Timeline keys".
"""

from django.db import migrations
from django.utils import timezone

from incidents import chain

KIND = "timeline.keyed"


def reanchor(apps, schema_editor):
    entries = apps.get_model("incidents", "TimelineEntry")
    legacy = entries.objects.filter(key_id=chain.LEGACY)
    for incident_id in legacy.values_list("incident_id", flat=True).distinct().order_by():
        reanchor_incident(entries, incident_id)


def reanchor_incident(entries, incident_id: int):
    """Append the keyed entry that closes one incident's legacy chain (nothing if keyed)."""
    rows = list(entries.objects.filter(incident_id=incident_id).order_by("seq"))
    if rows[-1].key_id != chain.LEGACY:
        return None
    intact, previous = True, chain.GENESIS
    for number, row in enumerate(rows, start=1):
        intact = intact and row.seq == number and row.prev_hash == previous and chain.matches(row)
        previous = row.hash
    head = rows[-1]
    entry = entries(
        incident_id=incident_id,
        seq=head.seq + 1,
        at=timezone.now(),
        actor_id=None,
        actor_label="system",
        kind=KIND,
        payload={"legacy_entries": len(rows), "legacy_head": head.hash, "legacy_intact": intact},
        prev_hash=head.hash,
    )
    chain.seal(entry)
    entry.save()
    return entry


class Migration(migrations.Migration):
    dependencies = [("incidents", "0012_timeline_keyed")]

    operations = [migrations.RunPython(reanchor, migrations.RunPython.noop)]
