"""Issue 12, item 3: no CSV the product writes carries a cell a spreadsheet would run.

``=cmd|' /C calc'!A0`` as a person's name (from the HR import or POST /api/v1/people/) was
written unchanged into /training/people/export/. Every CSV goes through
``common.csvexport``, which quotes text cells that begin like a formula.
"""

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from common import csvexport
from dashboard.selectors.statistics import DecisionKind, Month, Statistics, Timed, statistics_csv

PAYLOAD = "=cmd|' /C calc'!A0"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cells_of(content: bytes, encoding: str = "utf-8-sig") -> list[str]:
    rows = csv.reader(io.StringIO(content.decode(encoding), newline=""))
    return [cell for row in rows for cell in row]


def assert_no_cell_runs(cells: list[str]) -> None:
    risky = [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert not risky, f"cells a spreadsheet would run: {risky}"


# --- The helper -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [PAYLOAD, "+1+cmd", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd", "\t=1+1", "\r=1+1"],
)
def test_text_that_begins_like_a_formula_is_quoted(text):
    assert csvexport.safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["山田 太郎", "a=b", "PC-12", "2026/01/05", "", "'quoted"])
def test_other_text_is_written_as_it_is(text):
    assert csvexport.safe_cell(text) == text


@pytest.mark.parametrize("number", [-3, -2.5, 0, 42, 12.75])
def test_numbers_stay_numbers_even_negative_ones(number):
    assert csvexport.safe_cell(number) == number
    assert cells_of(csvexport.csv_bytes([[number]])) == [str(number)]


def test_empty_cells_and_dates_are_plain_text():
    assert csvexport.csv_text([[None, date(2026, 1, 5), True]]) == ",2026-01-05,True\r\n"


def test_utf8_has_a_byte_order_mark_and_shift_jis_has_none():
    assert csvexport.csv_bytes([["氏名"]]).startswith(b"\xef\xbb\xbf")
    assert csvexport.csv_bytes([["氏名"]], encoding="cp932") == "氏名\r\n".encode("cp932")


def test_no_module_of_the_product_writes_csv_but_the_shared_helper():
    writers = []
    for app in settings.INSTALLED_APPS:
        root = Path(settings.BASE_DIR) / app.split(".")[0]
        if not root.is_dir() or not (root / "__init__.py").exists():
            continue
        for path in root.rglob("*.py"):
            if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8")):
                writers.append(str(path.relative_to(settings.BASE_DIR)))
    assert writers == ["common/csvexport.py"]


# --- The statistics export (the people and coverage exports: tests/training) ---------------


def test_the_statistics_export_quotes_a_formula_label():
    month = Month(month=date(2026, 1, 1))
    timed = Timed(count=1, total=timedelta(hours=2))
    stats = Statistics(
        since=date(2026, 1, 1),
        months=[month],
        total=month,
        categories=[],
        decisions=[DecisionKind(type="X", label=PAYLOAD, timed=timed, late=0)],
    )
    cells = cells_of(statistics_csv(stats))
    assert "'" + PAYLOAD in cells
    assert_no_cell_runs(cells)


def test_the_statistics_page_export_has_no_cell_that_runs(client, isms_office):
    client.force_login(isms_office)
    response = client.get("/statistics.csv?months=3")
    assert response.status_code == 200
    assert_no_cell_runs(cells_of(response.content))
