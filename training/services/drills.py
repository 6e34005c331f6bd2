"""Phishing drills: create one with its recipients, import the drill tool's results (preview,
then all or nothing), and give everyone who clicked a follow-up training assignment."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationUnit, User
from common import clock, csvio
from common.csvio import RowError
from common.errors import InvalidInput
from training import access
from training.enums import AssignmentReason, ImportKind, ImportStatus, Topic
from training.models import Course, CsvImport, DrillRecipient, Person, PhishingDrill
from training.services import courses
from training.services.people import lock_preview, refuse

ONLY_OFFICE = _("Only the ISMS office runs phishing drills.")
KEY_COLUMNS = {
    "employee_no": ("社員番号", "従業員番号", "employee_no", "staff_no"),
    "email": ("メールアドレス", "メール", "email", "e-mail", "recipient"),
}
EVENT_COLUMNS = {
    "opened": ("開封", "開封日時", "opened", "opened_at"),
    "clicked": ("クリック", "クリック日時", "clicked", "clicked_at"),
    "entered_data": ("情報入力", "入力", "入力日時", "entered_data", "submitted", "submitted_at"),
    "reported": ("報告", "報告日時", "reported", "reported_at"),
}
EVENTS = ("opened", "clicked", "entered_data", "reported")


def _default_follow_up(organisation: Organisation) -> Course | None:
    """The course that teaches the basic behaviour, else one on phishing."""
    active = Course.objects.filter(organisation=organisation, active=True).order_by("code")
    for topic in (Topic.TARGETED_EMAIL_BASICS, Topic.PHISHING):
        course = next((c for c in active if topic in (c.topics or [])), None)
        if course is not None:
            return course
    return None


@transaction.atomic
def drill_create(
    *,
    organisation: Organisation,
    actor: User,
    title: str,
    sent_at: datetime,
    scenario: str = "",
    follow_up_course: Course | None = None,
    follow_up_days: int = 30,
    populations: list[str] | None = None,
    units: list[OrganisationUnit] | None = None,
) -> PhishingDrill:
    """A drill and its recipients: the active people of the chosen populations and
    departments (everyone when none is chosen). The results import may add more."""
    access.require(access.can_keep_records(actor), ONLY_OFFICE)
    if follow_up_course is not None and follow_up_course.organisation_id != organisation.pk:
        raise InvalidInput("not_in_organisation", _("Choose one of the organisation's own."))
    drill = PhishingDrill(
        organisation=organisation,
        title=title,
        scenario=scenario,
        sent_at=sent_at,
        follow_up_course=follow_up_course or _default_follow_up(organisation),
        follow_up_days=follow_up_days,
        created_by=actor,
    )
    drill.full_clean()
    drill.save()
    people = Person.objects.filter(organisation=organisation).active(timezone.localdate(sent_at))
    if populations:
        people = people.filter(population__in=populations)
    if units:
        people = people.filter(unit__in=units)
    DrillRecipient.objects.bulk_create(
        [DrillRecipient(drill=drill, person_id=pk) for pk in people.values_list("pk", flat=True)]
    )
    return drill


# --- Results ----------------------------------------------------------------------------------


@dataclass
class ResultRow:
    line: int
    person_id: int
    values: dict[str, Any]


@dataclass
class ResultsPlan:
    encoding: str = ""
    row_count: int = 0
    rows: list[ResultRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            "recipients": len(self.rows),
            "opened": sum(r.values["opened"] for r in self.rows),
            "clicked": sum(r.values["clicked"] for r in self.rows),
            "reported": sum(r.values["reported"] for r in self.rows),
        }


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().lower()


def results_plan(*, drill: PhishingDrill, data: bytes) -> ResultsPlan:
    """Read the drill tool's CSV and check every row; writes nothing."""
    plan = ResultsPlan()
    try:
        table = csvio.read_table(data, required={}, optional={**KEY_COLUMNS, **EVENT_COLUMNS})
    except csvio.CsvProblem as problem:
        plan.errors = problem.errors
        return plan
    plan.encoding, plan.row_count = table.encoding, len(table.rows)
    if not set(KEY_COLUMNS) & set(table.columns):
        plan.errors.append(
            RowError(
                1,
                "missing_columns",
                gettext("Missing columns: %(columns)s.") % {"columns": "社員番号 / メールアドレス"},
            )
        )
        return plan
    people = Person.objects.filter(organisation_id=drill.organisation_id)
    by_number = dict(people.values_list("employee_no", "pk"))
    by_email = {_fold(e): pk for e, pk in people.exclude(email="").values_list("email", "pk")}
    tz = ZoneInfo(drill.organisation.time_zone)
    seen: dict[int, int] = {}
    for line, cells in table.rows:
        row, errors = _result_row(line, cells, drill, by_number, by_email, tz)
        if row is not None and row.person_id in seen:
            errors.append(
                RowError(
                    line,
                    "duplicate",
                    gettext("Duplicate of line %(first)s (same person).")
                    % {"first": seen[row.person_id]},
                )
            )
        if errors:
            plan.errors += errors
        elif row is not None:
            seen[row.person_id] = line
            plan.rows.append(row)
    if not table.rows:
        plan.errors.append(RowError(0, "no_rows", gettext("The file has a header but no rows.")))
    return plan


def _result_row(
    line: int,
    cells: dict[str, str],
    drill: PhishingDrill,
    by_number: dict[str, int],
    by_email: dict[str, int],
    tz: ZoneInfo,
) -> tuple[ResultRow | None, list[RowError]]:
    errors: list[RowError] = []
    number, email = cells.get("employee_no", ""), cells.get("email", "")
    person_id = by_number.get(number) if number else by_email.get(_fold(email))
    if person_id is None:
        errors.append(
            RowError(
                line,
                "unknown_person",
                gettext("%(value)s is not a person of the organisation.")
                % {"value": number or email or "—"},
                column="employee_no" if number else "email",
            )
        )
    values: dict[str, Any] = {}
    for event in EVENTS:
        try:
            flag, at = csvio.parse_flag_or_time(cells.get(event, ""), tz)
        except ValueError as exc:
            errors.append(RowError(line, "invalid_time", str(exc), column=event))
            continue
        if at is not None and at < drill.sent_at - timedelta(minutes=1):
            errors.append(
                RowError(
                    line,
                    "before_drill",
                    gettext("%(value)s is before the drill was sent.") % {"value": cells[event]},
                    column=event,
                )
            )
        values[event], values[f"{event}_at"] = flag, at
    if errors or person_id is None:
        return None, errors
    # The tool may leave out the earlier steps: entering data means clicking means opening.
    values["clicked"] = values["clicked"] or values["entered_data"]
    values["opened"] = values["opened"] or values["clicked"]
    return ResultRow(line, person_id, values), errors


@transaction.atomic
def drill_results_preview(
    *, drill: PhishingDrill, actor: User, data: bytes, filename: str = ""
) -> CsvImport:
    access.require(access.can_keep_records(actor), ONLY_OFFICE)
    plan = results_plan(drill=drill, data=data)
    return CsvImport.objects.create(
        organisation_id=drill.organisation_id,
        kind=ImportKind.DRILL_RESULTS,
        drill=drill,
        filename=filename[:255],
        content=data,
        encoding=plan.encoding,
        row_count=plan.row_count,
        summary=plan.summary(),
        errors=[e.as_dict() for e in plan.errors],
        uploaded_by=actor,
    )


@transaction.atomic
def drill_results_apply(*, csv_import: CsvImport, actor: User) -> PhishingDrill:
    """Write every result or none; then a follow-up assignment for each person who clicked."""
    access.require(access.can_keep_records(actor), ONLY_OFFICE)
    csv_import = lock_preview(csv_import, ImportKind.DRILL_RESULTS)
    drill = PhishingDrill.objects.select_for_update().get(pk=csv_import.drill_id)
    plan = results_plan(drill=drill, data=bytes(csv_import.content))
    if plan.errors:
        refuse(plan.errors)
    _write_results(drill, plan.rows)
    _follow_ups(drill, actor, [r.person_id for r in plan.rows if r.values["clicked"]])
    now = clock.now()
    drill.results_imported_at = now
    drill.save(update_fields=["results_imported_at", "updated_at"])
    csv_import.status, csv_import.applied_at = ImportStatus.APPLIED, now
    csv_import.save(update_fields=["status", "applied_at", "updated_at"])
    return drill


def _write_results(drill: PhishingDrill, rows: list[ResultRow]) -> None:
    fields = [*EVENTS, *(f"{e}_at" for e in EVENTS)]
    DrillRecipient.objects.bulk_create(
        [DrillRecipient(drill=drill, person_id=r.person_id, **r.values) for r in rows],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["drill", "person"],
        update_fields=fields,
    )


def _follow_ups(drill: PhishingDrill, actor: User, person_ids: list[int]) -> None:
    """Clicking the lure means the basic behaviour did not hold: train again, by a date."""
    if drill.follow_up_course is None:
        return
    due = timezone.localdate(clock.now()) + timedelta(days=drill.follow_up_days)
    for person in Person.objects.filter(pk__in=person_ids).order_by("pk"):
        courses.assignment_create(
            person=person,
            course=drill.follow_up_course,
            actor=actor,
            due_on=due,
            reason=AssignmentReason.DRILL_FOLLOW_UP,
            drill=drill,
        )
