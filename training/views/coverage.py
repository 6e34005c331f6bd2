"""The coverage page and its CSV for the ISMS audit, and the readiness hub."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from training import access, selectors
from training.forms import CoverageFilterForm
from training.selectors.coverage import CoverageView
from training.views.common import csv_download, require_role


def _view(request: HttpRequest) -> tuple[CoverageFilterForm, CoverageView]:
    require_role(access.can_read(request.user))
    form = CoverageFilterForm(request.GET or None, courses=selectors.courses_of(request.user))
    course = on = None
    if form.is_valid():
        course, on = form.cleaned_data["course"], form.cleaned_data["on"]
    return form, selectors.coverage_report(user=request.user, course=course, on=on)


def bucket(percent: int) -> str:
    """The CSS width class of a bar (strict CSP: no inline style)."""
    return f"w{min(100, max(0, round(percent / 5) * 5))}"


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    form, view = _view(request)
    trend = [(day, percent, f"h{bucket(percent)[1:]}") for day, percent in view.trend]
    context = {
        "form": form,
        "view": view,
        "total": view.result.total,
        "population_rows": [
            (label, row, bucket(row.percent)) for label, row in view.population_rows
        ],
        "unit_rows": [(name, row, bucket(row.percent)) for name, row in view.unit_rows],
        "trend": trend,
        "querystring": request.GET.urlencode(),
    }
    return render(request, "training/coverage.html", context)


@login_required
def coverage_export(request: HttpRequest) -> HttpResponse:
    _form, view = _view(request)
    return csv_download(selectors.coverage_csv(view), f"coverage-{view.on.isoformat()}.csv")


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    require_role(access.can_read(request.user))
    view = selectors.coverage_report(user=request.user, trend=False)
    context = {
        "total": view.result.total,
        "bar": bucket(view.result.total.percent),
        "can_keep": access.can_keep_records(request.user),
        "can_run": access.can_run_exercises(request.user),
    }
    return render(request, "training/hub.html", context)
