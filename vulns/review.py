"""The vulnerability figures of the management review pack (ISO/IEC 27001 cl. 9.3, issue 23).

training builds the pack and never imports vulns: this selector is registered with
incidents.extensions at start-up. Open findings, the KEV-listed ones and those past due are
counted as they stand now; fixes, their mean time and risk acceptances over the period.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from vulns.enums import OPEN_STATUSES, FindingStatus, Severity
from vulns.models import Finding, FindingEvent


@dataclass(frozen=True)
class ReviewSection:
    title: str
    rows: list[tuple[str, str]]
    note: str = ""


def review_figures(
    organisation: Any, since: datetime, until: datetime, now: datetime
) -> ReviewSection:
    rows = Finding.objects.filter(organisation_id=organisation.pk)
    open_rows = rows.filter(status__in=OPEN_STATUSES)
    by_severity = open_rows.aggregate(
        **{s.value: Count("pk", filter=Q(advisory__severity=s.value)) for s in Severity},
        kev=Count("pk", filter=Q(advisory__kev_listed=True)),
        past_due=Count("pk", filter=Q(due_at__lt=now)),
    )
    fixes = FindingEvent.objects.filter(
        finding__organisation_id=organisation.pk,
        kind="finding.status",
        to_status=FindingStatus.FIXED,
        at__gte=since,
        at__lt=until,
    ).values_list("at", "finding__found_at")
    days = [(at - found).total_seconds() / 86400 for at, found in fixes]
    accepted_in_period = FindingEvent.objects.filter(
        finding__organisation_id=organisation.pk,
        kind="finding.risk_accepted",
        at__gte=since,
        at__lt=until,
    ).count()
    figures = [
        *(
            (_("Open findings: %(severity)s") % {"severity": s.label}, str(by_severity[s.value]))
            for s in Severity
        ),
        (_("Open findings known exploited (KEV)"), str(by_severity["kev"])),
        (_("Open findings past their due date"), str(by_severity["past_due"])),
        (_("Findings fixed in the period"), str(len(days))),
        (
            _("Mean time to fix"),
            _("%(days)s days") % {"days": f"{statistics.fmean(days):.1f}"} if days else "—",
        ),
        (_("Risk accepted in the period"), str(accepted_in_period)),
        (
            _("Findings whose risk is accepted"),
            str(rows.filter(status=FindingStatus.RISK_ACCEPTED).count()),
        ),
    ]
    return ReviewSection(
        title=_("Vulnerability handling"),
        rows=figures,
        note=_("Open findings, known exploited and past due are counted as of today."),
    )
