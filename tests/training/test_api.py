"""The readiness API: people and their CSV import, courses, sessions, completions, coverage,
drills and their results, the CSIRT-function map; roles, outsiders, and flat query counts."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts import services as accounts
from training.models import Assignment, Person

API = "/api/v1"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def office_api(api, isms_office):
    api.force_authenticate(isms_office)
    return api


def _csv(text, encoding="utf-8"):
    return SimpleUploadedFile("hr.csv", text.encode(encoding), content_type="text/csv")


def test_people_are_imported_through_preview_and_apply(office_api, units):
    text = "社員番号,氏名,区分,部署,開始日\nE1,山田 太郎,派遣,営業部/第一課,令和7年4月1日\n"
    preview = office_api.post(
        f"{API}/people/import/", {"file": _csv(text, "cp932")}, format="multipart"
    )
    assert preview.status_code == 201
    body = preview.json()
    assert (body["encoding"], body["errors"], body["summary"]["create"]) == ("cp932", [], 1)
    applied = office_api.post(f"{API}/csv-imports/{body['id']}/apply/")
    assert (applied.status_code, applied.json()["status"]) == (200, "APPLIED")
    people = office_api.get(f"{API}/people/", {"population": "DISPATCHED"}).json()["results"]
    assert [(p["name"], p["department"], p["start_date"]) for p in people] == [
        ("山田 太郎", "営業部/第一課", "2025-04-01")
    ]


def test_a_bad_file_is_refused_on_apply_with_every_row_error(office_api, units):
    text = (
        "社員番号,氏名,区分,部署,開始日\nE1,山田,社員,人事部,2025/4/1\nE1,山田,社員,総務部,昨日\n"
    )
    body = office_api.post(f"{API}/people/import/", {"file": _csv(text)}, format="multipart").json()
    assert [e["code"] for e in body["errors"]] == [
        "unknown_department",
        "invalid_date",
        "duplicate",
    ]
    refused = office_api.post(f"{API}/csv-imports/{body['id']}/apply/")
    assert (refused.status_code, refused.json()["code"]) == (400, "import_has_errors")
    assert len(refused.json()["details"]["errors"]) == 3
    assert Person.objects.count() == 0


def test_courses_sessions_completions_and_coverage(office_api, make_person):
    course = office_api.post(
        f"{API}/courses/",
        {
            "code": "BASIC",
            "title": "基本動作",
            "topics": ["TARGETED_EMAIL_BASICS"],
            "required_for": ["EMPLOYEE", "CONTRACTOR"],
            "required_since": "2025-01-01",
            "validity_months": 12,
            "pass_score": 80,
        },
        format="json",
    )
    assert course.status_code == 201, course.json()
    course_id = course.json()["id"]
    session = office_api.post(
        f"{API}/training-sessions/",
        {"course": course_id, "held_on": "2025-06-02", "delivery": "E_LEARNING"},
        format="json",
    ).json()
    passed, failed = make_person("合格 社員"), make_person("不合格 請負", "CONTRACTOR")
    for person, score in ((passed, 90), (failed, 40)):
        created = office_api.post(
            f"{API}/completions/",
            {
                "person": person.pk,
                "course": course_id,
                "session": session["id"],
                "completed_on": "2025-06-02",
                "score": score,
            },
            format="json",
        )
        assert created.status_code == 201
    coverage = office_api.get(f"{API}/training-coverage/", {"on": "2025-07-01"}).json()
    assert (coverage["total"]["required"], coverage["total"]["covered"]) == (2, 1)
    assert [m["name"] for m in coverage["missing"]] == ["不合格 請負"]
    readiness = office_api.get(f"{API}/people/{passed.pk}/readiness/").json()
    assert readiness["drills"] == [] and readiness["due"][0]["course_code"] == "BASIC"


def test_a_drill_import_assigns_follow_ups_to_those_who_clicked(
    office_api, make_person, basics_course
):
    clicker, reporter_ = (
        make_person("クリック", employee_no="E1"),
        make_person("報告", employee_no="E2"),
    )
    drill = office_api.post(
        f"{API}/phishing-drills/",
        {"title": "訓練メール", "sent_at": "2025-10-01T09:00:00+09:00"},
        format="json",
    )
    assert (drill.status_code, drill.json()["recipients"]) == (201, 2)
    drill_id = drill.json()["id"]
    text = "社員番号,クリック,報告\nE1,2025/10/01 09:03,\nE2,,2025/10/01 09:10\n"
    preview = office_api.post(
        f"{API}/phishing-drills/{drill_id}/results/", {"file": _csv(text)}, format="multipart"
    ).json()
    office_api.post(f"{API}/csv-imports/{preview['id']}/apply/")
    detail = office_api.get(f"{API}/phishing-drills/{drill_id}/").json()
    assert (detail["click_rate"], detail["report_rate"], detail["median_minutes_to_report"]) == (
        50,
        50,
        10.0,
    )
    assert list(Assignment.objects.values_list("person", flat=True)) == [clicker.pk]
    follow_ups = office_api.get(f"{API}/training-assignments/", {"person": clicker.pk}).json()
    assert follow_ups["results"][0]["reason"] == "DRILL_FOLLOW_UP"
    assert reporter_.pk not in {a["person"] for a in follow_ups["results"]}


def test_the_csirt_map_over_the_api(office_api):
    functions = office_api.get(f"{API}/csirt-functions/").json()
    assert len(functions) == 17
    changed = office_api.patch(
        f"{API}/csirt-functions/9/",
        {"mode": "PLUS_ALPHA_OUTSOURCED", "provider": "MDR株式会社", "step": 2},
        format="json",
    )
    assert (changed.status_code, changed.json()["provider"]) == (200, "MDR株式会社")
    refused = office_api.patch(
        f"{API}/csirt-functions/3/", {"mode": "PLUS_ALPHA_OUTSOURCED"}, format="json"
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "provider_required")
    assert office_api.post(f"{API}/csirt-functions/step/", {"step": 2}, format="json").json() == {
        "step": 2
    }


def test_readers_read_and_cannot_write(api, decision_maker, make_person):
    make_person()
    api.force_authenticate(decision_maker)
    assert api.get(f"{API}/people/").json()["results"]
    refused = api.post(f"{API}/courses/", {"code": "X", "title": "x"}, format="json")
    assert refused.status_code == 403
    assert (
        api.patch(f"{API}/csirt-functions/1/", {"mode": "NOT_PROVIDED"}, format="json").status_code
        == 403
    )


def test_outsiders_see_nothing(api, outsider, make_person):
    person = make_person()
    api.force_authenticate(outsider)
    assert api.get(f"{API}/people/").json()["results"] == []
    assert api.get(f"{API}/people/{person.pk}/").status_code == 404
    assert api.get(f"{API}/training-coverage/").status_code == 403


def test_a_read_only_api_key_lists_but_does_not_import(
    organisation, isms_office, make_person, units
):
    make_person()
    _key, secret = accounts.api_key_create(
        organisation=organisation, actor=isms_office, name="HR", scope="READ"
    )
    client = APIClient(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert client.get(f"{API}/people/").status_code == 200
    refused = client.post(f"{API}/people/import/", {"file": _csv("a,b\n")}, format="multipart")
    assert refused.status_code == 403


def test_the_people_list_costs_the_same_queries_for_ten_or_a_hundred(
    office_api, make_person, django_assert_max_num_queries
):
    for _ in range(10):
        make_person(start=date(2024, 1, 1))
    with django_assert_max_num_queries(8) as ten:
        office_api.get(f"{API}/people/")
    for _ in range(90):
        make_person(start=date(2024, 1, 1))
    with django_assert_max_num_queries(len(ten.captured_queries)):
        office_api.get(f"{API}/people/", {"page_size": 100})
