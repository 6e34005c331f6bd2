"""An obligation's alert is acknowledged by the holders of its owner role (the occurrence's
``assignee_role``: legal/privacy for the APPI reports, the ISMS office for the insurer …), not
by legal/privacy for every kind: the seeded ROLE LEGAL_PRIVACY subscription becomes ASSIGNEE."""

from django.db import migrations


def forward(apps, schema_editor):
    Subscription = apps.get_model("notifications", "Subscription")
    rows = Subscription.objects.filter(
        event="obligation.due", audience="ROLE", role="LEGAL_PRIVACY", needs_ack=True
    )
    for row in rows:
        exists = Subscription.objects.filter(
            organisation_id=row.organisation_id,
            event="obligation.due",
            audience="ASSIGNEE",
            role="",
            min_level=row.min_level,
        ).exists()
        if exists:
            row.delete()
        else:
            row.audience, row.role = "ASSIGNEE", ""
            row.save(update_fields=["audience", "role"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0008_notification_address_communication_mailed")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
