"""The APPI assessment of an incident: rules A-0 … A-6 and T-1 (DOMAIN-MODEL §3.6, §3.9).

``incident_reassess`` runs after every fact of the incident changes (incidents' facts listener,
in the same transaction): A-0 screens the affected assets and the leaked data sets and opens the
APPI_REPORTABILITY decision for legal/privacy; A-1 starts the clock at the observed time of the
first qualifying fact (A-7: when any department learned it); A-2 derives the categories; A-3
the exemptions; A-4 creates the obligations and A-5 moves the final report's date when the
categories change. ``appi_decided`` applies legal's decision (A-6).
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from bcp.enums import DecisionStatus, Outcome, Recommendation
from bcp.models import Decision
from bcp.services import decisions
from common import clock
from common.prepared import Prepared
from incidents.models import AffectedAsset, Fact, FactKind, Incident
from incidents.models.enums import Tlp
from incidents.services.timeline import timeline_append
from privacy import clocks, enums
from privacy.enums import AppiStatus, Cause, LeakKind, ObligationKind, Screening
from privacy.models import AppiAssessment, DataSet, DataSetLeak, Obligation
from privacy.services import obligations

APPI_DECISION = "APPI_REPORTABILITY"
INFECTED = ("CONFIRMED", "COMPROMISED")
# A-1 (a), (d), (e): the kinds of data-set leak that start the clock (a credible notification).
CLOCK_KINDS = frozenset(LeakKind.values)


def assessment_of(incident: Incident) -> AppiAssessment:
    found, _created = AppiAssessment.objects.get_or_create(incident=incident)
    return found


def _affected(incident: Incident) -> QuerySet:
    """The incident's affected assets as a sub-query: a list of their ids in ``__in`` costs
    Django and PostgreSQL one parameter each (10 000 assets: half a second per re-evaluation,
    bench/README "make bench … session 7")."""
    return AffectedAsset.objects.filter(incident=incident).values("asset_id")


def _reach(incident: Incident) -> Q:
    """A-0: a data set hosted on an affected asset, or that one of them can reach."""
    affected = _affected(incident)
    return Q(hosted_on__in=affected) | Q(accessible_from__in=affected)


def _personal_sets(incident: Incident) -> list[DataSet]:
    """A-0: the personal-data sets the incident's assets host or can reach, and the ones it
    leaked: one query whatever the number of assets."""
    hosted_or_reached = Q(organisation_id=incident.organisation_id) & _reach(incident)
    return list(
        DataSet.objects.filter(contains_personal_data=True)
        .filter(hosted_or_reached | Q(leaks__incident=incident))
        .distinct()
    )


def _personal_asset_ids(incident: Incident) -> set[int]:
    """The affected assets that hold or can access personal data (A-0, A-1 b and c): one
    UNION of the three, each read on the incident's rows (the hosts and readers of a set are
    taken among the affected assets by the same join)."""
    own = AffectedAsset.objects.filter(
        incident=incident, asset__holds_personal_data=True
    ).values_list("asset_id", flat=True)
    personal = DataSet.objects.filter(
        organisation_id=incident.organisation_id, contains_personal_data=True
    )
    affected = _affected(incident)
    hosting = personal.filter(hosted_on__in=affected).values_list("hosted_on", flat=True)
    reaching = personal.filter(accessible_from__in=affected).values_list(
        "accessible_from", flat=True
    )
    # No part is ordered (SQLite refuses an ORDER BY inside a UNION; a data set has one).
    return set(own.order_by().union(hosting.order_by(), reaching.order_by()))


def _first_qualifying(incident: Incident, personal_assets: set[int]) -> tuple[datetime, str] | None:
    """A-1/A-7: the earliest observed time of a fact that makes a leak of personal data
    likely (おそれ), and which rule item it is."""
    found: list[tuple[datetime, str]] = []
    leak = (
        DataSetLeak.objects.filter(incident=incident, data_set__contains_personal_data=True)
        .exclude(kind=LeakKind.EXTERNAL_NOTIFICATION, credible=False)
        .order_by("observed_at")
        .values_list("observed_at", "kind")
        .first()
    )
    if leak is not None:
        found.append((leak[0], leak[1]))
    plain = (
        Fact.objects.filter(incident=incident, kind=FactKind.LEAK, data__personal_data=True)
        .exclude(data__has_key="data_set")  # those are the data-set leaks above
        .order_by("observed_at")
        .values_list("observed_at", flat=True)
        .first()
    )
    if plain is not None:
        found.append((plain, "A-1a"))
    if personal_assets:
        stealers = AffectedAsset.objects.filter(
            incident=incident, asset_id__in=personal_assets, malware_capability="INFO_STEALER"
        ).values_list("asset_id", flat=True)
        infection = (
            Fact.objects.filter(
                incident=incident,
                kind=FactKind.ASSET_INFECTION,
                asset_id__in=stealers,
                data__to__in=INFECTED,
            )
            .order_by("observed_at")
            .values_list("observed_at", flat=True)
            .first()
        )
        if infection is not None:
            found.append((infection, "A-1b"))
        # (c) confirmed traffic to a C2 from such an asset, unless blocked from the first try.
        comm = (
            Fact.objects.filter(
                incident=incident,
                kind=FactKind.EXTERNAL_COMM,
                asset_id__in=personal_assets,
                data__status="CONFIRMED",
            )
            .exclude(data__blocked=True)
            .exclude(data__c2="")
            .order_by("observed_at")
            .values_list("observed_at", flat=True)
            .first()
        )
        if comm is not None:
            found.append((comm, "A-1c"))
    return min(found) if found else None


def _trigger_cause(trigger: str) -> str:
    """A-2: a cyber attack for (a)–(d), what the kind says for (e)."""
    return enums.CAUSE_OF_KIND.get(trigger, Cause.CYBER_ATTACK)


def categories_of(sets: list[DataSet], cause: str) -> list[int]:
    """A-2: rule art. 7 nos. 1–4."""
    found = set()
    if any(s.sensitive_personal_data for s in sets):
        found.add(1)
    if any(s.financial_damage_risk for s in sets):
        found.add(2)
    if cause in enums.UNAUTHORISED_PURPOSE:
        found.add(3)
    if sum(s.individuals_count for s in sets) > 1000:
        found.add(4)
    return sorted(found)


def exemption_of(sets: list[DataSet]) -> str:
    """A-3: every affected set encrypted to a high standard, or every one entrusted to us."""
    if sets and all(s.high_grade_encrypted for s in sets):
        return enums.Exemption.HIGH_GRADE_ENCRYPTION
    if sets and all(s.processing_role == enums.ProcessingRole.ENTRUSTED for s in sets):
        return enums.Exemption.ENTRUSTED_NOTIFIED_CONTROLLER
    return enums.Exemption.NONE


def _force_red(incident: Incident, actor: User | None) -> None:
    """T-1: an incident linked to a personal-data set is TLP:RED."""
    if incident.tlp == Tlp.RED:
        return
    previous = incident.tlp
    Incident.objects.filter(pk=incident.pk).update(tlp=Tlp.RED)
    incident.tlp = Tlp.RED
    timeline_append(
        incident=incident,
        kind="incident.updated",
        actor=actor,
        payload={"field": "tlp", "from": previous, "to": Tlp.RED, "rule": "T-1"},
    )


def _open_decision(incident: Incident, actor: User | None, at: datetime, reason: str) -> None:
    exists = Decision.objects.filter(
        incident=incident,
        type=APPI_DECISION,
        status__in=[DecisionStatus.OPEN, DecisionStatus.DECIDED],
    ).exists()
    if not exists:
        decisions.decision_open(
            incident=incident,
            decision_type=APPI_DECISION,
            actor=actor,
            recommendation=Recommendation.NONE,
            opened_by_rule="A-0",
            reason=reason[:300],
            at=at,
        )


def _recommend(incident: Incident, assessment: AppiAssessment) -> None:
    """The open decision's recommendation: report when likely, not when exempt (A-3)."""
    if assessment.exemption == enums.Exemption.HIGH_GRADE_ENCRYPTION:
        wanted = Recommendation.DECLINE
    elif assessment.status == AppiStatus.LIKELY_REPORTABLE and assessment.categories:
        wanted = Recommendation.APPROVE
    else:
        wanted = Recommendation.NONE
    Decision.objects.filter(incident=incident, type=APPI_DECISION, status="OPEN").exclude(
        recommendation=wanted
    ).update(recommendation=wanted)


@transaction.atomic(savepoint=False)  # a facts listener: joins the fact's transaction (issue 20)
def incident_reassess(*, incident: Incident, actor: User | None, observed_at: datetime) -> None:
    """Rules A-0 … A-5 and T-1 after a fact observed at ``observed_at`` (the rules' "t")."""
    proof = _PROOF(incident.pk, incident.organisation_id)  # locks the assessment
    if proof and _moves_nothing(*proof[0]):  # issue 20
        return
    assessment = AppiAssessment.objects.select_for_update().filter(
        incident=incident
    ).first() or assessment_of(incident)
    before = _state(assessment)
    sets = {s.pk: s for s in _personal_sets(incident)}
    personal_assets = _personal_asset_ids(incident)
    # screening, once REQUIRED it stays so.
    if sets or personal_assets:
        assessment.data_sets.add(*sets.values())
        _force_red(incident, actor)
        if assessment.screening != Screening.REQUIRED:
            names = ", ".join(sorted(s.name for s in sets.values()))
            assessment.screening = Screening.REQUIRED
            assessment.screening_reason = (
                _("Personal data may be affected: %(sets)s") % {"sets": names}
                if names
                else _("An affected asset holds personal data.")
            )[:300]
            timeline_append(
                incident=incident,
                kind="appi.screened",
                actor=actor,
                payload={"screening": Screening.REQUIRED, "data_sets": sorted(sets), "rule": "A-0"},
            )
            _open_decision(incident, actor, observed_at, assessment.screening_reason)
    elif assessment.screening == Screening.NOT_SCREENED:
        assessment.screening = Screening.NOT_APPLICABLE
        assessment.screening_reason = _(
            "No affected asset holds or can reach personal data, and no personal data set is "
            "linked (rule A-0)."
        )[:300]
    all_sets = list(assessment.data_sets.all()) if assessment.pk else []
    _clock(incident, assessment, personal_assets, actor)
    _derive(incident, assessment, all_sets, actor)
    changed = [name for name, value in _state(assessment).items() if before[name] != value]
    if changed:  # a fact that moves nothing writes nothing (issue 20)
        assessment.save(update_fields=[*changed, "updated_at"])
    _recommend(incident, assessment)
    obligations_sync(incident, assessment, all_sets, actor)


def _inputs(incident: Incident) -> dict[str, Exists]:
    """Whether each thing A-0 … A-5 read exists for the incident, read with the lock."""
    personal = DataSet.objects.filter(
        organisation_id=incident.organisation_id, contains_personal_data=True
    )
    linked = AppiAssessment.data_sets.through.objects.filter(appiassessment=OuterRef("pk"))
    return {
        "reached_personal_set": Exists(personal.filter(_reach(incident))),
        "affected_personal_asset": Exists(
            AffectedAsset.objects.filter(incident=incident, asset__holds_personal_data=True)
        ),
        "linked_set": Exists(linked),
        "data_set_leak": Exists(DataSetLeak.objects.filter(incident=incident)),
        "leak_fact": Exists(Fact.objects.filter(incident=incident, kind=FactKind.LEAK)),
        "open_decision": Exists(
            Decision.objects.filter(
                incident=incident, type=APPI_DECISION, status=DecisionStatus.OPEN
            )
        ),
    }


def _moves_nothing(
    screening: str,
    aware_at: datetime | None,
    categories: list[int] | None,
    exemption: str,
    estimate: int,
    *inputs: bool,
) -> bool:
    """True when a reassessment would change nothing (issue 20: the common fact change, of an
    asset without personal data, in an incident without any). Screened already, no clock, no
    category, exemption or estimate, and none of the inputs exists: then A-0 finds no set and
    no asset, A-1 no qualifying fact, A-2/A-3 derive what is stored, no decision is open and
    A-4 has no clock to run."""
    return (
        screening != Screening.NOT_SCREENED
        and aware_at is None
        and not categories
        and exemption == enums.Exemption.NONE
        and estimate == 0
        and not any(inputs)
    )


def _proof_query(incident_id: int, organisation_id: int) -> QuerySet:
    """The assessment, locked, with whether each input exists: one statement, compiled once
    per thread (common.prepared)."""
    inputs = _inputs(Incident(pk=incident_id, organisation_id=organisation_id))
    stored = ("screening", "aware_at", "categories", "exemption", "affected_individuals_estimate")
    return (
        AppiAssessment.objects.select_for_update()
        .filter(incident_id=incident_id)
        .annotate(**inputs)
        .values_list(*stored, *inputs)
    )


_PROOF = Prepared(_proof_query)


def _state(assessment: AppiAssessment) -> dict[str, Any]:
    """The assessment's own columns (the moment of the last write apart)."""
    return {
        field.name: copy.copy(getattr(assessment, field.attname))
        for field in AppiAssessment._meta.concrete_fields
        if field.name not in ("id", "created_at", "updated_at")
    }


def _clock(
    incident: Incident, assessment: AppiAssessment, personal_assets: set[int], actor: User | None
) -> None:
    """A-1, A-7: the clock starts at the earliest qualifying fact's observed time."""
    first = _first_qualifying(incident, personal_assets)
    if first is None:
        return
    at, trigger = first
    if assessment.aware_at is not None and assessment.aware_at <= at:
        return
    previous = assessment.aware_at
    assessment.aware_at = at
    assessment.aware_trigger = trigger[:300]
    if assessment.status == AppiStatus.NOT_ASSESSED:
        assessment.status = AppiStatus.LIKELY_REPORTABLE
    if not assessment.cause_set_by_hand:
        assessment.cause = _trigger_cause(trigger)
    timeline_append(
        incident=incident,
        kind="appi.aware",
        actor=actor,
        payload={
            "aware_at": at.isoformat(),
            "previous": previous.isoformat() if previous else None,
            "trigger": trigger,
            "rule": "A-1",
        },
    )


def _derive(
    incident: Incident, assessment: AppiAssessment, sets: list[DataSet], actor: User | None
) -> None:
    """A-2 categories and A-3 exemption, from the linked sets and the cause."""
    personal = [s for s in sets if s.contains_personal_data]
    reported = sum(
        n or 0
        for n in DataSetLeak.objects.filter(incident=incident).values_list("individuals", flat=True)
    )
    assessment.affected_individuals_estimate = reported or sum(
        s.individuals_count for s in personal
    )
    categories = categories_of(personal, assessment.cause) if assessment.aware_at else []
    if categories != list(assessment.categories or []):
        timeline_append(
            incident=incident,
            kind="appi.categories",
            actor=actor,
            payload={"from": assessment.categories, "to": categories, "rule": "A-2"},
        )
        assessment.categories = categories
    assessment.exemption = exemption_of(personal)


APPI_REPORTS = (ObligationKind.PPC_SOKUHO, ObligationKind.PPC_KAKUHO)


def obligations_sync(
    incident: Incident, assessment: AppiAssessment, sets: list[DataSet], actor: User | None
) -> None:
    """A-3/A-4: create the obligations once the clock runs; A-5: move the dates."""
    if assessment.status not in (AppiStatus.LIKELY_REPORTABLE, AppiStatus.REPORTABLE):
        return
    aware, categories = assessment.aware_at, set(assessment.categories or [])
    if aware is None or not categories:
        return
    zone = incident.organisation.time_zone
    soft, due = clocks.sokuho(aware)
    kakuho = clocks.kakuho(aware, categories, zone)
    personal = [s for s in sets if s.contains_personal_data]
    entrusted = any(s.processing_role == enums.ProcessingRole.ENTRUSTED for s in personal)
    if entrusted:  # notify the entrusting party (the PPC route stays open by hand)
        obligations.obligation_ensure(
            incident=incident,
            kind=ObligationKind.NOTIFY_ENTRUSTING_PARTY,
            actor=actor,
            clock_start=aware,
            soft_due_at=soft,
            rule="A-3",
        )
    if assessment.exemption != enums.Exemption.NONE:
        return
    plan: list[tuple[str, dict[str, Any]]] = [
        (ObligationKind.PPC_SOKUHO, {"soft_due_at": soft, "due_at": due}),
        (ObligationKind.PPC_KAKUHO, {"soft_due_at": None, "due_at": kakuho}),
        # 本人通知: no fixed due; reminded at the preliminary report's soft due.
        (ObligationKind.INDIVIDUAL_NOTICE, {"soft_due_at": soft, "due_at": None}),
    ]
    if 3 in categories:
        plan += [
            (ObligationKind.POLICE_CONSULT, {"recommended": True}),
            (ObligationKind.IPA_NOTIFICATION, {"recommended": True}),
        ]
    for kind, dates in plan:
        obligation, created = obligations.obligation_ensure(
            incident=incident, kind=kind, actor=actor, clock_start=aware, rule="A-4", **dates
        )
        if not created and obligation.status == "OPEN" and "due_at" in dates:
            _reschedule(assessment, obligation, dates, actor)


def _reschedule(
    assessment: AppiAssessment,
    obligation: Obligation,
    dates: dict[str, Any],
    actor: User | None,
) -> None:
    """A-5: the same aware_at, new categories (or an earlier aware_at, A-7): new dates; a
    warning when the new due has already passed."""
    moved = obligations.obligation_reschedule(
        obligation,
        actor=actor,
        soft_due_at=dates["soft_due_at"],
        due_at=dates["due_at"],
        rule="A-5",
    )
    if moved and obligation.due_at is not None and obligation.due_at < clock.now():
        assessment.warning = (
            _("The new due time of %(kind)s has already passed: submit it now.")
            % {"kind": obligation.get_kind_display()}
        )[:300]
        AppiAssessment.objects.filter(pk=assessment.pk).update(warning=assessment.warning)
        timeline_append(
            incident=obligation.incident,
            kind="appi.warning",
            actor=actor,
            payload={"obligation": obligation.pk, "kind": obligation.kind, "rule": "A-5"},
        )


def appi_decided(decision: Any, actor: User) -> None:
    """A-6: APPROVED → REPORTABLE; DECLINED → NOT_REPORTABLE, every open APPI obligation
    WAIVED with the same rationale, and the decision maker ratifies the refusal."""
    incident = decision.incident
    assessment = assessment_of(incident)
    if decision.outcome == Outcome.APPROVED:
        _status_set(assessment, AppiStatus.REPORTABLE, actor)
        obligations_sync(incident, assessment, list(assessment.data_sets.all()), actor)
        return
    if decision.outcome != Outcome.DECLINED:
        return
    _status_set(assessment, AppiStatus.NOT_REPORTABLE, actor)
    for obligation in Obligation.objects.select_for_update().filter(
        incident=incident, status="OPEN", kind__in=enums.APPI_KINDS
    ):
        obligations.waive(obligation, actor, decision.rationale, rule="A-6")
    Decision.objects.filter(pk=decision.pk).update(
        requires_ratification=True, ratifying_role="DECISION_MAKER"
    )
    decision.requires_ratification, decision.ratifying_role = True, "DECISION_MAKER"


def _status_set(assessment: AppiAssessment, status: str, actor: User) -> None:
    """A-6's outcome on the assessment, on the timeline as old → new."""
    if assessment.status == status:
        return
    timeline_append(
        incident=assessment.incident,
        kind="appi.status",
        actor=actor,
        payload={"from": assessment.status, "to": status, "rule": "A-6"},
    )
    assessment.status = status
    assessment.save(update_fields=["status", "updated_at"])


@transaction.atomic
def assessment_update(
    *, incident: Incident, actor: User, cause: str | None = None, report_form: str | None = None
) -> AppiAssessment:
    """Legal sets the cause (A-2) or the report form; the categories and dates follow (A-5)."""
    from incidents import access as incident_access
    from privacy import access

    incident_access.require(access.can_write_appi(actor), "edit the APPI assessment")
    assessment = AppiAssessment.objects.select_for_update().get(pk=assessment_of(incident).pk)
    if cause is not None and cause != assessment.cause:
        timeline_append(
            incident=incident,
            kind="appi.cause",
            actor=actor,
            payload={"from": assessment.cause, "to": cause, "rule": "A-2"},
        )
        assessment.cause, assessment.cause_set_by_hand = cause, True
    if report_form is not None and report_form != assessment.report_form:
        timeline_append(
            incident=incident,
            kind="appi.report_form",
            actor=actor,
            payload={"from": assessment.report_form, "to": report_form},
        )
        assessment.report_form = report_form
    sets = list(assessment.data_sets.all())
    _derive(incident, assessment, sets, actor)
    assessment.save()
    _recommend(incident, assessment)
    obligations_sync(incident, assessment, sets, actor)
    return assessment


def on_facts_changed(*, incident: Incident, actor: Any, observed_at: datetime) -> None:
    incident_reassess(incident=incident, actor=actor, observed_at=observed_at)
