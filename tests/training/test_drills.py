"""Phishing drills: recipients, the results import, rates, follow-ups, and the readiness of a
person for the incident room."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from common.errors import InvalidInput
from tests.factories import UserFactory
from training.models import Assignment, DrillRecipient
from training.selectors import drill_results, person_readiness
from training.services import courses, drills

JST = ZoneInfo("Asia/Tokyo")
SENT = datetime(2025, 10, 1, 9, 0, tzinfo=JST)
RESULTS = (
    "社員番号,開封,クリック,情報入力,報告\n"
    "E1,2025/10/01 09:05,2025/10/01 09:06,2025/10/01 09:07,\n"  # fell for it
    "E2,2025/10/01 09:10,,,2025/10/01 09:20\n"  # opened, reported after 20 min
    "E3,,,,2025/10/01 09:40\n"  # reported without opening, after 40 min
    "E4,はい,1,,\n"  # clicked, times unknown
    "E5,,,,\n"  # ignored it
)


@pytest.fixture
def staff(make_person):
    return {n: make_person(f"社員{n}", employee_no=f"E{n}") for n in range(1, 6)}


@pytest.fixture
def drill(organisation, isms_office, staff, basics_course):
    return drills.drill_create(
        organisation=organisation,
        actor=isms_office,
        title="請求書を装った訓練メール",
        scenario="差出人: 経理部 / 件名: 【至急】請求書",
        sent_at=SENT,
    )


def _import(drill, actor, text, encoding="utf-8"):
    preview = drills.drill_results_preview(drill=drill, actor=actor, data=text.encode(encoding))
    return preview, lambda: drills.drill_results_apply(csv_import=preview, actor=actor)


def test_a_new_drill_goes_to_every_active_person(drill, staff):
    assert drill.recipients.count() == 5
    assert drill.follow_up_course.code == "BASIC"  # the basic-behaviour course by default


def test_results_give_open_click_and_report_rates_and_time_to_report(drill, isms_office):
    _preview, apply = _import(drill, isms_office, RESULTS, "cp932")
    apply()
    results = drill_results(drill)
    assert (results.recipients, results.opened, results.clicked, results.entered_data) == (
        5,
        3,
        2,
        1,
    )
    assert (results.reported, results.report_rate) == (2, 40)
    assert results.median_minutes_to_report == 30.0
    e4 = DrillRecipient.objects.get(drill=drill, person__employee_no="E4")
    assert (e4.opened, e4.clicked, e4.clicked_at) == (True, True, None)


def test_people_who_clicked_get_a_follow_up_assignment(drill, isms_office, staff):
    _preview, apply = _import(drill, isms_office, RESULTS)
    with time_machine.travel(datetime(2025, 10, 2, 12, 0, tzinfo=JST), tick=False):
        apply()
    follow_ups = Assignment.objects.filter(drill=drill)
    assert {a.person.employee_no for a in follow_ups} == {"E1", "E4"}
    assert {(a.course.code, a.reason, a.due_on) for a in follow_ups} == {
        ("BASIC", "DRILL_FOLLOW_UP", date(2025, 11, 1))
    }


def test_passing_the_follow_up_course_closes_it(drill, isms_office, staff, basics_course):
    _preview, apply = _import(drill, isms_office, RESULTS)
    apply()
    courses.completion_record(
        person=staff[1],
        course=basics_course,
        actor=isms_office,
        completed_on=date(2025, 10, 20),
        score=90,
    )
    assert Assignment.objects.get(drill=drill, person=staff[1]).status == "DONE"
    assert Assignment.objects.get(drill=drill, person=staff[4]).status == "OPEN"


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("社員番号,クリック\nZ9,1\n", "unknown_person", 2),
        ("社員番号,クリック\nE1,1\nE1,\n", "duplicate", 3),
        ("社員番号,クリック\nE1,昨日の朝\n", "invalid_time", 2),
        ("社員番号,クリック\nE1,2025/09/30 12:00\n", "before_drill", 2),
        ("氏名,クリック\n社員1,1\n", "missing_columns", 1),
    ],
)
def test_bad_results_are_refused_row_by_row_and_nothing_is_written(
    drill, isms_office, text, code, line
):
    preview, apply = _import(drill, isms_office, text)
    assert [(e["code"], e["line"]) for e in preview.errors] == [(code, line)]
    with pytest.raises(InvalidInput):
        apply()
    assert not DrillRecipient.objects.filter(drill=drill, clicked=True).exists()
    assert not Assignment.objects.exists()


def test_results_can_name_people_by_email(drill, isms_office, make_person):
    outsider_to_drill = make_person("派遣 太郎", "DISPATCHED", email="haken@example.com")
    _preview, apply = _import(drill, isms_office, "メールアドレス,報告\nHAKEN@example.com,1\n")
    apply()
    assert DrillRecipient.objects.get(drill=drill, person=outsider_to_drill).reported


def test_readiness_of_the_person_who_opened_a_real_targeted_email(
    organisation, drill, isms_office, staff, basics_course
):
    account = UserFactory(organisation=organisation, email="e1@example.com")
    staff[1].user = account
    staff[1].save()
    courses.completion_record(
        person=staff[1],
        course=basics_course,
        actor=isms_office,
        completed_on=date(2025, 4, 1),
        score=85,
    )
    _preview, apply = _import(drill, isms_office, RESULTS)
    apply()
    readiness = person_readiness(account, on=date(2025, 11, 25))
    assert readiness.person == staff[1]
    assert (readiness.basics_valid, readiness.basics_valid_until) == (True, date(2026, 3, 31))
    assert (len(readiness.drills), readiness.drills_clicked, readiness.drills_reported) == (1, 1, 0)
    later = person_readiness(account, on=datetime(2026, 4, 2, 10, 0, tzinfo=JST))
    assert later.basics_valid is False
    html = render_to_string("training/partials/readiness.html", {"readiness": readiness})
    assert "社員1" in html and drill.title in html


def test_readiness_by_email_for_people_without_an_account(organisation, drill, make_person):
    contractor = make_person("請負 次郎", "CONTRACTOR", email="ukeoi@vendor.example")
    readiness = person_readiness("Ukeoi@Vendor.example", organisation_id=organisation.pk)
    assert readiness.person == contractor
    assert readiness.basics_valid is False
    assert person_readiness("nobody@example.com", organisation_id=organisation.pk) is None


def test_drill_pages_import_results_through_the_preview(client, drill, isms_office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(isms_office)
    assert client.get(reverse("training:drill_list")).status_code == 200
    upload = SimpleUploadedFile("results.csv", RESULTS.encode("cp932"))
    preview = client.post(
        reverse("training:drill_results_upload", args=[drill.pk]), {"file": upload}
    )
    assert preview.status_code == 302
    applied = client.post(preview["Location"] + "apply/")
    assert applied.status_code == 302
    page = client.get(reverse("training:drill_detail", args=[drill.pk]))
    assert "40%" in page.content.decode()
    assert Assignment.objects.filter(drill=drill).count() == 2
