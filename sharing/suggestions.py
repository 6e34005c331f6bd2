"""Suggested indicators (issue 22 item 1): extracted from the incident's reports, each accepted
(an Indicator through `incidents.services.indicators.indicator_add`, normalised there) or
rejected by a person, both on the incident's timeline. A value rejected once in the
organisation is not suggested again."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from common import clock
from common.errors import Conflict
from incidents import access, emlparse, normalize
from incidents.models import Incident, Indicator, Report
from incidents.models.enums import Tlp
from incidents.services.indicators import indicator_add
from incidents.services.timeline import timeline_append
from sharing import extraction
from sharing.models import IndicatorSuggestion, SuggestionStatus


def _reports(incident: Incident) -> QuerySet[Report]:
    return Report.objects.filter(
        Q(incident=incident) | Q(event__incident=incident),
        organisation_id=incident.organisation_id,
    ).order_by("received_at", "pk")


def _eml(report: Report) -> bytes:
    if not report.eml:
        return b""
    try:
        with report.eml.open("rb") as handle:
            return handle.read(emlparse.MAX_EML_BYTES)
    except OSError:  # the stored file is gone: the text is still read
        return b""


def candidates_of(report: Report) -> list[extraction.Candidate]:
    return [
        *extraction.from_text(report.description),
        *extraction.from_eml(_eml(report)),
    ]


@transaction.atomic
def suggestions_extract(*, incident: Incident, actor: User) -> int:
    """Read every report of the incident and store what is new as PENDING suggestions: not a
    value the incident already holds as an indicator or a suggestion, nor one the
    organisation rejected. Returns how many were added (0 when run again)."""
    access.require(access.can_edit_incidents(actor), "extract indicators")
    known = {
        (kind, digest)
        for kind, digest in Indicator.objects.filter(incident=incident).values_list(
            "kind", "digest"
        )
    }
    known |= set(
        IndicatorSuggestion.objects.filter(incident=incident).values_list("kind", "digest")
    )
    known |= set(
        IndicatorSuggestion.objects.filter(
            organisation_id=incident.organisation_id, status=SuggestionStatus.REJECTED
        ).values_list("kind", "digest")
    )
    rows: list[IndicatorSuggestion] = []
    for report in _reports(incident):
        for candidate in candidates_of(report):
            norm = normalize.normalise(candidate.kind, candidate.value)
            if not norm:
                continue
            key = (str(candidate.kind), normalize.digest(candidate.kind, norm))
            if key in known:
                continue
            known.add(key)
            rows.append(
                IndicatorSuggestion(
                    organisation_id=incident.organisation_id,
                    incident=incident,
                    report=report,
                    kind=candidate.kind,
                    value=candidate.value[:2000],
                    digest=key[1],
                    source=candidate.source,
                )
            )
            if len(rows) >= extraction.MAX_CANDIDATES:
                break
    IndicatorSuggestion.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        timeline_append(
            incident=incident,
            kind="indicator.suggested",
            actor=actor,
            payload={"suggested": len(rows)},
        )
    return len(rows)


def _pending(incident: Incident, pk: int) -> IndicatorSuggestion:
    found = IndicatorSuggestion.objects.select_for_update().filter(incident=incident, pk=pk).first()
    if found is None:
        raise Conflict("suggestion_unknown", _("This suggestion is not in this incident."))
    if found.status != SuggestionStatus.PENDING:
        raise Conflict("suggestion_decided", _("This suggestion was already decided."))
    return found


@transaction.atomic
def suggestion_accept(
    *, incident: Incident, actor: User, pk: int, tlp: str = Tlp.AMBER_STRICT
) -> IndicatorSuggestion:
    """The suggestion becomes an indicator of the incident (normalised by indicator_add)."""
    access.require(access.can_edit_incidents(actor), "accept suggested indicators")
    suggestion = _pending(incident, pk)
    indicator = indicator_add(
        incident=incident, actor=actor, kind=suggestion.kind, value=suggestion.value, tlp=tlp
    )
    return _decide(suggestion, actor, SuggestionStatus.ACCEPTED, indicator)


@transaction.atomic
def suggestion_reject(*, incident: Incident, actor: User, pk: int) -> IndicatorSuggestion:
    """Not an indicator: kept as REJECTED so that it is not suggested again."""
    access.require(access.can_edit_incidents(actor), "reject suggested indicators")
    return _decide(_pending(incident, pk), actor, SuggestionStatus.REJECTED, None)


def _decide(
    suggestion: IndicatorSuggestion, actor: User, status: str, indicator: Indicator | None
) -> IndicatorSuggestion:
    suggestion.status = status
    suggestion.decided_by = actor
    suggestion.decided_at = clock.now()
    suggestion.indicator = indicator
    try:
        suggestion.save(
            update_fields=["status", "decided_by", "decided_at", "indicator", "updated_at"]
        )
    except IntegrityError as exc:  # pragma: no cover - the row is locked above
        raise Conflict("suggestion_decided", _("This suggestion was already decided.")) from exc
    timeline_append(
        incident=suggestion.incident,
        kind=f"indicator.suggestion_{status.lower()}",
        actor=actor,
        payload={"kind": suggestion.kind, "value": suggestion.value},
    )
    return suggestion


def pending_of(incident: Incident) -> list[IndicatorSuggestion]:
    """The suggestions waiting for a person, in the order they were found."""
    return list(
        IndicatorSuggestion.objects.filter(
            incident=incident, status=SuggestionStatus.PENDING
        ).order_by("pk")
    )
