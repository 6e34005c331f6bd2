"""Reads of data sets, assessments, obligations and PPC reports, filtered to what the user may
see (an incident's records through the incident's visibility; 404 otherwise)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import User
from common import clock
from common.text import join_list
from incidents import selectors as incident_selectors
from incidents.models import Asset, Incident
from privacy import access
from privacy.models import AppiAssessment, DataSet, DataSetLeak, Obligation, PpcReport

OPEN, OVERDUE, ALL, MINE = "open", "overdue", "all", "mine"
VIEWS = (OPEN, OVERDUE, MINE, ALL)


def data_sets_of(user: User) -> QuerySet[DataSet]:
    if not access.can_read_inventory(user):
        return DataSet.objects.none()
    assets = Asset.objects.order_by("asset_tag")
    return DataSet.objects.filter(organisation_id=user.organisation_id).prefetch_related(
        Prefetch("hosted_on", queryset=assets), Prefetch("accessible_from", queryset=assets)
    )


def data_set_get(*, user: User, pk: object) -> DataSet:
    found = data_sets_of(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404
    return found


def assets_of(user: User) -> QuerySet[Asset]:
    return Asset.objects.filter(organisation_id=user.organisation_id).order_by("asset_tag")


def leaks_of(incident: Incident) -> QuerySet[DataSetLeak]:
    return DataSetLeak.objects.filter(incident=incident).select_related("data_set", "recorded_by")


def assessment_of(incident: Incident) -> AppiAssessment | None:
    return AppiAssessment.objects.filter(incident=incident).prefetch_related("data_sets").first()


def obligations_of(incident: Incident) -> QuerySet[Obligation]:
    return Obligation.objects.filter(incident=incident).select_related("incident", "closed_by")


def _obligations_visible_to(user: User) -> QuerySet[Obligation]:
    visible = incident_selectors.incidents_visible_to(user)
    return Obligation.objects.filter(incident__in=visible.values("pk")).select_related(
        "incident", "closed_by"
    )


def obligation_list(
    *, user: User, view: str = OPEN, exercise: bool | None = False
) -> QuerySet[Obligation]:
    """The obligations of the real incidents the user sees (an exercise's obligations stay on
    its incident's page, issue 18; None: both, to open one by id); ``mine`` = those of the
    user's roles."""
    rows = _obligations_visible_to(user)
    if exercise is not None:
        rows = rows.filter(
            incident_selectors.exercise_scope(exercise=exercise, prefix="incident__")
        )
    if view == ALL:
        return rows
    rows = rows.filter(status="OPEN")
    if view == OVERDUE:
        return rows.filter(due_at__lt=clock.now())
    if view == MINE:
        from incidents import access as incident_access

        return rows.filter(owner_role__in=incident_access.roles_of(user))
    return rows


def obligation_get(*, user: User, pk: object) -> Obligation:
    found = (
        obligation_list(user=user, view=ALL, exercise=None).filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class Inbox:
    obligations: list[Obligation]
    decisions: list  # type: ignore[type-arg]
    overdue: int


def legal_inbox(user: User) -> Inbox:
    """The legal/privacy officer's inbox: their open decisions and the open obligations of
    their roles, soonest due first."""
    from bcp.models import Decision

    rows = list(obligation_list(user=user, view=MINE).order_by("due_at", "soft_due_at", "id"))
    now = clock.now()
    decisions = list(
        Decision.objects.filter(
            incident_selectors.exercise_scope(prefix="incident__"),
            organisation_id=user.organisation_id,
            status="OPEN",
            assignee=user,
        ).select_related("incident")
    )
    return Inbox(
        obligations=rows,
        decisions=decisions,
        overdue=sum(1 for o in rows if o.due_at and o.due_at < now),
    )


def category_reasons(assessment: AppiAssessment | None) -> list[tuple[int, str]]:
    """A-2: each category of rule art. 7 that applies, with the reason the record gives (the
    data sets, the cause, the number of people)."""
    from django.utils.translation import gettext as _

    if assessment is None:
        return []
    sets = [s for s in assessment.data_sets.all() if s.contains_personal_data]

    def names(rows: list[DataSet]) -> str:
        return join_list(s.name for s in rows)

    reasons = {
        1: names([s for s in sets if s.sensitive_personal_data]),
        2: names([s for s in sets if s.financial_damage_risk]),
        3: assessment.get_cause_display(),
        4: _("%(n)s people in %(sets)s")
        % {"n": f"{sum(s.individuals_count for s in sets):,}", "sets": names(sets)},
    }
    return [(c, reasons.get(c, "")) for c in assessment.categories or []]


def ppc_reports_of(incident: Incident) -> dict[str, PpcReport]:
    return {r.version: r for r in PpcReport.objects.filter(incident=incident)}


def incidents_with_personal_data(user: User) -> QuerySet[Incident]:
    visible = incident_selectors.incidents_visible_to(user)
    return visible.filter(
        Q(appi_assessment__screening="REQUIRED") | Q(obligations__isnull=False)
    ).distinct()
