"""The course pages: create a course, add a session, record attendance, see a person."""

from datetime import date

from django.urls import reverse

from training.models import Completion, Course


def test_isms_office_creates_a_course_adds_a_session_and_records_attendance(
    client, make_person, isms_office
):
    client.force_login(isms_office)
    created = client.post(
        reverse("training:course_list"),
        {
            "course-code": "BASIC",
            "course-title": "基本動作",
            "course-topics": ["TARGETED_EMAIL_BASICS"],
            "course-required_for": ["EMPLOYEE", "DISPATCHED"],
            "course-due_within_days": "30",
            "course-validity_months": "12",
            "course-pass_score": "80",
            "course-active": "on",
        },
    )
    course = Course.objects.get()
    assert created.status_code == 302
    assert course.required_for == ["EMPLOYEE", "DISPATCHED"]
    session = client.post(
        reverse("training:session_add", args=[course.pk]),
        {"session-held_on": "2025-06-02", "session-delivery": "BRIEFING"},
    )
    assert session.status_code == 302
    alice, bob = make_person("甲", employee_no="E1"), make_person("乙", employee_no="E2")
    recorded = client.post(session["Location"], {"lines": "E1, 90\nE2\t70\n"})
    assert recorded.status_code == 302
    assert dict(Completion.objects.values_list("person", "status")) == {
        alice.pk: "COMPLETED",
        bob.pk: "ATTENDED",
    }
    page = client.get(reverse("training:person_detail", args=[alice.pk]))
    assert page.status_code == 200
    assert "BASIC" in page.content.decode()


def test_unknown_staff_numbers_record_nothing(client, make_person, basics_course, isms_office):
    from training.services import courses

    session = courses.session_create(
        course=basics_course, actor=isms_office, held_on=date(2025, 6, 2), delivery="CLASSROOM"
    )
    make_person(employee_no="E1")
    client.force_login(isms_office)
    response = client.post(
        reverse("training:session_detail", args=[session.pk]), {"lines": "E1, 90\nZ9, 80"}
    )
    assert response.status_code == 400
    assert "Z9" in response.content.decode()
    assert Completion.objects.count() == 0


def test_readers_see_courses_but_cannot_create_them(client, basics_course, decision_maker):
    client.force_login(decision_maker)
    assert client.get(reverse("training:course_list")).status_code == 200
    assert client.get(reverse("training:hub")).status_code == 200
    refused = client.post(reverse("training:course_list"), {"course-code": "X"})
    assert refused.status_code == 403
