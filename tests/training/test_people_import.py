"""The people CSV import: encodings, dates, per-row errors, and all or nothing."""

import codecs
from datetime import date

import pytest

from common.errors import Conflict, Forbidden, InvalidInput
from tests.factories import UserFactory
from training.enums import ImportStatus
from training.models import CsvImport, Person
from training.selectors import people_csv
from training.services import people

HEADER = "社員番号,氏名,区分,部署,開始日,メールアドレス\n"
GOOD = (
    HEADER + "E0001,山田 太郎,社員,総務部,2025/11/25,yamada@example.com\n"
    "H0001,佐藤 花子,派遣,営業部/第一課,2025-11-25,\n"
    "C0001,鈴木 一郎,請負,開発部/第一課,令和7年11月25日,suzuki@vendor.example\n"
    "X0001,高橋 社長,役員,総務部,平成31年4月1日,ceo@example.com\n"
)


def _import(organisation, actor, text, encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return people.people_import_preview(
        organisation=organisation, actor=actor, data=data, filename="people.csv"
    )


def _apply(preview, actor):
    return people.people_import_apply(csv_import=preview, actor=actor)


def _refused(organisation, actor, text, encoding="utf-8"):
    """Preview, then try to import: every bad file is refused and nothing is written."""
    preview = _import(organisation, actor, text, encoding)
    with pytest.raises(InvalidInput) as refused:
        _apply(preview, actor)
    assert refused.value.code == "import_has_errors"
    assert Person.objects.count() == 0
    preview.refresh_from_db()
    assert preview.status == ImportStatus.PREVIEWED
    return preview.errors


def _only(errors, code):
    assert [e["code"] for e in errors] == [code], errors
    return errors[0]


def test_utf8_file_with_every_date_format_is_imported(organisation, units, isms_office):
    preview = _import(organisation, isms_office, GOOD)
    assert preview.errors == []
    assert preview.encoding == "utf-8"
    assert preview.summary["create"] == 4
    _apply(preview, isms_office)
    got = {p.employee_no: p for p in Person.objects.select_related("unit")}
    assert got["E0001"].start_date == date(2025, 11, 25)
    assert got["H0001"].start_date == date(2025, 11, 25)
    assert got["C0001"].start_date == date(2025, 11, 25)
    assert got["X0001"].start_date == date(2019, 4, 1)
    assert (got["H0001"].population, got["H0001"].unit) == ("DISPATCHED", units["営業部/第一課"])
    assert (got["C0001"].population, got["C0001"].unit) == ("CONTRACTOR", units["開発部/第一課"])
    assert got["X0001"].population == "EXECUTIVE"


def test_utf8_with_bom_from_excel_is_read(organisation, units, isms_office):
    preview = _import(organisation, isms_office, codecs.BOM_UTF8 + GOOD.encode())
    assert (preview.encoding, preview.errors) == ("utf-8-sig", [])
    _apply(preview, isms_office)
    assert Person.objects.count() == 4


def test_shift_jis_file_is_detected_and_imported(organisation, units, isms_office):
    preview = _import(organisation, isms_office, GOOD.replace("\n", "\r\n"), "cp932")
    assert (preview.encoding, preview.errors) == ("cp932", [])
    _apply(preview, isms_office)
    assert Person.objects.get(employee_no="C0001").name == "鈴木 一郎"


def test_shift_jis_round_trip_changes_nothing(organisation, units, isms_office):
    _apply(_import(organisation, isms_office, GOOD, "cp932"), isms_office)
    exported = people_csv(user=isms_office, encoding="cp932")
    assert exported.decode("cp932").startswith("社員番号,氏名,区分,部署")
    again = _import(organisation, isms_office, exported)
    assert again.encoding == "cp932"
    assert (again.summary["create"], again.summary["update"], again.summary["unchanged"]) == (
        0,
        0,
        4,
    )


def test_a_line_in_another_encoding_is_named_and_nothing_is_imported(
    organisation, units, isms_office
):
    data = GOOD.encode("utf-8") + "S0002,伊藤 次郎,社員,総務部,2025/11/25,\n".encode("cp932")
    error = _only(_refused(organisation, isms_office, data), "wrong_encoding")
    assert error["line"] == 6
    assert "UTF-8" in error["message"]


def test_utf16_is_refused_with_a_clear_message(organisation, units, isms_office):
    errors = _refused(organisation, isms_office, GOOD.encode("utf-16"))
    assert _only(errors, "unsupported_encoding")["line"] == 0


def test_missing_columns_are_named(organisation, units, isms_office):
    text = "社員番号,氏名,部署\nE0001,山田 太郎,総務部\n"
    error = _only(_refused(organisation, isms_office, text), "missing_columns")
    assert error["line"] == 1
    assert "区分" in error["message"] and "開始日" in error["message"]


def test_english_headers_are_accepted(organisation, units, isms_office):
    text = (
        "employee_no,name,population,department,start_date\nE9,Jane Doe,employee,総務部,2025-1-6\n"
    )
    _apply(_import(organisation, isms_office, text), isms_office)
    assert Person.objects.get().population == "EMPLOYEE"


def test_duplicate_people_in_the_file_are_refused(organisation, units, isms_office):
    text = GOOD + "E0001,山田 太郎,社員,総務部,2025/11/25,other@example.com\n"
    error = _only(_refused(organisation, isms_office, text), "duplicate")
    assert (error["line"], error["column"]) == (6, "employee_no")
    assert "2" in error["message"]


def test_duplicate_email_in_the_file_is_refused(organisation, units, isms_office):
    text = GOOD + "E0002,山田 次郎,社員,総務部,2025/11/25,YAMADA@example.com\n"
    error = _only(_refused(organisation, isms_office, text), "duplicate")
    assert (error["line"], error["column"]) == (6, "email")


def test_unknown_department_is_refused(organisation, units, isms_office):
    text = HEADER + "E0001,山田 太郎,社員,人事部,2025/11/25,\n"
    error = _only(_refused(organisation, isms_office, text), "unknown_department")
    assert (error["line"], error["column"]) == (2, "department")
    assert "人事部" in error["message"]


def test_a_department_name_shared_by_two_units_needs_its_path(organisation, units, isms_office):
    text = HEADER + "E0001,山田 太郎,社員,第一課,2025/11/25,\n"
    _only(_refused(organisation, isms_office, text), "ambiguous_department")


@pytest.mark.parametrize(
    "value",
    ["2025/13/01", "平成32年1月1日", "令和0年1月1日", "来週", "2025/02/30"],
)
def test_dates_that_do_not_exist_are_refused(organisation, units, isms_office, value):
    text = HEADER + f"E0001,山田 太郎,社員,総務部,{value},\n"
    error = _only(_refused(organisation, isms_office, text), "invalid_date")
    assert (error["line"], error["column"]) == (2, "start_date")
    assert value in error["message"]


def test_unknown_population_is_refused(organisation, units, isms_office):
    text = HEADER + "E0001,山田 太郎,アルバイト,総務部,2025/11/25,\n"
    _only(_refused(organisation, isms_office, text), "unknown_population")


def test_every_bad_row_is_reported_at_once(organisation, units, isms_office):
    text = (
        HEADER + "E0001,山田 太郎,社員,人事部,2025/11/25,\n"
        "E0002,,社員,総務部,2025/11/25,\n"
        "E0003,伊藤 三郎,社員,総務部,明日,\n"
    )
    errors = _refused(organisation, isms_office, text)
    assert [(e["line"], e["code"]) for e in errors] == [
        (2, "unknown_department"),
        (3, "required"),
        (4, "invalid_date"),
    ]


def test_a_header_without_rows_is_refused(organisation, units, isms_office):
    _only(_refused(organisation, isms_office, HEADER), "no_rows")


def test_reimport_updates_changed_people_and_keeps_the_others(organisation, units, isms_office):
    _apply(_import(organisation, isms_office, GOOD), isms_office)
    changed = GOOD.replace("H0001,佐藤 花子,派遣,営業部/第一課", "H0001,佐藤 花子,請負,総務部")
    preview = _import(organisation, isms_office, changed)
    assert (preview.summary["create"], preview.summary["update"]) == (0, 1)
    _apply(preview, isms_office)
    person = Person.objects.get(employee_no="H0001")
    assert (person.population, person.unit) == ("CONTRACTOR", units["総務部"])
    assert Person.objects.count() == 4


def test_people_are_linked_to_their_account_by_email_or_username(organisation, units, isms_office):
    account = UserFactory(organisation=organisation, username="yamada", email="yamada@example.com")
    other = UserFactory(organisation=organisation, username="sato", email="")
    text = (
        "社員番号,氏名,区分,部署,開始日,メールアドレス,アカウント\n"
        "E0001,山田 太郎,社員,総務部,2025/11/25,yamada@example.com,\n"
        "H0001,佐藤 花子,派遣,総務部,2025/11/25,,sato\n"
    )
    _apply(_import(organisation, isms_office, text), isms_office)
    assert Person.objects.get(employee_no="E0001").user == account
    assert Person.objects.get(employee_no="H0001").user == other


def test_an_unknown_account_is_refused(organisation, units, isms_office):
    text = "社員番号,氏名,区分,部署,開始日,アカウント\nE1,山田 太郎,社員,総務部,2025/11/25,nobody\n"
    _only(_refused(organisation, isms_office, text), "unknown_account")


def test_a_file_is_imported_once(organisation, units, isms_office):
    preview = _import(organisation, isms_office, GOOD)
    _apply(preview, isms_office)
    with pytest.raises(Conflict):
        _apply(preview, isms_office)
    assert Person.objects.count() == 4


def test_rows_that_broke_since_the_preview_refuse_the_import(organisation, units, isms_office):
    preview = _import(organisation, isms_office, GOOD)
    units["開発部/第一課"].delete()
    with pytest.raises(InvalidInput):
        _apply(preview, isms_office)
    assert Person.objects.count() == 0


def test_only_the_isms_office_imports(organisation, units, reporter):
    with pytest.raises(Forbidden):
        _import(organisation, reporter, GOOD)
    assert CsvImport.objects.count() == 0
