"""Organisations seeded before decision.withdrawn and corrective_action.due existed get their
default subscriptions too (notifications.services.defaults)."""

from django.db import migrations

PUSH = ["EMAIL", "SLACK", "TEAMS", "WEBHOOK"]
NEW = [
    ("decision.withdrawn", "ASSIGNEE", ""),
    ("decision.withdrawn", "ROLE", "ISMS_OFFICE"),
    ("corrective_action.due", "ASSIGNEE", ""),
    ("corrective_action.due", "ROLE", "ISMS_OFFICE"),
]


def add(apps, schema_editor):
    Subscription = apps.get_model("notifications", "Subscription")
    seeded = set(Subscription.objects.values_list("organisation_id", flat=True).distinct())
    rows = []
    for event, audience, role in NEW:
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
                needs_ack=False,
            )
            for org in seeded - have
        ]
    Subscription.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_withdrawn_and_corrective_action_events")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
