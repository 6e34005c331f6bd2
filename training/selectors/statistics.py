"""Real statistics: every count that reports on the organisation's incidents starts here, so
exercise (訓練) incidents never enter them."""

from __future__ import annotations

from django.db.models import QuerySet

from incidents.models import Incident


def real_incidents(*, organisation_id: int) -> QuerySet[Incident]:
    return Incident.objects.filter(organisation_id=organisation_id, is_exercise=False)
