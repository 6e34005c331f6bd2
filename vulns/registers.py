"""The findings register: the columns of the CSV behind the findings list (``common.csvexport``,
which neutralises spreadsheet formulas)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.csvexport import Column, local_time

FINDINGS: list[Column] = [
    (_("Asset"), lambda f: str(f.asset)),
    (_("Vulnerability"), lambda f: f.advisory.vuln_id),
    (_("Title"), lambda f: f.advisory.title),
    (_("Severity"), lambda f: f.advisory.get_severity_display()),
    (_("CVSS"), lambda f: str(f.advisory.cvss_score) if f.advisory.cvss_score is not None else ""),
    (_("Known exploited (KEV)"), lambda f: _("Yes") if f.advisory.kev_listed else _("No")),
    (_("Software"), lambda f: str(f.software) if f.software_id else ""),
    (_("Status"), lambda f: f.get_status_display()),
    (_("Justification"), lambda f: f.get_justification_display() if f.justification else ""),
    (_("Found"), lambda f: local_time(f.found_at)),
    (_("Due"), lambda f: local_time(f.due_at)),
]
