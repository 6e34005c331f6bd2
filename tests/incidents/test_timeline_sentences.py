"""Every timeline kind reads as one or two sentences — who did what, when — in Japanese and in
English, with no raw code, key, ``None``, dict or UTC time; the kinds are the ones the code
writes (discovered by the words sweep, not listed here)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from incidents import timeline_sentences
from tests.incidents.test_timeline_words_sweep import (
    ASCII_TERMS,
    CODE,
    LABEL_LIKE,
    SAMPLES,
    WORD,
    _problems,
    _strings,
    registered_kinds,
)

pytestmark = pytest.mark.django_db  # older entries name people from the roster

AT = datetime(2026, 11, 14, 5, 5, tzinfo=UTC)  # 14:05 in Tokyo


def _entry(kind: str, payload: dict, actor_id: int | None = 7) -> SimpleNamespace:
    label = "山田 花子" if actor_id else "system"
    return SimpleNamespace(kind=kind, payload=payload, actor_id=actor_id, actor_label=label, at=AT)


def test_every_kind_the_code_writes_has_a_sentence_of_its_own():
    assert registered_kinds()  # discovered from the code (see the words sweep)
    missing = [k for k in registered_kinds() if timeline_sentences.sentence_for(k) is None]
    assert missing == []


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_the_kind_reads_as_sentences_with_local_time_and_no_raw_code(kind, language, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    with translation.override(language):
        text = timeline_sentences.sentence(_entry(kind, SAMPLES[kind]))
        built = timeline_sentences.sentence_for(kind)(SAMPLES[kind], _say())
    assert built.replace("。 ", "。") == text  # the kind's own sentence, not the fallback
    assert "14:05" in text, text
    allowed_none = language == "en" and "NONE" in str(SAMPLES[kind])
    assert _problems(text, allowed_none) == [], text
    codes = {v for v in _strings(SAMPLES[kind]) if CODE.match(v) and v not in LABEL_LIKE}
    assert [c for c in codes if re.search(rf"\b{c}\b", text)] == [], text
    if language == "ja":
        assert text.endswith("。") and ". " not in text and ": " not in text, text
        data = " ".join(_strings(SAMPLES[kind]))
        english = [w for w in WORD.findall(text) if w not in data and w not in ASCII_TERMS]
        assert english == [], text
    else:
        assert text.endswith((".", "”.")) and "。" not in text.replace("。", "", 0), text


def _say() -> timeline_sentences.Say:
    return timeline_sentences.Say(actor_label="山田 花子", is_person=True, at=AT)


def test_a_decision_request_names_who_must_decide_the_deadline_and_the_deputy(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    payload = {**SAMPLES["decision.opened"], "due_at": "2026-11-14T06:00:00+00:00"}
    with translation.override("ja"):
        ja = timeline_sentences.sentence(_entry("decision.opened", payload, actor_id=None))
    with translation.override("en"):
        en = timeline_sentences.sentence(_entry("decision.opened", payload, actor_id=None))
    assert ja == (
        "システムが 14:05 に山田 花子さんへ判断「外部との通信をすべて遮断する」を依頼しました"
        "（ルール D-1、期限 15:00、代理 佐藤 次郎）。"
    )
    assert en == (
        "The system asked 山田 花子 to decide “Cut all external communication” at 14:05"
        " (rule D-1, due 15:00, deputy 佐藤 次郎)."
    )


def test_a_person_is_named_with_san_in_japanese_and_the_system_without(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    with translation.override("ja"):
        ratified = SAMPLES["decision.ratified"]
        person = timeline_sentences.sentence(_entry("decision.ratified", ratified))
        system = timeline_sentences.sentence(
            _entry("decision.ratified", SAMPLES["decision.ratified"], actor_id=None)
        )
    assert person.startswith("山田 花子さんが 14:05 に判断「外部との通信をすべて遮断する」を追認")
    assert system.startswith("システムが 14:05 に")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_unknown_kind_or_an_unreadable_old_payload_still_reads_as_a_sentence(language):
    with translation.override(language):
        unknown = timeline_sentences.sentence(_entry("future.kind", {"note": "メモ", "x_y": 3}))
        old = timeline_sentences.sentence(_entry("incident.updated", {"changes": "broken"}))
        empty = timeline_sentences.sentence(_entry("incident.declared", None))
    for text in (unknown, old, empty):
        assert text.strip() and _problems(text.replace("future.kind", "")) == [], text
        assert "None" not in text and "{" not in text
