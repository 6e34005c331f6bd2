"""Related incidents (RELATED / CAUSED_BY / DUPLICATE_OF): one row, shown on both pages."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common import clock
from common.errors import Conflict, InvalidInput
from incidents import access
from incidents.models import Incident, IncidentRelation, RelationKind
from incidents.services.timeline import timeline_append
from incidents.services.triage import EXERCISE_BOUNDARY


@transaction.atomic
def incident_relate(
    *, incident: Incident, related: Incident, kind: str, actor: User, note: str = ""
) -> IncidentRelation:
    """``incident`` is ``kind`` ``related`` (INC-2 CAUSED_BY INC-1); both timelines say so."""
    access.require(access.can_edit_incidents(actor), "relate incidents")
    if kind not in RelationKind.values:
        raise InvalidInput("invalid_choice", _("Unknown relation."), field="kind")
    if related.organisation_id != incident.organisation_id:
        raise InvalidInput("incident_not_found", _("No such incident."), field="incident")
    if related.is_exercise != incident.is_exercise:  # issue 18
        raise InvalidInput(
            EXERCISE_BOUNDARY,
            _("A real incident and an exercise incident cannot be linked."),
            field="incident",
        )
    if related.pk == incident.pk:
        raise InvalidInput(
            "relation_to_itself", _("An incident cannot be related to itself."), field="incident"
        )
    # Either direction counts: A RELATED B is B RELATED A, and A DUPLICATE_OF B with B
    # DUPLICATE_OF A (or A CAUSED_BY B with B CAUSED_BY A) would contradict itself.
    if IncidentRelation.objects.filter(incident=related, related=incident, kind=kind).exists():
        raise Conflict(
            "relation_exists", _("These incidents are already linked the other way round.")
        )
    try:
        with transaction.atomic():
            relation = IncidentRelation.objects.create(
                incident=incident,
                related=related,
                kind=kind,
                note=note.strip()[:500],
                created_at=clock.now(),
                created_by=actor,
            )
    except IntegrityError as exc:
        raise Conflict("relation_exists", _("These incidents are already linked so.")) from exc
    payload = {"relation": relation.pk, "kind": kind, "note": relation.note}
    timeline_append(
        incident=incident,
        kind="incident.related",
        actor=actor,
        payload={**payload, "to": related.ref},
    )
    timeline_append(
        incident=related,
        kind="incident.related",
        actor=actor,
        payload={**payload, "from": incident.ref},
    )
    return relation


@transaction.atomic
def incident_unrelate(*, relation: IncidentRelation, actor: User) -> None:
    """Remove a link; both timelines keep the record that it existed."""
    access.require(access.can_edit_incidents(actor), "relate incidents")
    relation = (
        IncidentRelation.objects.select_for_update()
        .select_related("incident", "related")
        .get(pk=relation.pk)
    )
    payload = {"relation": relation.pk, "kind": relation.kind}
    for incident, other in ((relation.incident, "to"), (relation.related, "from")):
        timeline_append(
            incident=incident,
            kind="incident.unrelated",
            actor=actor,
            payload={
                **payload,
                other: (relation.related if other == "to" else relation.incident).ref,
            },
        )
    relation.delete()
