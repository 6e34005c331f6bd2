"""The filtered lists behind the tiles, one keyset page at a time (``?after=<cursor>``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from common import clock, csvexport
from dashboard import forms, keyset, list_rows, registers
from dashboard.selectors import lists

ROWS: dict[str, Callable[..., str]] = {
    "incidents": list_rows.incidents,
    "reports": list_rows.reports,
    "decisions": list_rows.decisions,
    "tasks": list_rows.tasks,
    "alerts": list_rows.alerts,
}
WITH_NOW = {"decisions", "tasks"}


def _list(
    request: HttpRequest,
    *,
    name: str,
    form_class: type[forms.FilterForm],
    rows: Callable[..., QuerySet],
    ordering: keyset.Ordering,
    **extra: Any,
) -> HttpResponse:
    form = form_class(request.GET, user=request.user)
    queryset = rows(request.user, **extra, **form.filters())
    if request.GET.get("format") == "csv":  # the register: the same rows, every page of them
        ordered = queryset.order_by(*ordering.order_by())
        return csvexport.csv_response(
            csvexport.register_rows(registers.REGISTERS[name], ordered),
            filename=f"{name}-{clock.now():%Y%m%d}.csv",
            encoding=request.GET.get("encoding", ""),
        )
    page = keyset.paginate(queryset, ordering=ordering, cursor=request.GET.get("after", ""))
    now = clock.now()
    # The rows as Python-built HTML (dashboard.list_rows): the template engine cost most of
    # the page's time (issue 20).
    build = ROWS[name]
    rows_html = build(page.rows, now) if name in WITH_NOW else build(page.rows)
    context = {"form": form, "page": page, "tab": name, "now": now, "rows_html": rows_html}
    return render(request, f"dashboard/lists/{name}.html", context)


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    return _list(
        request,
        name="incidents",
        form_class=forms.IncidentFilterForm,
        rows=lists.incident_rows,
        ordering=lists.INCIDENTS,
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    return _list(
        request,
        name="reports",
        form_class=forms.ReportFilterForm,
        rows=lists.report_rows,
        ordering=lists.REPORTS,
    )


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    return _list(
        request,
        name="decisions",
        form_class=forms.DecisionFilterForm,
        rows=lists.decision_rows,
        ordering=lists.DECISIONS,
        now=clock.now(),
    )


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    return _list(
        request,
        name="tasks",
        form_class=forms.TaskFilterForm,
        rows=lists.task_rows,
        ordering=lists.TASKS,
        now=clock.now(),
    )


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    return _list(
        request,
        name="alerts",
        form_class=forms.AlertFilterForm,
        rows=lists.alert_rows,
        ordering=lists.ALERTS,
    )
