"""The incident report: print page and PDF of an incident that went to level 3 with the full
cyber BCP, in Japanese, without missing glyphs, its last page carrying the chain's head hash."""

from __future__ import annotations

import logging
import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from fontTools.ttLib import TTCollection, TTFont

from incidents.models import TimelineEntry
from tests.records.conftest import pdf_fonts, pdf_text, poppler

SECTIONS_JA = [
    "概要",
    "分類",
    "レベルの推移と理由",
    "判断",
    "サイバー攻撃対応BCP",
    "影響を受けた資産とキャンペーンの件数",
    "IoC（侵害の痕跡）",
    "証拠と証拠の保管記録",
    "義務と対外連絡",
    "事後レビューと是正処置",
    "タイムライン",
    "タイムラインの検証",
]


def _pdf(client, incident, **data):
    return client.post(f"/incidents/{incident.ref}/report.pdf", data, HTTP_ACCEPT_LANGUAGE="ja")


@pytest.fixture
def report_pdf(as_user, handler, level3, tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    response = _pdf(as_user(handler), level3)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    return path


def test_the_report_pdf_has_every_section_in_japanese_within_a_page_range(report_pdf):
    pages = pdf_text(report_pdf.read_bytes())
    text = "\n".join(pages)
    assert 3 <= len(pages) <= 20
    for heading in SECTIONS_JA:
        assert heading in text, heading
    assert "CUT_ALL_EXTERNAL_NETWORK" not in text and "None" not in text


def test_the_last_page_carries_the_head_hash_that_verify_timeline_reports(report_pdf, level3):
    last = pdf_text(report_pdf.read_bytes())[-1]
    out = StringIO()
    call_command("verify_timeline", level3.ref, stdout=out)
    reported = re.search(r"ok \(\d+ entries, head ([0-9a-f]{64})\)", out.getvalue())
    assert reported is not None, out.getvalue()
    assert reported.group(1) in last.replace("\n", "")  # the hash may wrap on the page
    head = TimelineEntry.objects.filter(incident=level3).order_by("-seq").first()
    assert (head.kind, head.hash) == ("report.downloaded", reported.group(1))


def _system_font(family: str) -> TTFont:
    path = subprocess.run(
        ["fc-match", "-f", "%{file}", family], check=True, capture_output=True, text=True
    ).stdout
    if path.endswith(".ttc"):
        return TTCollection(path).fonts[0]
    return TTFont(path)


def test_the_pdf_embeds_a_cjk_font_and_has_no_glyph_the_font_lacks(report_pdf, caplog):
    fonts = pdf_fonts(report_pdf)
    assert "Noto-Sans-CJK-JP" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:]), fonts  # all embedded
    covered = set(_system_font("Noto Sans CJK JP").getBestCmap())
    covered |= set(_system_font("Noto Sans Mono CJK JP").getBestCmap())
    text = "".join(pdf_text(report_pdf.read_bytes()))
    missing = {ch for ch in text if not ch.isspace() and ord(ch) not in covered}
    assert missing == set()  # every character has a glyph: no tofu boxes
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]


def test_every_page_renders_as_an_a4_image(report_pdf, tmp_path):
    subprocess.run(
        [poppler("pdftoppm"), "-r", "20", "-png", str(report_pdf), str(tmp_path / "p")],
        check=True,
    )
    images = sorted(Path(tmp_path).glob("p-*.png"))
    assert len(images) == len(pdf_text(report_pdf.read_bytes()))
    from PIL import Image

    width, height = Image.open(images[0]).size
    assert abs(height / width - 297 / 210) < 0.02


def test_each_download_is_written_on_the_incident_timeline(as_user, handler, level3):
    client = as_user(handler)
    before = TimelineEntry.objects.filter(incident=level3, kind="report.downloaded").count()
    assert _pdf(client, level3, tlp="GREEN").status_code == 200
    entry = TimelineEntry.objects.filter(incident=level3).order_by("-seq").first()
    assert entry.kind == "report.downloaded" and entry.actor == handler
    assert entry.payload == {"tlp": "GREEN", "language": "ja"}
    assert before == 0


def test_indicators_above_the_chosen_tlp_are_left_out(as_user, handler, level3):
    indicator = level3.indicators.get(value="cdn-update.example")
    indicator.tlp = "AMBER"
    indicator.save()
    page = as_user(handler).get(f"/incidents/{level3.ref}/report/?tlp=GREEN")
    assert indicator.value not in page.text
    shown = as_user(handler).get(f"/incidents/{level3.ref}/report/?tlp=RED")
    assert indicator.value in shown.text


def test_a_tlp_that_is_not_one_is_a_400_and_writes_nothing(as_user, handler, level3):
    count = TimelineEntry.objects.filter(incident=level3).count()
    assert _pdf(as_user(handler), level3, tlp="PURPLE").status_code == 400
    assert TimelineEntry.objects.filter(incident=level3).count() == count


def test_an_outsider_gets_404_and_nothing_is_written(as_user, outsider, level3):
    count = TimelineEntry.objects.filter(incident=level3).count()
    assert _pdf(as_user(outsider), level3).status_code == 404
    assert as_user(outsider).get(f"/incidents/{level3.ref}/report/").status_code == 404
    assert TimelineEntry.objects.filter(incident=level3).count() == count


def test_the_print_page_is_in_english_for_an_english_reader(as_user, handler, level3):
    page = as_user(handler).get(f"/incidents/{level3.ref}/report/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Level history and reasons" in page.text and "Head hash" in page.text
