"""Acceptance: the demo incident's room shows its timeline as Japanese words with JST times."""

from __future__ import annotations

import html
import re
import zoneinfo
from io import StringIO

from django.core.management import call_command

from accounts.models import User
from incidents.models import Incident, TimelineEntry
from tests.incidents.test_timeline_words_sweep import _problems

JST = zoneinfo.ZoneInfo("Asia/Tokyo")


def _timeline_text(client, ref: str) -> tuple[str, list[str], str]:
    client.force_login(User.objects.get(username="isms"))
    page = client.get(f"/incidents/{ref}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    timeline = page.split('<ol class="timeline"', 1)[1].split("</ol>\n", 1)[0]
    # The stored JSON is behind its toggle; the words are everything else.
    words = re.sub(r'<details class="raw">.*?</details>', "", timeline, flags=re.S)
    times = re.findall(r"<time [^>]*>([^<]*)</time>", words)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", words))
    return text, times, page


def test_the_demo_incident_timeline_reads_in_japanese_with_jst_times_and_no_raw_code(
    db, client, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=StringIO())
    incident = Incident.objects.filter(is_exercise=False).earliest("id")
    text, times, page = _timeline_text(client, incident.ref)
    entries = TimelineEntry.objects.filter(incident=incident).order_by("-seq")
    expected = [e.at.astimezone(JST).strftime("%Y/%m/%d %H:%M") for e in entries]
    assert times[: len(expected)] == expected
    assert _problems(text) == []
    assert re.search(  # who must decide, by when, and who takes over (issue 19)
        r"に\S+ \S+さんへ判断「外部との通信をすべて遮断する」を依頼しました"
        r"（ルール D-1、期限 (\d{4}/\d{2}/\d{2} )?\d{2}:\d{2}(、代理 \S+ \S+)?）。",
        text,
    ), text
    assert "<script>" not in page.split("</head>")[-1]  # the JSON toggle needs no script (CSP)
    assert 'class="raw"' in page and "CUT_ALL_EXTERNAL_NETWORK" in page  # the raw JSON is kept


def test_the_demo_exercise_timeline_shows_the_decision_snapshot_as_a_table(
    db, client, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=StringIO())
    incident = Incident.objects.filter(is_exercise=True).first()
    text, _times, page = _timeline_text(client, incident.ref)
    cells = re.findall(r'<th scope="row">([^<]*)</th>', page)
    assert "サイバー攻撃対応BCP" in cells and "推奨レベル" in cells
    assert _problems(text) == []
