"""Leak facts against data sets (A-1 a, d, e; X-3 on the incident; L3-a reads them)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common import clock
from common.errors import InvalidInput
from incidents import access as incident_access
from incidents.models import Incident
from incidents.services import findings
from privacy import access
from privacy.enums import LEAK_STATUS, LeakKind
from privacy.models import DataSet, DataSetLeak


@transaction.atomic
def data_leak_record(
    *,
    incident: Incident,
    actor: User | None,
    data_set: DataSet,
    kind: str,
    occurred_at: datetime | None = None,
    observed_at: datetime | None = None,
    volume: str = "",
    individuals: int | None = None,
    credible: bool = True,
    note: str = "",
) -> DataSetLeak:
    """Record what happened to a data set; the incident's leak status, the level rules and the
    APPI assessment follow in the same transaction."""
    if actor is not None:
        incident_access.require(access.can_record_leaks(actor), "record leaks")
    if data_set.organisation_id != incident.organisation_id:
        raise InvalidInput(
            "data_set_not_in_organisation",
            _("Choose a data set of the organisation."),
            field="data_set",
        )
    if kind not in LeakKind.values:
        raise InvalidInput("invalid_choice", _("Choose what happened."), field="kind")
    occurred, observed = findings.fact_times(occurred_at, observed_at)
    leak = DataSetLeak(
        incident=incident,
        data_set=data_set,
        kind=kind,
        occurred_at=occurred,
        observed_at=observed,
        volume=volume.strip()[:200],
        individuals=individuals,
        credible=credible,
        note=note.strip()[:500],
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    leak.save()  # first, so the listeners of the fact below read it
    findings.leak_record(
        incident=incident,
        actor=actor,
        status=LEAK_STATUS[LeakKind(kind)],
        personal_data=data_set.contains_personal_data,
        permission_checked=actor is not None,
        occurred_at=occurred,
        observed_at=observed,
        data_set={
            "id": data_set.pk,
            "name": data_set.name,
            "kind": kind,
            "sensitive": data_set.sensitive,
            "individuals": individuals,
            "volume": leak.volume,
        },
    )
    return leak
