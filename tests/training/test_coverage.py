"""Coverage lists exactly who lacks valid training, by population and department."""

from datetime import date

from django.urls import reverse

from training.selectors import coverage_csv, coverage_report
from training.services import courses

ON = date(2025, 11, 25)


def _pass(person, course, actor, day):
    courses.completion_record(
        person=person, course=course, actor=actor, completed_on=day, score=100
    )


def _cast(make_person, course, actor):
    """Nine people: four hold valid training, five do not, each for a different reason."""
    people = {
        "valid_employee": make_person("有効 社員", "EMPLOYEE"),
        "valid_dispatched": make_person("有効 派遣", "DISPATCHED", unit="営業部/第一課"),
        "valid_contractor": make_person("有効 請負", "CONTRACTOR", unit="開発部/第一課"),
        "valid_forever": make_person("有効 役員", "EXECUTIVE"),
        "never": make_person("未受講 派遣", "DISPATCHED", unit="営業部/第一課"),
        "expired": make_person("期限切れ 社員", "EMPLOYEE"),
        "failed": make_person("不合格 請負", "CONTRACTOR", unit="開発部/第一課"),
        "joiner": make_person("新入 社員", "EMPLOYEE", start=date(2025, 11, 10)),
        "future_completion": make_person("後日 社員", "EMPLOYEE"),
    }
    for key in ("valid_employee", "valid_dispatched", "valid_contractor", "valid_forever"):
        _pass(people[key], course, actor, date(2025, 5, 1))
    _pass(people["expired"], course, actor, date(2024, 5, 1))
    courses.completion_record(
        person=people["failed"],
        course=course,
        actor=actor,
        completed_on=date(2025, 5, 1),
        score=50,
    )
    _pass(people["future_completion"], course, actor, date(2025, 11, 26))
    # Not counted at all: someone who left, someone not yet started.
    make_person("退職 社員", "EMPLOYEE", left_on=date(2025, 10, 31))
    make_person("入社前 社員", "EMPLOYEE", start=date(2025, 12, 1))
    return people


def test_coverage_lists_exactly_who_lacks_valid_training(make_person, basics_course, isms_office):
    people = _cast(make_person, basics_course, isms_office)
    view = coverage_report(user=isms_office, on=ON)
    missing = {m.person.id for m in view.result.missing}
    assert missing == {
        people[k].pk for k in ("never", "expired", "failed", "joiner", "future_completion")
    }
    assert (view.result.total.required, view.result.total.covered) == (9, 4)
    by_population = {
        code: (row.required, row.covered) for code, row in view.result.by_population.items()
    }
    assert by_population == {
        "EMPLOYEE": (4, 1),
        "DISPATCHED": (2, 1),
        "CONTRACTOR": (2, 1),
        "EXECUTIVE": (1, 1),
    }
    by_unit = {name: (row.required, row.covered) for name, row in view.unit_rows}
    assert by_unit == {"総務部": (5, 2), "営業部/第一課": (2, 1), "開発部/第一課": (2, 1)}


def test_a_population_the_course_is_not_required_for_is_not_counted(
    make_person, organisation, isms_office
):
    course = courses.course_create(
        organisation=organisation,
        actor=isms_office,
        code="EXEC",
        title="経営層向け",
        required_for=["EXECUTIVE"],
        required_since=date(2025, 1, 1),
    )
    boss = make_person("社長", "EXECUTIVE")
    make_person("社員", "EMPLOYEE")
    view = coverage_report(user=isms_office, course=course, on=ON)
    assert [m.person.id for m in view.result.missing] == [boss.pk]
    assert view.result.total.required == 1


def test_the_trend_shows_coverage_at_each_month_end(make_person, basics_course, isms_office):
    a, b = make_person(), make_person()
    _pass(a, basics_course, isms_office, date(2025, 9, 10))
    _pass(b, basics_course, isms_office, date(2025, 10, 10))
    trend = dict(coverage_report(user=isms_office, on=ON).trend)
    assert (trend[date(2025, 8, 31)], trend[date(2025, 9, 30)], trend[ON]) == (0, 50, 100)
    assert len(trend) == 12


def test_csv_export_names_each_person_lacking_training(make_person, basics_course, isms_office):
    people = _cast(make_person, basics_course, isms_office)
    text = coverage_csv(coverage_report(user=isms_office, on=ON)).decode("utf-8-sig")
    assert people["never"].employee_no in text
    assert "未受講 派遣" in text
    assert "有効 社員" not in text


def test_coverage_page_and_export_for_the_isms_office(
    client, make_person, basics_course, isms_office
):
    people = _cast(make_person, basics_course, isms_office)
    client.force_login(isms_office)
    page = client.get(reverse("training:coverage"), {"on": "2025-11-25"})
    assert page.status_code == 200
    body = page.content.decode()
    for key in ("never", "expired", "failed", "joiner", "future_completion"):
        assert people[key].name in body
    assert "有効 派遣" not in body
    export = client.get(reverse("training:coverage_export"), {"on": "2025-11-25"})
    assert export["Content-Type"].startswith("text/csv")
    assert "未受講 派遣" in export.content.decode("utf-8-sig")


def test_coverage_needs_a_readiness_role(client, reporter):
    client.force_login(reporter)
    assert client.get(reverse("training:coverage")).status_code == 403
