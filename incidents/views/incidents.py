"""The incident page (header, assets, mail, indicators, tasks, evidence)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from incidents import access, lifecycle, selectors
from incidents.forms.records import (
    AffectedAssetAddForm,
    AffectedAssetUpdateForm,
    EvidenceUploadForm,
    IndicatorAddForm,
    IndicatorBlockForm,
    TaskCreateForm,
    TaskFinishForm,
)
from incidents.models import AffectedAsset, Incident
from incidents.models.enums import IncidentStatus


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


def _sections(incident: Incident, bound: dict[str, forms.Form]) -> dict[str, Any]:
    """The record below the header: each list with the forms that change it."""
    return {
        "assets": _rows(selectors.affected_assets_of(incident), bound, "asset", _asset_form),
        "asset_add_form": bound.get("asset_add") or AffectedAssetAddForm(auto_id="asset_new_%s"),
        "deliveries": selectors.deliveries_of(incident),
        "reports": selectors.incident_reports(incident),
        "indicators": _rows(
            selectors.indicators_of(incident),
            bound,
            "indicator",
            lambda i: IndicatorBlockForm(auto_id=f"indicator{i.pk}_%s"),
        ),
        "indicator_form": bound.get("indicator_add") or IndicatorAddForm(auto_id="ind_new_%s"),
        "tasks": _rows(
            selectors.tasks_of(incident),
            bound,
            "task",
            lambda t: TaskFinishForm(auto_id=f"task{t.pk}_%s"),
        ),
        "task_form": bound.get("task_add") or TaskCreateForm(auto_id="task_new_%s"),
        "evidence": selectors.evidence_of(incident),
        "evidence_form": bound.get("evidence") or EvidenceUploadForm(auto_id="evidence_%s"),
        "timeline": selectors.timeline_of(incident),
    }


def incident_page(
    request: HttpRequest,
    incident: Incident,
    *,
    status: int = 200,
    error: str = "",
    bound: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    """Render the incident page; a failed form is passed in ``bound`` to keep its input."""
    targets = lifecycle.allowed_targets(incident.status)
    context = {
        "incident": incident,
        "error": error,
        "can_edit": access.can_edit_incidents(request.user),
        "can_transition": access.can_transition(request.user),
        "targets": [(t, IncidentStatus(t).label) for t in targets],
        "bound": bound or {},  # panels of other apps pick their failed form from here
        **_sections(incident, bound or {}),
    }
    return render(request, "incidents/incident_detail.html", context, status=status)


@login_required
def incident_detail(request: HttpRequest, ref: str) -> HttpResponse:
    return incident_page(request, selectors.incident_get(user=request.user, ref=ref))
