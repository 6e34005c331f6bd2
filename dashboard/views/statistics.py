"""Statistics (security information provision): charts, their tables, and the CSV."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from common import clock, csvexport
from dashboard import forms
from dashboard.figures import statistics_figures
from dashboard.selectors import statistics as stats
from dashboard.selectors.scope import sees_statistics


def _read(request: HttpRequest) -> tuple[forms.PeriodForm, stats.Statistics]:
    if not sees_statistics(request.user):
        raise PermissionDenied
    form = forms.PeriodForm(request.GET or None)
    figures = stats.statistics(
        organisation_id=request.user.organisation_id, now=clock.now(), period=form.period()
    )
    return form, figures


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    form, figures = _read(request)
    context = {"form": form, "stats": figures, "figures": statistics_figures(figures)}
    return render(request, "dashboard/statistics.html", context)


@login_required
def statistics_csv(request: HttpRequest) -> HttpResponse:
    form, figures = _read(request)
    name = f"isms-csirt-statistics-{figures.since:%Y-%m}-{form.period()}m.csv"
    return csvexport.csv_download(stats.statistics_csv(figures), filename=name)
