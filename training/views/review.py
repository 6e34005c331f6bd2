"""The management review pack (ISO/IEC 27001 cl. 9.3): a print-friendly page in Japanese."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from training import access, readiness, selectors
from training.forms import ReviewPeriodForm
from training.selectors.review import review_pack
from training.views.common import require_role


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """The pack is for the management review, so it is always in Japanese."""
    require_role(access.can_read(request.user))
    end = selectors.today()
    initial = {"start": readiness.add_months(end, -12) + timedelta(days=1), "end": end}
    form = ReviewPeriodForm(request.GET or None, initial=initial)
    period = form.cleaned_data if form.is_valid() else initial
    with translation.override("ja"):
        pack = review_pack(user=request.user, start=period["start"], end=period["end"])
        return render(request, "training/review.html", {"form": form, "pack": pack})
