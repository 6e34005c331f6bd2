"""People: the CSV import from HR (preview, then all or nothing) and single edits.

The import upserts by staff number: people already known are updated, new ones created, and
people missing from the file are left as they are (an HR export may cover one company only).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from common import clock
from common.csvio import RowError
from common.errors import Conflict, InvalidInput
from training import access
from training.enums import ImportKind, ImportStatus
from training.models import CsvImport, Person
from training.services.people_plan import PersonRow, PlanContext, people_plan


@transaction.atomic
def people_import_preview(
    *, organisation: Organisation, actor: User, data: bytes, filename: str = ""
) -> CsvImport:
    """Check the file and keep it for the import; nothing about people is written yet."""
    access.require(access.can_keep_records(actor), _("Only the ISMS office imports people."))
    plan = people_plan(organisation=organisation, data=data)
    units = PlanContext(organisation).unit_names if plan.rows else {}
    return CsvImport.objects.create(
        organisation=organisation,
        kind=ImportKind.PEOPLE,
        filename=filename[:255],
        content=data,
        encoding=plan.encoding,
        row_count=plan.row_count,
        summary=plan.summary(units),
        errors=[e.as_dict() for e in plan.errors],
        uploaded_by=actor,
    )


def lock_preview(csv_import: CsvImport, kind: str) -> CsvImport:
    locked = CsvImport.objects.select_for_update().get(pk=csv_import.pk)
    if locked.kind != kind:
        raise InvalidInput("wrong_import_kind", _("This upload is not of that kind."))
    if locked.status != ImportStatus.PREVIEWED:
        raise Conflict(
            "import_not_pending",
            _("This file was already imported or rejected."),
            status=locked.status,
        )
    return locked


def refuse(errors: list[RowError]) -> None:
    """All or nothing: one bad row refuses the whole file (400 with every row's error)."""
    raise InvalidInput(
        "import_has_errors",
        _("The file has errors; nothing was imported. Fix the rows and upload it again."),
        errors=[e.as_dict() for e in errors],
    )


@transaction.atomic
def people_import_apply(*, csv_import: CsvImport, actor: User) -> CsvImport:
    """Import every row of a previewed file, or none (the file is checked again first)."""
    access.require(access.can_keep_records(actor), _("Only the ISMS office imports people."))
    csv_import = lock_preview(csv_import, ImportKind.PEOPLE)
    organisation = csv_import.organisation
    plan = people_plan(organisation=organisation, data=bytes(csv_import.content))
    if plan.errors:
        refuse(plan.errors)
    _upsert(organisation, [row for row in plan.rows if row.action != "unchanged"])
    csv_import.status = ImportStatus.APPLIED
    csv_import.applied_at = clock.now()
    csv_import.summary = plan.summary(PlanContext(organisation).unit_names)
    csv_import.save(update_fields=["status", "applied_at", "summary", "updated_at"])
    return csv_import


def _upsert(organisation: Organisation, rows: list[PersonRow]) -> None:
    people = [
        Person(
            organisation=organisation,
            employee_no=row.employee_no,
            name=row.name[:200],
            email=row.email,
            population=row.population,
            unit_id=row.unit_id,
            start_date=row.start_date,
            left_on=row.left_on,
            user_id=row.user_id,
        )
        for row in rows
    ]
    Person.objects.bulk_create(
        people,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["organisation", "employee_no"],
        update_fields=[
            "name",
            "email",
            "population",
            "unit",
            "start_date",
            "left_on",
            "user",
            "updated_at",
        ],
    )


@transaction.atomic
def import_reject(*, csv_import: CsvImport, actor: User) -> CsvImport:
    """Discard a previewed file."""
    access.require(access.can_keep_records(actor), _("Only the ISMS office discards imports."))
    csv_import = lock_preview(csv_import, csv_import.kind)
    csv_import.status = ImportStatus.REJECTED
    csv_import.save(update_fields=["status", "updated_at"])
    return csv_import


# --- Single people --------------------------------------------------------------------------

EDITABLE = {
    "employee_no",
    "name",
    "email",
    "population",
    "unit",
    "start_date",
    "left_on",
    "user",
}


def _check_organisation(organisation_id: int, values: dict[str, Any]) -> None:
    for name in ("unit", "user"):
        value = values.get(name)
        if value is not None and value.organisation_id != organisation_id:
            raise InvalidInput(
                "not_in_organisation", _("Choose one of the organisation's own."), field=name
            )


@transaction.atomic
def person_create(*, organisation: Organisation, actor: User, **values: Any) -> Person:
    access.require(access.can_keep_records(actor), _("Only the ISMS office adds people."))
    unknown = set(values) - EDITABLE
    if unknown:
        raise InvalidInput("unknown_fields", _("Unknown fields."), fields=sorted(unknown))
    _check_organisation(organisation.pk, values)
    person = Person(organisation=organisation, **values)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, actor: User, changes: dict[str, Any]) -> Person:
    access.require(access.can_keep_records(actor), _("Only the ISMS office edits people."))
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidInput(
            "field_not_editable", _("These fields cannot be changed here."), fields=sorted(unknown)
        )
    _check_organisation(person.organisation_id, changes)
    person = Person.objects.select_for_update().get(pk=person.pk)
    for name, value in changes.items():
        setattr(person, name, value)
    person.full_clean()
    person.save()
    return person
