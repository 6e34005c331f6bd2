"""The incident page (header, assets, mail, indicators, tasks, evidence)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from common import prg
from common.fold import PreparedFold
from incidents import access, correlation, facts, selectors
from incidents.forms.case import IncidentEditForm
from incidents.forms.records import (
    AffectedAssetAddForm,
    AffectedAssetUpdateForm,
    EvidenceUploadForm,
    IndicatorAddForm,
    IndicatorBlockForm,
    MailMessageAddForm,
    RelationAddForm,
    TaskCreateForm,
    TaskFinishForm,
)
from incidents.models import AffectedAsset, Incident
from incidents.services import transitions


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    """One incident list: the dashboard's, which has every filter. Old links keep working."""
    query = request.GET.urlencode() or "status=open"
    return HttpResponseRedirect(f"{reverse('dashboard:incidents')}?{query}")


def _asset_form(affected: AffectedAsset) -> AffectedAssetUpdateForm:
    initial = {
        "infection_state": affected.infection_state,
        "containment_state": affected.containment_state,
        "isolation_method": affected.isolation_method,
        "remediation_state": affected.remediation_state,
    }
    return AffectedAssetUpdateForm(initial=initial, auto_id=f"asset{affected.pk}_%s")


def _rows(
    items: Iterable[Model],
    bound: dict[str, forms.Form],
    key: str,
    make: Callable[[Any], forms.Form],
) -> list[tuple[Any, forms.Form]]:
    """Each item with its own small form; the one that failed keeps its input and errors."""
    return [(item, bound.get(f"{key}{item.pk}") or make(item)) for item in items]


# The page lists the first deliveries; the rest are one link away (dashboard:incident_deliveries,
# paged): a campaign of hundreds of recipients made the page a 300-row table (issue 20).
DELIVERIES_SHOWN = 20


def _mail(rows: list[Any]) -> dict[str, Any]:
    """The campaign's emails with their counters, and the totals (their sums: every delivery
    belongs to one of them), with the number of deliveries, blocked ones included."""
    totals = {name: sum(getattr(m, name) for m in rows) for name in facts.MAIL_COUNTERS}
    deliveries = sum(m.delivery_count for m in rows)
    return {
        "mail_messages": rows,
        "mail_totals": totals,
        "delivery_total": deliveries,
        "several_messages": len(rows) > 1,
    }


def _section_parts(incident_id: int) -> dict[str, QuerySet[Any]]:
    incident = Incident(pk=incident_id)
    return {
        "assets": selectors.affected_assets_of(incident),
        "deliveries": selectors.deliveries_of(incident)[:DELIVERIES_SHOWN],
        "mail": selectors.mail_messages_of(incident, with_delivery_count=True),
        "reports": selectors.incident_reports(incident),
        "indicators": selectors.indicators_of(incident),
        "tasks": selectors.tasks_of(incident),
    }


# The lists depend on the incident's id alone: their statement is compiled once per thread.
_SECTIONS = PreparedFold(_section_parts)


def _sections(incident: Incident, bound: dict[str, forms.Form]) -> dict[str, Any]:
    """The record below the header: each list with the forms that change it. The lists are
    read in one statement (``common.fold``, compiled once: issue 20)."""
    rows = _SECTIONS(incident.pk)
    return {
        "assets": _rows(rows["assets"], bound, "asset", _asset_form),
        "asset_add_form": bound.get("asset_add") or AffectedAssetAddForm(auto_id="asset_new_%s"),
        "deliveries": rows["deliveries"],
        **_mail(rows["mail"]),
        "message_form": bound.get("message_add") or MailMessageAddForm(auto_id="message_new_%s"),
        "relation_form": bound.get("relation_add") or RelationAddForm(auto_id="relation_new_%s"),
        "reports": rows["reports"],
        "indicators": _rows(
            rows["indicators"],
            bound,
            "indicator",
            lambda i: IndicatorBlockForm(auto_id=f"indicator{i.pk}_%s"),
        ),
        "indicator_form": bound.get("indicator_add") or IndicatorAddForm(auto_id="ind_new_%s"),
        "tasks": _rows(
            rows["tasks"],
            bound,
            "task",
            lambda t: TaskFinishForm(auto_id=f"task{t.pk}_%s"),
        ),
        "task_form": bound.get("task_add") or TaskCreateForm(auto_id="task_new_%s"),
        "evidence": selectors.evidence_of(incident),
        "evidence_form": bound.get("evidence") or EvidenceUploadForm(auto_id="evidence_%s"),
    }


# How each form of the page is built again from what was typed, by its key (without the row id).
REBUILD: dict[str, Callable[[Any, str], forms.Form]] = {
    "asset": lambda data, pk: AffectedAssetUpdateForm(data, auto_id=f"asset{pk}_%s"),
    "asset_add": lambda data, pk: AffectedAssetAddForm(data, auto_id="asset_new_%s"),
    "indicator": lambda data, pk: IndicatorBlockForm(data, auto_id=f"indicator{pk}_%s"),
    "indicator_add": lambda data, pk: IndicatorAddForm(data, auto_id="ind_new_%s"),
    "task": lambda data, pk: TaskFinishForm(data, auto_id=f"task{pk}_%s"),
    "task_add": lambda data, pk: TaskCreateForm(data, auto_id="task_new_%s"),
    "message_add": lambda data, pk: MailMessageAddForm(data, auto_id="message_new_%s"),
    "relation_add": lambda data, pk: RelationAddForm(data, auto_id="relation_new_%s"),
    # A file cannot wait in the session: the description and kind come back, unbound.
    "evidence": lambda data, pk: EvidenceUploadForm(initial=data.dict(), auto_id="evidence_%s"),
}


def _rebound(refused: prg.Refused | None) -> dict[str, forms.Form]:
    """The refused form of this page, bound again to what was typed, with its errors."""
    if refused is None:
        return {}
    name, pk = re.fullmatch(r"(\D+?)(\d*)", refused.key).groups()  # type: ignore[union-attr]
    build = REBUILD.get(name)
    if build is None:
        return {}  # a panel of another app (its template tag binds it from ``refused``)
    form = build(refused.data, pk)
    return {refused.key: refused.bind(form) if form.is_bound else form}


def incident_page(
    request: HttpRequest,
    incident: Incident,
    *,
    status: int = 200,
    error: str = "",
    refused: prg.Refused | None = None,
) -> HttpResponse:
    """Render the incident page; a refused form (``common.prg``) comes back with its input."""
    bound = _rebound(refused)
    if refused is not None and refused.key == "case":
        people = selectors.people_of(incident)
        bound["case"] = refused.bind(
            IncidentEditForm(refused.data, people=people, auto_id="case_%s")
        )
    context = {
        "incident": incident,
        "error": error,
        "can_edit": access.can_edit_incidents(request.user),
        "can_transition": access.can_transition(request.user),
        "can_reopen": access.can_reopen(request.user),
        "next_steps": transitions.next_steps(incident),
        "case_form": bound.get("case")
        or IncidentEditForm.for_incident(incident, selectors.people_of(incident)),
        "refused": refused,  # panels of other apps bind their refused form from here
        "relations": selectors.relations_of(incident, request.user),
        **_sections(incident, bound),
    }
    correlation.annotate_indicators(
        request.user, incident, [indicator for indicator, _ in context["indicators"]]
    )
    return render(request, "incidents/incident_detail.html", context, status=status)


def incident_url(incident: Incident, anchor: str = "") -> str:
    return reverse("incidents:incident_detail", args=[incident.ref]) + anchor


@login_required
def incident_detail(request: HttpRequest, ref: str) -> HttpResponse:
    incident = selectors.incident_get(user=request.user, ref=ref)
    return incident_page(request, incident, refused=prg.take(request))
