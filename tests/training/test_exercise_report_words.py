"""Issue 19 item 1: the exercise after-action report reads as words, like the timeline — no raw
code, None, repr or UTC time (the same checker as the timeline sweep)."""

from __future__ import annotations

import html
import re
from io import StringIO

from django.core.management import call_command

from accounts.models import User
from tests.incidents.test_timeline_words_sweep import _problems
from training.models import Exercise


def test_the_demo_exercises_after_action_report_reads_as_words(db, client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=StringIO())
    client.force_login(User.objects.get(username="isms"))
    exercise = Exercise.objects.first()
    page = client.get(f"/training/exercises/{exercise.pk}/report/", HTTP_ACCEPT_LANGUAGE="ja")
    assert page.status_code == 200
    main = page.content.decode().split("<main", 1)[1]
    text = html.unescape(re.sub(r"<[^>]+>", "\n", main))
    assert "事後報告" in text or "演習" in text
    assert _problems(text) == []
