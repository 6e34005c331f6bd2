"""The report to the PPC (個人情報保護委員会), pre-filled from the record.

The items are those of rule art. 8(1) as the PPC's form asks them. The app assembles and keeps
the text (速報, then 確報) and prints it; it does not submit anything to the PPC: the user
submits through the PPC's own form and records the receipt number on the 速報/確報 obligation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from bcp.models import Decision
from common.errors import InvalidInput
from incidents import access as incident_access
from incidents.models import Incident
from incidents.services.timeline import timeline_append
from privacy import access
from privacy.enums import Cause, ObligationKind, ReportVersion
from privacy.models import AppiAssessment, DataSetLeak, Obligation, PpcReport

ITEMS: tuple[tuple[str, Any], ...] = (
    ("summary", gettext_lazy("概要")),
    ("data_items", gettext_lazy("漏えい等が発生し又は発生したおそれがある個人データの項目")),
    (
        "individuals",
        gettext_lazy("漏えい等が発生し又は発生したおそれがある個人データに係る本人の数"),
    ),
    ("cause", gettext_lazy("原因")),
    ("secondary_damage", gettext_lazy("二次被害又はそのおそれの有無及びその内容")),
    ("individual_response", gettext_lazy("本人への対応の実施状況")),
    ("publication", gettext_lazy("公表の実施状況")),
    ("prevention", gettext_lazy("再発防止のための措置")),
    ("other", gettext_lazy("その他参考となる事項")),
)
KEYS = tuple(key for key, _label in ITEMS)


def _at(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y/%m/%d %H:%M") if value else ""


def prefill(incident: Incident) -> dict[str, str]:
    """What the record already knows, item by item ("" where it knows nothing)."""
    assessment = AppiAssessment.objects.filter(incident=incident).first()
    sets = list(assessment.data_sets.all()) if assessment else []
    leaks = list(DataSetLeak.objects.filter(incident=incident).select_related("data_set"))
    obligations = {o.kind: o for o in Obligation.objects.filter(incident=incident)}
    out = dict.fromkeys(KEYS, "")
    lines = [incident.title]
    if incident.description:
        lines.append(incident.description)
    if assessment and assessment.aware_at:
        lines.append(_("知った日時：%(at)s") % {"at": _at(assessment.aware_at)})
    for leak in leaks:
        lines.append(
            _("%(at)s %(set)s：%(kind)s")
            % {
                "at": _at(leak.observed_at),
                "set": leak.data_set.name,
                "kind": leak.get_kind_display(),
            }
        )
    out["summary"] = "\n".join(lines)
    out["data_items"] = "\n".join(
        f"{s.name}：{s.data_items}" if s.data_items else s.name
        for s in sets
        if s.contains_personal_data
    )
    if assessment and assessment.affected_individuals_estimate:
        out["individuals"] = _("%(n)s人（推計）") % {
            "n": f"{assessment.affected_individuals_estimate:,}"
        }
    if assessment and assessment.cause:
        out["cause"] = str(Cause(assessment.cause).label)
    notice = obligations.get(ObligationKind.INDIVIDUAL_NOTICE)
    if notice is not None and notice.status == "DONE":
        out["individual_response"] = _("%(at)s 本人通知済み") % {"at": _at(notice.done_at)}
    elif notice is not None and notice.status == "WAIVED":
        out["individual_response"] = notice.waived_reason
    announcement = (
        Decision.objects.filter(incident=incident, type="PUBLIC_ANNOUNCEMENT", status="DECIDED")
        .order_by("-decided_at")
        .first()
    )
    if announcement is not None:
        when, outcome = _at(announcement.decided_at), announcement.get_outcome_display()
        out["publication"] = f"{when} {outcome}：{announcement.rationale}"
    out["prevention"] = incident.recurrence_prevention
    if assessment and assessment.categories:
        out["other"] = _("施行規則7条該当号：%(c)s") % {
            "c": "、".join(f"{c}号" for c in assessment.categories)
        }
    return out


@dataclass(frozen=True)
class ReportView:
    version: str
    items: list[tuple[str, str, str, bool]]  # key, label, text, empty
    saved: PpcReport | None

    @property
    def empty(self) -> list[str]:
        return [label for _key, label, _text, empty in self.items if empty]


def report_view(incident: Incident, version: str) -> ReportView:
    """The report as it stands: legal's saved text, else (for the 確報) the 速報's, else the
    record's pre-fill — item by item, so a later fact still fills an item left empty."""
    saved = {r.version: r for r in PpcReport.objects.filter(incident=incident)}
    filled = prefill(incident)
    layers = [saved[v].items for v in (version, ReportVersion.SOKUHO) if v in saved]
    items = []
    for key, label in ITEMS:
        text = next((layer.get(key, "") for layer in layers if layer.get(key, "").strip()), "")
        text = text or filled.get(key, "")
        items.append((key, str(label), text, not text.strip()))
    return ReportView(version=version, items=items, saved=saved.get(version))


@transaction.atomic
def report_save(
    *, incident: Incident, actor: User, version: str, items: dict[str, str]
) -> PpcReport:
    incident_access.require(access.can_write_appi(actor), "edit the PPC report")
    if version not in ReportVersion.values:
        raise InvalidInput("invalid_choice", _("速報か確報を選んでください。"), field="version")
    unknown = set(items) - set(KEYS)
    if unknown:
        raise InvalidInput(
            "unknown_items", gettext_lazy("Unknown report items."), fields=sorted(unknown)
        )
    report, _created = PpcReport.objects.select_for_update().get_or_create(
        incident=incident, version=version
    )
    changed = sorted(k for k in items if report.items.get(k, "") != items[k])
    report.items = {**report.items, **{k: str(v)[:8000] for k, v in items.items()}}
    report.edited_by = actor
    report.save()
    if changed:
        timeline_append(
            incident=incident,
            kind="ppc_report.saved",
            actor=actor,
            payload={"version": version, "changed": changed},
        )
    return report
