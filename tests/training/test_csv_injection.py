"""Issue 12, item 3: the training exports quote a name that begins like a formula."""

from datetime import date

import pytest

from common.csvio import read_table
from tests.common.test_csvexport import PAYLOAD, assert_no_cell_runs, cells_of
from training.models import Person
from training.selectors import people_csv


@pytest.fixture
def poisoned(make_person):
    return make_person(name=PAYLOAD, employee_no="-1+cmd")


@pytest.mark.parametrize("encoding", ["", "shift_jis"])
def test_the_people_export_quotes_a_formula_name(client, isms_office, poisoned, encoding):
    client.force_login(isms_office)
    response = client.get("/training/people/export/", {"encoding": encoding} if encoding else {})
    assert response.status_code == 200
    cells = cells_of(response.content, "cp932" if encoding else "utf-8-sig")
    assert "'" + PAYLOAD in cells
    assert "'-1+cmd" in cells
    assert_no_cell_runs(cells)


def test_an_exported_name_imports_back_unchanged(organisation, isms_office, poisoned):
    table = read_table(
        people_csv(user=isms_office),
        required={"employee_no": ["社員番号"], "name": ["氏名"]},
    )
    assert [(row["employee_no"], row["name"]) for _line, row in table.rows] == [("-1+cmd", PAYLOAD)]
    assert Person.objects.get().name == PAYLOAD


def test_the_coverage_export_quotes_a_formula_name(client, isms_office, poisoned, basics_course):
    client.force_login(isms_office)
    response = client.get("/training/coverage/export/", {"on": date.today().isoformat()})
    assert response.status_code == 200
    cells = cells_of(response.content)
    assert "'" + PAYLOAD in cells
    assert_no_cell_runs(cells)
