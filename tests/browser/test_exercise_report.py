"""Issue 18 item 5 in a browser: the after-action report of the late-infection / blocked-C2 /
second-incident sample, on a phone and on a desktop, in Japanese — each decision with its
deadline in local exercise time and its outcome in words, and the expected obligation."""

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import Browser, expect

from bcp.models import Decision
from tests.browser.conftest import SCREENSHOTS, _page, log_in, shoot
from training import scenario
from training.services import exercises

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
START = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)


@pytest.fixture
def played(organisation, isms_office, csirt_lead, decision_maker, deputy, handler):
    with time_machine.travel(START, tick=False):
        exercise = exercises.exercise_start(
            organisation=organisation,
            actor=isms_office,
            document=scenario.samples()["late-infection-blocked-c2-second-incident"],
            mode="STEPPED",
            starts_at=START,
        )
        exercises.exercise_advance(
            exercise=exercise, actor=isms_office, to=exercise.starts_at.replace(hour=2, minute=10)
        )
        irt = Decision.objects.get(incident__exercise_link__exercise=exercise, type="ESTABLISH_IRT")
        exercises.exercise_inject(
            exercise=exercise,
            actor=isms_office,
            kind="decide",
            payload={"type": "ESTABLISH_IRT", "outcome": "APPROVED", "by": irt.assignee.username},
            text="IRTを設置",
        )
        exercises.exercise_finish(
            exercise=exercise, actor=isms_office, findings="感染の判明が遅れた。"
        )
    return exercise


@pytest.mark.parametrize("width,name", [(390, "phone"), (1366, "desktop")])
def test_the_after_action_report_lists_each_decision_with_its_deadline_and_outcome(
    browser: Browser, live_server, played, width, name
):
    for page in _page(browser, live_server, {"width": width, "height": 844}):
        log_in(page, "isms")
        page.goto(f"/training/exercises/{played.pk}/report/")
        table = page.locator("table").first
        expect(table).to_contain_text("10:05（+1:05）")
        expect(table).to_contain_text("承認")
        expect(page.locator("body")).to_contain_text("警察")
        shoot(page, f"exercise-report-{name}")
        out = os.environ.get("SHOTS_DIR")
        if out:
            Path(out).mkdir(parents=True, exist_ok=True)
            for n, part in enumerate(page.locator(".table-scroll").all()):
                part.screenshot(path=str(Path(out) / f"exercise-report-ja-{width}-table{n}.png"))
            shutil.copy(
                SCREENSHOTS / f"exercise-report-{name}.png",
                Path(out) / f"exercise-report-ja-{width}.png",
            )
