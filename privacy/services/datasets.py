"""The inventory of personal and confidential data: data sets, the assets that host them and
the assets that can reach them (A-0), CSV import and export (UTF-8 or Shift_JIS)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from common import csvio
from common.csvio import RowError
from common.errors import Conflict, InvalidInput
from incidents import access as incident_access
from incidents.models import Asset
from privacy import access, enums
from privacy.models import DataSet

FIELDS = (
    "name",
    "system",
    "contains_personal_data",
    "sensitive_personal_data",
    "financial_damage_risk",
    "individuals_count",
    "high_grade_encrypted",
    "processing_role",
    "entrusting_party",
    "confidentiality",
    "data_items",
)
LINKS = ("hosted_on", "accessible_from")

# CSV columns: canonical name → the headers it is read from (Japanese first, as exported).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("データセット名", "name"),
    "system": ("システム", "system"),
    "contains_personal_data": ("個人データ", "personal data", "contains_personal_data"),
    "sensitive_personal_data": ("要配慮個人情報", "sensitive", "sensitive_personal_data"),
    "financial_damage_risk": ("財産的被害のおそれ", "financial damage", "financial_damage_risk"),
    "individuals_count": ("本人の数", "individuals", "individuals_count"),
    "high_grade_encrypted": ("高度な暗号化", "encrypted", "high_grade_encrypted"),
    "processing_role": ("委託", "entrusted", "processing_role"),
    "entrusting_party": ("委託元", "entrusting party", "entrusting_party"),
    "confidentiality": ("機密区分", "confidentiality"),
    "data_items": ("データ項目", "data items", "data_items"),
    "hosted_on": ("保管先資産", "hosted on", "hosted_on"),
    "accessible_from": ("アクセス可能な資産", "accessible from", "accessible_from"),
}
REQUIRED = ("name",)
TRUE = {"1", "true", "yes", "y", "○", "〇", "有", "あり", "はい", "要", "済", "x", "✓"}
FALSE = {"", "0", "false", "no", "n", "×", "無", "なし", "いいえ", "-", "－"}


def _asset_tags(organisation_id: int, tags: list[str]) -> tuple[list[Asset], list[str]]:
    found = {
        a.asset_tag: a
        for a in Asset.objects.filter(organisation_id=organisation_id, asset_tag__in=tags)
    }
    return [found[t] for t in tags if t in found], [t for t in tags if t not in found]


def _check(values: dict[str, Any]) -> None:
    if "name" in values and not str(values["name"] or "").strip():
        raise InvalidInput("NAME_REQUIRED", gettext_lazy("Give the data set a name."), field="name")


def _links(data_set: DataSet, links: dict[str, list[Asset] | None]) -> None:
    for name in LINKS:
        assets = links.get(name)
        if assets is None:
            continue
        if any(a.organisation_id != data_set.organisation_id for a in assets):
            raise InvalidInput(
                "asset_not_in_organisation",
                gettext_lazy("Choose assets of the organisation."),
                field=name,
            )
        getattr(data_set, name).set(assets)
    # L3-b: a server that hosts personal or confidential data is a sensitive server; the
    # escalation rules read the hosting links through incidents.extensions.


@transaction.atomic
def data_set_save(
    *, organisation_id: int, actor: User, data_set: DataSet | None = None, **values: Any
) -> DataSet:
    """Create or change a data set (and its asset links when given)."""
    incident_access.require(access.can_write_inventory(actor), "edit data sets")
    _check(values)
    links = {name: values.pop(name) for name in LINKS if name in values}
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise InvalidInput(
            "field_not_editable", gettext_lazy("Unknown fields."), fields=sorted(unknown)
        )
    target = data_set or DataSet(organisation_id=organisation_id)
    for name, value in values.items():
        setattr(target, name, value.strip() if isinstance(value, str) else value)
    clash = DataSet.objects.filter(organisation_id=organisation_id, name=target.name)
    if clash.exclude(pk=target.pk).exists():
        raise Conflict(
            "DATA_SET_EXISTS", gettext_lazy("A data set of this name exists."), field="name"
        )
    target.full_clean(exclude=["organisation"])
    target.save()
    _links(target, links)
    return target


@transaction.atomic
def data_set_delete(*, data_set: DataSet, actor: User) -> None:
    incident_access.require(access.can_write_inventory(actor), "delete data sets")
    if data_set.leaks.exists() or data_set.assessments.exists():
        raise Conflict(
            "DATA_SET_IN_USE",
            gettext_lazy("An incident refers to this data set; it is kept."),
        )
    data_set.delete()


# --- CSV ----------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] | None = None


def _flag(value: str, line: int, column: str, errors: list[RowError]) -> bool:
    text = value.strip().lower()
    if text in TRUE:
        return True
    if text not in FALSE:
        errors.append(
            RowError(line, "not_a_flag", _("Write ○ or 1 for yes, leave empty for no."), column)
        )
    return False


def _choice(value: str, choices: Any, default: str, line: int, column: str, errors: list) -> str:
    text = value.strip()
    if not text:
        return default
    for code, label in choices.choices:
        if text.upper() == code or text == str(label):
            return code
    if choices is enums.ProcessingRole and text.lower() in TRUE:
        return enums.ProcessingRole.ENTRUSTED
    if choices is enums.ProcessingRole and text.lower() in FALSE:
        return enums.ProcessingRole.CONTROLLER
    errors.append(RowError(line, "invalid_choice", _("Unknown value: %(v)s") % {"v": text}, column))
    return default


def _row(line: int, cells: dict[str, str], errors: list[RowError]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": cells.get("name", "")[:200],
        "system": cells.get("system", "")[:200],
    }
    if not values["name"]:
        errors.append(RowError(line, "name_required", _("The name is empty."), "name"))
    for name in (
        "contains_personal_data",
        "sensitive_personal_data",
        "financial_damage_risk",
        "high_grade_encrypted",
    ):
        values[name] = _flag(cells.get(name, ""), line, name, errors)
    count = cells.get("individuals_count", "").replace(",", "").replace("人", "").strip() or "0"
    if count.isdigit() and int(count) <= 2_000_000_000:
        values["individuals_count"] = int(count)
    else:
        errors.append(
            RowError(line, "not_a_number", _("Write a whole number."), "individuals_count")
        )
    values["processing_role"] = _choice(
        cells.get("processing_role", ""),
        enums.ProcessingRole,
        "CONTROLLER",
        line,
        "processing_role",
        errors,
    )
    values["confidentiality"] = _choice(
        cells.get("confidentiality", ""),
        enums.Confidentiality,
        "CONFIDENTIAL",
        line,
        "confidentiality",
        errors,
    )
    values["entrusting_party"] = cells.get("entrusting_party", "")[:200]
    values["data_items"] = cells.get("data_items", "")[:500]
    return values


def _tags(text: str) -> list[str]:
    return [t for t in text.replace("；", ";").replace("、", ";").replace(" ", ";").split(";") if t]


@transaction.atomic
def data_sets_import(*, organisation_id: int, actor: User, data: bytes) -> ImportResult:
    """Create or update data sets by name from a CSV; every line is checked first, and a file
    with any problem changes nothing (the result lists the problems per line)."""
    incident_access.require(access.can_write_inventory(actor), "import data sets")
    try:
        table = csvio.read_table(
            data,
            required={k: COLUMNS[k] for k in REQUIRED},
            optional={k: v for k, v in COLUMNS.items() if k not in REQUIRED},
        )
    except csvio.CsvProblem as problem:
        return ImportResult(errors=problem.errors)
    errors: list[RowError] = []
    planned: list[tuple[dict[str, Any], dict[str, list[Asset]]]] = []
    seen: set[str] = set()
    for line, cells in table.rows:
        values = _row(line, cells, errors)
        if values["name"] in seen:
            errors.append(RowError(line, "duplicate_name", _("This name appears twice."), "name"))
        seen.add(values["name"])
        links: dict[str, list[Asset]] = {}
        for name in LINKS:
            if name in table.columns:
                assets, missing = _asset_tags(organisation_id, _tags(cells.get(name, "")))
                if missing:
                    errors.append(
                        RowError(
                            line,
                            "unknown_asset",
                            _("Unknown assets: %(tags)s") % {"tags": ", ".join(missing[:5])},
                            name,
                        )
                    )
                links[name] = assets
        planned.append((values, links))
    if errors:
        return ImportResult(errors=errors[:200])
    result = ImportResult(errors=[])
    existing = {d.name: d for d in DataSet.objects.filter(organisation_id=organisation_id)}
    for values, links in planned:
        found = existing.get(values["name"])
        data_set_save(
            organisation_id=organisation_id, actor=actor, data_set=found, **values, **links
        )
        if found is None:
            result.created += 1
        else:
            result.updated += 1
    return result


def export_rows(data_sets: Any) -> list[list[object]]:
    """The inventory in the columns the import reads (Japanese headers)."""
    header = [COLUMNS[name][0] for name in COLUMNS]
    rows: list[list[object]] = [header]
    for d in data_sets:
        rows.append(
            [
                d.name,
                d.system,
                "○" if d.contains_personal_data else "",
                "○" if d.sensitive_personal_data else "",
                "○" if d.financial_damage_risk else "",
                d.individuals_count,
                "○" if d.high_grade_encrypted else "",
                "○" if d.processing_role == enums.ProcessingRole.ENTRUSTED else "",
                d.entrusting_party,
                d.get_confidentiality_display(),
                d.data_items,
                ";".join(a.asset_tag for a in d.hosted_on.all()),
                ";".join(a.asset_tag for a in d.accessible_from.all()),
            ]
        )
    return rows
