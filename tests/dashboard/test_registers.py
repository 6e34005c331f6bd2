"""The registers for the ISMS audit: each list page's rows as CSV with the page's filters and
the reader's permissions, UTF-8 with a BOM or Shift_JIS, every formula cell neutralised; and
every CSV the product writes is discovered here and goes through common.csvexport."""

from __future__ import annotations

import ast
import codecs
import csv
import inspect
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from common.csvexport import FORMULA_STARTS
from incidents.models import Task
from isms.models import CorrectiveAction

ROOT = Path(__file__).resolve().parents[2]
ATTACKS = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]
LISTS = {
    "incidents": "/dashboard/incidents/",
    "reports": "/dashboard/reports/",
    "decisions": "/dashboard/decisions/",
    "tasks": "/dashboard/tasks/",
    "alerts": "/dashboard/alerts/",
    "corrective actions": "/corrective-actions/",
}


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    data = response.content
    charset = "cp932" if "shift_jis" in response["Content-Type"] else "utf-8-sig"
    return list(csv.reader(io.StringIO(data.decode(charset), newline="")))


def _no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or _is_number(cell), (cell, row)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.fixture
def poisoned(organisation, seed, handler, deputy, isms_office):
    """One row per list whose free text is each formula attack in turn."""
    incidents = [seed.incidents(1, title=attack)[0] for attack in ATTACKS]
    seed.reports(len(ATTACKS))
    from incidents.models import Report

    for report, attack in zip(Report.objects.order_by("id"), ATTACKS, strict=False):
        report.subject, report.reporter_name = attack, attack
        report.save(update_fields=["subject", "reporter_name"])
    for incident, attack in zip(incidents, ATTACKS, strict=True):
        seed.decisions([incident], assignee=deputy, rationale=attack)
        task = seed.tasks(incident, 1, due_in=timedelta(hours=1))[0]
        Task.objects.filter(pk=task.pk).update(title=attack, completion_note=attack)
        alert = seed.alerts(1, on=incident)[0]
        alert.subject = attack
        alert.save(update_fields=["subject"])
        CorrectiveAction.objects.create(
            organisation=organisation,
            incident=incident,
            title=attack,
            description=attack,
            due_on=date(2027, 1, 31),
            created_by=isms_office,
        )
    return incidents


@pytest.mark.parametrize("encoding", ["", "shift_jis"])
@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_register_neutralises_formula_cells_in_either_encoding(
    as_user, isms_office, poisoned, name, encoding
):
    query = {"format": "csv", "encoding": encoding, "view": "all"}
    rows = _rows(as_user(isms_office).get(LISTS[name], query, HTTP_ACCEPT_LANGUAGE="ja"))
    assert len(rows) > 1
    _no_formula(rows)
    texts = {cell for row in rows for cell in row}
    assert "'=cmd|' /C calc'!A0" in texts  # kept, readable, but not run


def test_the_utf8_register_starts_with_a_bom_and_the_shift_jis_one_replaces_what_it_lacks(
    as_user, isms_office, seed
):
    seed.incidents(1, title="標的型メール🐟髙")
    client = as_user(isms_office)
    utf8 = client.get("/dashboard/incidents/", {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="ja")
    sjis = client.get(
        "/dashboard/incidents/", {"format": "csv", "encoding": "shift_jis"},
        HTTP_ACCEPT_LANGUAGE="ja",
    )  # fmt: skip
    assert utf8.content.startswith(codecs.BOM_UTF8)
    assert "標的型メール🐟髙" in utf8.content.decode("utf-8-sig")
    assert sjis["Content-Type"] == "text/csv; charset=shift_jis"
    text = sjis.content.decode("cp932")
    assert "管理番号" in text and "標的型メール?髙" in text
    assert 'attachment; filename="incidents-' in sjis["Content-Disposition"]


def test_the_list_filters_apply_to_the_register(as_user, isms_office, seed):
    seed.incidents(2, level=1)
    high = seed.incidents(1, level=3)[0]
    rows = _rows(as_user(isms_office).get("/dashboard/incidents/", {"format": "csv", "level": "3"}))
    assert [row[0] for row in rows[1:]] == [high.ref]


def test_a_register_holds_only_what_the_list_shows_the_reader(
    as_user, organisation, seed, outsider, handler
):
    seed.incidents(3)
    assert len(_rows(as_user(outsider).get("/dashboard/incidents/", {"format": "csv"}))) == 1
    mine = _rows(as_user(handler).get("/dashboard/incidents/", {"format": "csv"}))
    page = as_user(handler).get("/dashboard/incidents/")
    assert len(mine) - 1 == len(page.context["page"].rows)


def test_each_list_page_links_its_register_in_both_encodings(as_user, isms_office):
    client = as_user(isms_office)
    for path in LISTS.values():
        text = client.get(path, {"level": "2"} if "incidents" in path else {}).text
        assert 'id="register-downloads"' in text, path
        assert "format=csv" in text and "encoding=shift_jis" in text


# --- Every CSV writer of the product, discovered ---------------------------------------------

APPS = ("accounts", "bcp", "comms", "common", "dashboard", "incidents", "isms", "notifications",
        "privacy", "records", "risklevels", "training", "demo")  # fmt: skip
CSV_MARKERS = ("csv_response", "csv_download", "csv_bytes", "csv_text", "text/csv")


def test_only_common_csvexport_writes_csv():
    writers = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                name = getattr(node, "attr", None)
                if name in ("writer", "DictWriter") and getattr(node.value, "id", "") == "csv":
                    writers.append(str(path.relative_to(ROOT)))
    assert writers == ["common/csvexport.py"]


def test_only_common_csvexport_answers_with_text_csv():
    answering = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "text/csv" in path.read_text()
    ]
    assert answering == ["common/csvexport.py"]


def _views():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    return list(walk(get_resolver().url_patterns))


def _writes_csv(callback) -> bool:
    try:
        source = inspect.getsource(inspect.unwrap(callback))
    except (OSError, TypeError):
        return False
    return any(marker in source for marker in CSV_MARKERS) or "return _list(" in source


# Each CSV-writing view and the test that feeds it formula cells.
COVERED = {
    "dashboard/incidents/": "this file",
    "dashboard/reports/": "this file",
    "dashboard/decisions/": "this file",
    "dashboard/tasks/": "this file",
    "dashboard/alerts/": "this file",
    "corrective-actions/": "this file",
    "statistics.csv": "below and tests/common/test_csvexport.py",
    "training/people/export/": "tests/training/test_csv_injection.py",
    "training/coverage/export/": "tests/training/test_csv_injection.py",
    "data-sets/export.csv": "below",
    "vulnerabilities/": "tests/vulns/test_pages.py",
}


def test_every_view_that_writes_csv_is_covered_by_an_injection_test():
    found = {route for route, callback in _views() if _writes_csv(callback)}
    assert found, "the discovery finds no CSV view"
    assert found - set(COVERED) == set(), sorted(found)


@pytest.mark.parametrize("encoding", ["", "shift_jis"])
def test_the_data_set_inventory_export_neutralises_every_formula_start(
    client, organisation, isms_office, encoding
):
    from tests.privacy.conftest import data_set

    for attack in ATTACKS:
        data_set(organisation, name=attack, system=attack)
    client.force_login(isms_office)
    rows = _rows(client.get("/data-sets/export.csv", {"encoding": encoding}))
    assert len(rows) == len(ATTACKS) + 1
    _no_formula(rows)


def test_the_statistics_export_has_no_cell_that_runs(client, isms_office, seed):
    seed.incidents(2)
    client.force_login(isms_office)
    _no_formula(_rows(client.get("/statistics.csv", HTTP_ACCEPT_LANGUAGE="ja")))
