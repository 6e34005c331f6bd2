"""Organisations seeded before obligation.due existed get its default subscriptions too
(notifications.services.defaults): legal/privacy acknowledges, the CSIRT lead and the office
are told."""

from django.db import migrations

PUSH = ["EMAIL", "SLACK", "TEAMS", "WEBHOOK"]
NEW = [
    ("obligation.due", "ROLE", "LEGAL_PRIVACY", True),
    ("obligation.due", "ROLE", "CSIRT_LEAD", False),
    ("obligation.due", "ROLE", "ISMS_OFFICE", False),
]


def add(apps, schema_editor):
    Subscription = apps.get_model("notifications", "Subscription")
    seeded = set(Subscription.objects.values_list("organisation_id", flat=True).distinct())
    rows = []
    for event, audience, role, ack in NEW:
        have = set(
            Subscription.objects.filter(event=event, audience=audience, role=role).values_list(
                "organisation_id", flat=True
            )
        )
        rows += [
            Subscription(
                organisation_id=org,
                event=event,
                audience=audience,
                role=role,
                min_level=1,
                channels=PUSH,
                every_channel=False,
                needs_ack=ack,
            )
            for org in seeded - have
        ]
    Subscription.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_obligation_due_event")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
