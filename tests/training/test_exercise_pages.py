"""The exercise pages: start from a sample, the room, decide and post facts, the report."""

from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from bcp.models import Decision
from training.models import Exercise

WALL = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)


def test_an_exercise_runs_from_the_pages(
    client, isms_office, csirt_lead, decision_maker, deputy, handler
):
    client.force_login(isms_office)
    with time_machine.travel(WALL, tick=False):
        started = client.post(
            reverse("training:exercise_list"),
            {
                "sample": "level1-isolate-to-level2-spread",
                "mode": "STEPPED",
                "starts_at": "2026-11-24T09:00",
            },
        )
        exercise = Exercise.objects.get()
        assert started.status_code == 302
        room = reverse("training:exercise_room", args=[exercise.pk])
        assert client.get(room).status_code == 200
        client.post(reverse("training:exercise_advance", args=[exercise.pk]), {"minutes": "75"})
        page = client.get(room).content.decode()
        assert "訓練" in page and "+1:15" in page
        escalate = Decision.objects.get(type="ESCALATE_LEVEL", status="OPEN")
        client.force_login(csirt_lead)
        decided = client.post(
            reverse("training:exercise_decide", args=[exercise.pk, escalate.pk]),
            {f"d{escalate.pk}-outcome": "APPROVED", f"d{escalate.pk}-rationale": "拡散"},
        )
        assert decided.status_code == 302
        escalate.refresh_from_db()
        assert escalate.outcome == "APPROVED"
        client.force_login(isms_office)
        client.post(
            reverse("training:exercise_inject", args=[exercise.pk]),
            {"kind": "note", "text": "報道機関から問い合わせ"},
        )
        assert exercise.injects.filter(text="報道機関から問い合わせ").exists()
        finished = client.post(
            reverse("training:exercise_control", args=[exercise.pk, "finish"]),
            {"findings": "IRT設置の判断が遅れた"},
        )
        assert finished.status_code == 302
    report = client.get(reverse("training:exercise_report", args=[exercise.pk]))
    body = report.content.decode()
    assert report.status_code == 200
    assert (
        "レベルを上げる" in body
        and "ESCALATE_LEVEL" not in body
        and "IRT設置の判断が遅れた" in body
    )


def test_readers_cannot_drive_an_exercise(client, isms_office, decision_maker, reporter):
    client.force_login(isms_office)
    client.post(reverse("training:exercise_list"), {"sample": "level3-leak", "mode": "STEPPED"})
    exercise = Exercise.objects.get()
    client.force_login(decision_maker)
    assert client.get(reverse("training:exercise_room", args=[exercise.pk])).status_code == 200
    refused = client.post(reverse("training:exercise_advance", args=[exercise.pk]), {"minutes": 5})
    assert refused.status_code == 403
    client.force_login(reporter)
    assert client.get(reverse("training:exercise_room", args=[exercise.pk])).status_code == 403


def test_the_rooms_inject_form_offers_every_kind_and_field_the_exercise_api_accepts():
    from training.api.exercise_serializers import ExerciseInjectSerializer
    from training.forms import ExerciseInjectForm

    api = ExerciseInjectSerializer().fields
    form = ExerciseInjectForm()
    assert [k for k, _label in form.fields["kind"].choices] == list(api["kind"].choices)
    assert set(form.fields) == set(api)
    for name, field in form.fields.items():
        if hasattr(field, "choices") and name != "kind":
            assert [k for k, _l in field.choices][1:] == list(api[name].choices), name


def test_an_inject_of_a_new_kind_posted_from_the_room_lands_like_the_apis(
    client, isms_office, csirt_lead, decision_maker, deputy, handler
):
    client.force_login(isms_office)
    with time_machine.travel(WALL, tick=False):
        client.post(
            reverse("training:exercise_list"),
            {
                "sample": "level1-isolate-to-level2-spread",
                "mode": "STEPPED",
                "starts_at": "2026-11-24T09:00",
            },
        )
        exercise = Exercise.objects.get()
        client.post(reverse("training:exercise_advance", args=[exercise.pk]), {"minutes": "20"})
        room = client.get(reverse("training:exercise_room", args=[exercise.pk])).content.decode()
        assert 'value="block"' in room and 'value="obligation"' in room
        assert 'data-kinds="indicator block"' in room  # blocked_by shows for these two kinds
        posted = client.post(
            reverse("training:exercise_inject", args=[exercise.pk]),
            {
                "kind": "indicator",
                "ioc_kind": "DOMAIN",
                "value": "c2.example",
                "blocked_by": "DNS",
                "asset": "ignored: not a field of this kind",
            },
        )
    assert posted.status_code == 302
    inject = exercise.injects.get(kind="indicator")
    assert inject.error == "" and inject.applied_at is not None
    assert inject.payload["value"] == "c2.example" and "asset" not in inject.payload
