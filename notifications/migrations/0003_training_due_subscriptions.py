"""Organisations seeded before training.due existed get its default subscription too."""

from django.db import migrations

PUSH = ["EMAIL", "SLACK", "TEAMS", "WEBHOOK"]


def add(apps, schema_editor):
    Subscription = apps.get_model("notifications", "Subscription")
    seeded = Subscription.objects.values_list("organisation_id", flat=True).distinct()
    have = set(
        Subscription.objects.filter(event="training.due").values_list("organisation_id", flat=True)
    )
    Subscription.objects.bulk_create(
        [
            Subscription(
                organisation_id=org,
                event="training.due",
                audience="ASSIGNEE",
                role="",
                min_level=1,
                channels=PUSH,
                every_channel=False,
                needs_ack=False,
            )
            for org in set(seeded) - have
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_training_due_event")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
