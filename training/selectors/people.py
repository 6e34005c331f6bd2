"""Reads of people and the CSV export in the import's own format (a round trip)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import OrganisationUnit, User
from common.csvexport import csv_bytes
from training import access
from training.enums import Population
from training.models import Person

EXPORT_HEADER = [
    "社員番号",
    "氏名",
    "区分",
    "部署",
    "開始日",
    "メールアドレス",
    "アカウント",
    "退職日",
]
POPULATION_JA = {
    Population.EMPLOYEE: "社員",
    Population.DISPATCHED: "派遣",
    Population.CONTRACTOR: "請負",
    Population.EXECUTIVE: "役員",
}


def unit_paths(organisation_id: int) -> dict[int, str]:
    """Every unit's full path, 営業部/第一課, from one query (the tree is walked in memory)."""
    rows = {
        pk: (parent, name)
        for pk, parent, name in OrganisationUnit.objects.filter(
            organisation_id=organisation_id
        ).values_list("pk", "parent_id", "name")
    }

    def path(pk: int, depth: int = 0) -> str:
        parent, name = rows[pk]
        if parent is None or parent not in rows or depth > 20:
            return name
        return f"{path(parent, depth + 1)}/{name}"

    return {pk: path(pk) for pk in rows}


def people_of(user: User) -> QuerySet[Person]:
    if not access.can_read(user):
        return Person.objects.none()
    return (
        Person.objects.filter(organisation_id=user.organisation_id)
        .select_related("unit", "user")
        .order_by("name", "id")
    )


def person_get(*, user: User, pk: int) -> Person:
    person = people_of(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def people_csv(*, user: User, encoding: str = "utf-8") -> bytes:
    """Everyone, in the columns the import reads; Shift_JIS for older spreadsheet tools."""
    units = unit_paths(user.organisation_id) if user.organisation_id else {}
    rows = [EXPORT_HEADER] + [
        [
            p.employee_no,
            p.name,
            POPULATION_JA[p.population],
            units.get(p.unit_id, ""),
            p.start_date.strftime("%Y/%m/%d"),
            p.email,
            p.user.username if p.user else "",
            p.left_on.strftime("%Y/%m/%d") if p.left_on else "",
        ]
        for p in people_of(user)
    ]
    return csv_bytes(rows, encoding=encoding)
