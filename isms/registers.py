"""The register of corrective actions for the ISMS audit (ISO/IEC 27001 clause 10.2): the
columns of the CSV behind the list page, written through ``common.csvexport``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.csvexport import Column, local_time
from common.text import join_list


def _controls(action: object) -> str:
    return join_list(f"A.{control.id}" for control in action.controls.all())  # type: ignore[attr-defined]


CORRECTIVE_ACTIONS: list[Column] = [
    (_("Title"), lambda a: a.title),
    (_("Incident"), lambda a: a.incident.ref if a.incident_id else ""),
    (_("Owner"), lambda a: str(a.owner) if a.owner_id else ""),
    (_("Due"), lambda a: a.due_on.strftime("%Y/%m/%d") if a.due_on else ""),
    (_("Status"), lambda a: a.get_status_display()),
    (_("Annex A controls"), _controls),
    (_("Risk register entry"), lambda a: a.risk_reference),
    (_("Done"), lambda a: local_time(a.done_at)),
    (_("Description"), lambda a: a.description),
]
