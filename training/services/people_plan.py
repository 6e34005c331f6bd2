"""Reading and checking a people CSV against the organisation: the plan of an import.

Nothing here writes. Every problem is a row error (line, column, message); the services in
``training.services.people`` keep the file, show the plan, and write it all or not at all.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext

from accounts.models import Organisation, User
from common import csvio
from common.csvio import RowError
from training.enums import Population
from training.models import Person
from training.selectors.people import unit_paths

REQUIRED_COLUMNS = {
    "employee_no": ("社員番号", "従業員番号", "職員番号", "社員ID", "employee_no", "staff_no"),
    "name": ("氏名", "名前", "name", "full_name"),
    "population": ("区分", "雇用区分", "種別", "population"),
    "department": ("部署", "所属", "部門", "department", "unit"),
    "start_date": ("開始日", "入社日", "着任日", "就業開始日", "start_date"),
}
OPTIONAL_COLUMNS = {
    "email": ("メールアドレス", "メール", "email", "e-mail"),
    "account": ("アカウント", "ユーザー名", "account", "username"),
    "left_on": ("退職日", "終了日", "契約終了日", "left_on", "end_date"),
}
POPULATION_WORDS = {
    Population.EMPLOYEE: ("社員", "正社員", "従業員", "職員", "employee"),
    Population.DISPATCHED: ("派遣", "派遣社員", "派遣労働者", "dispatched"),
    Population.CONTRACTOR: ("請負", "業務委託", "委託", "協力会社", "contractor"),
    Population.EXECUTIVE: ("役員", "経営者", "取締役", "executive"),
}
LABELS = {name: aliases[0] for name, aliases in {**REQUIRED_COLUMNS, **OPTIONAL_COLUMNS}.items()}
SAMPLE_ROWS = 100
FIELDS = ("name", "email", "population", "unit_id", "start_date", "left_on", "user_id")


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().lower()


POPULATIONS = {
    _fold(word): code for code, words in POPULATION_WORDS.items() for word in (*words, code)
}


@dataclass
class PersonRow:
    line: int
    employee_no: str
    name: str
    email: str
    population: str
    unit_id: int
    start_date: date
    left_on: date | None
    user_id: int | None
    action: str = "create"  # create / update / unchanged


@dataclass
class PeoplePlan:
    encoding: str = ""
    row_count: int = 0
    rows: list[PersonRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def summary(self, units: dict[int, str]) -> dict[str, Any]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for row in self.rows:
            counts[row.action] += 1
        sample = [
            {
                "line": r.line,
                "employee_no": r.employee_no,
                "name": r.name,
                "population": r.population,
                "department": units.get(r.unit_id, ""),
                "start_date": r.start_date.isoformat(),
                "action": r.action,
            }
            for r in self.rows[:SAMPLE_ROWS]
        ]
        return {**counts, "rows": sample}


class PlanContext:
    """What the rows are checked against: one query each, whatever the file's size."""

    def __init__(self, organisation: Organisation) -> None:
        self.unit_names = unit_paths(organisation.pk)
        self.by_path = {_unit_key(path): pk for pk, path in self.unit_names.items()}
        self.by_leaf: dict[str, list[int]] = {}
        for pk, path in self.unit_names.items():
            self.by_leaf.setdefault(_unit_key(path.rsplit("/", 1)[-1]), []).append(pk)
        users = User.objects.filter(organisation=organisation, is_active=True)
        self.users = {}
        for pk, username, email in users.values_list("pk", "username", "email"):
            self.users[_fold(username)] = pk
            if email:
                self.users.setdefault(_fold(email), pk)
        self.existing = {
            row[0]: row[1:]
            for row in Person.objects.filter(organisation=organisation).values_list(
                "employee_no", *FIELDS
            )
        }
        self.email_owner = {_fold(v[1]): k for k, v in self.existing.items() if v[1]}
        self.user_owner = {v[6]: k for k, v in self.existing.items() if v[6]}


def _unit_key(name: str) -> str:
    folded = _fold(name).replace("／", "/")
    return "/".join(part.strip() for part in folded.split("/"))


def people_plan(*, organisation: Organisation, data: bytes) -> PeoplePlan:
    """Read and check the file against the organisation; writes nothing."""
    plan = PeoplePlan()
    try:
        table = csvio.read_table(data, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS)
    except csvio.CsvProblem as problem:
        plan.errors = problem.errors
        return plan
    plan.encoding, plan.row_count = table.encoding, len(table.rows)
    context = PlanContext(organisation)
    seen: dict[tuple[str, str], int] = {}
    for line, cells in table.rows:
        row, errors = _row(line, cells, context)
        errors += _duplicates(line, cells, row, seen)
        if errors:
            plan.errors += errors
        elif row is not None:
            plan.rows.append(row)
    if not table.rows:
        plan.errors.append(RowError(0, "no_rows", gettext("The file has a header but no rows.")))
    return plan


def _row(
    line: int, cells: dict[str, str], context: PlanContext
) -> tuple[PersonRow | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(column: str, code: str, message: str) -> None:
        errors.append(RowError(line, code, message, column=column))

    employee_no, name = cells["employee_no"], cells["name"]
    for column in ("employee_no", "name", "population", "department", "start_date"):
        if not cells[column]:
            label = REQUIRED_COLUMNS[column][0]
            fail(column, "required", gettext("%(column)s is empty.") % {"column": label})
    population = POPULATIONS.get(_fold(cells["population"]))
    if cells["population"] and population is None:
        fail(
            "population",
            "unknown_population",
            gettext("%(value)s is not a population (社員, 派遣, 請負 or 役員).")
            % {"value": cells["population"]},
        )
    unit_id = _unit(cells["department"], context, fail) if cells["department"] else None
    start = _parse(cells["start_date"], "start_date", fail) if cells["start_date"] else None
    left_on = _parse(cells.get("left_on", ""), "left_on", fail) if cells.get("left_on") else None
    if start and left_on and left_on < start:
        fail("left_on", "left_before_start", gettext("The person leaves before they start."))
    email = cells.get("email", "")
    if email and "@" not in email:
        fail("email", "invalid_email", gettext("%(value)s is not an email.") % {"value": email})
    user_id = _user(employee_no, cells.get("account", ""), email, context, fail)
    if email and context.email_owner.get(_fold(email), employee_no) != employee_no:
        fail(
            "email",
            "email_taken",
            gettext("%(email)s belongs to staff number %(other)s.")
            % {"email": email, "other": context.email_owner[_fold(email)]},
        )
    if errors or population is None or unit_id is None or start is None:
        return None, errors
    row = PersonRow(line, employee_no, name, email, population, unit_id, start, left_on, user_id)
    row.action = _action(row, context)
    return row, errors


def _parse(value: str, column: str, fail: Any) -> date | None:
    try:
        return csvio.parse_date(value)
    except ValueError as exc:
        fail(column, "invalid_date", str(exc))
        return None


def _unit(value: str, context: PlanContext, fail: Any) -> int | None:
    key = _unit_key(value)
    if "/" in key:
        found = context.by_path.get(key)
        candidates = [found] if found else []
    else:
        candidates = context.by_leaf.get(key, [])
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        fail(
            "department",
            "ambiguous_department",
            gettext("%(value)s names several departments; write the full path (部/課).")
            % {"value": value},
        )
    else:
        fail(
            "department",
            "unknown_department",
            gettext("%(value)s is not a department of the organisation.") % {"value": value},
        )
    return None


def _user(
    employee_no: str, account: str, email: str, context: PlanContext, fail: Any
) -> int | None:
    existing = context.existing.get(employee_no)
    if account:
        user_id = context.users.get(_fold(account))
        if user_id is None:
            fail(
                "account",
                "unknown_account",
                gettext("%(value)s is not an account of the organisation.") % {"value": account},
            )
            return None
    elif existing and existing[6]:
        user_id = existing[6]
    else:
        user_id = context.users.get(_fold(email)) if email else None
        if user_id is not None and context.user_owner.get(user_id, employee_no) != employee_no:
            return None  # that account already belongs to someone else: leave unlinked
    owner = context.user_owner.get(user_id, employee_no) if user_id else employee_no
    if account and owner != employee_no:
        fail(
            "account",
            "account_taken",
            gettext("%(value)s is already linked to staff number %(other)s.")
            % {"value": account, "other": owner},
        )
        return None
    return user_id


def _duplicates(
    line: int, cells: dict[str, str], row: PersonRow | None, seen: dict[tuple[str, str], int]
) -> list[RowError]:
    errors = []
    keys = [("employee_no", cells["employee_no"]), ("email", _fold(cells.get("email", "")))]
    if row is not None and row.user_id:
        keys.append(("account", str(row.user_id)))
    for column, value in keys:
        if not value:
            continue
        first = seen.setdefault((column, value), line)
        if first != line:
            errors.append(
                RowError(
                    line,
                    "duplicate",
                    gettext("Duplicate of line %(first)s (same %(column)s).")
                    % {"first": first, "column": LABELS[column]},
                    column=column,
                )
            )
    return errors


def _action(row: PersonRow, context: PlanContext) -> str:
    before = context.existing.get(row.employee_no)
    if before is None:
        return "create"
    after = tuple(getattr(row, name) for name in FIELDS)
    return "unchanged" if tuple(before) == after else "update"
