"""The reason for a priority is kept as codes and read in the viewer's language (issue 15)."""

from django.utils import translation

from incidents.triage import priority_for, reason_text


def test_the_reason_is_stored_as_codes_not_as_prose():
    assert priority_for("TARGETED_EMAIL", "MEDIUM").reason == "default:TARGETED_EMAIL:MEDIUM:P2"


def test_the_same_reason_reads_in_japanese_and_in_english_without_codes():
    reason = priority_for("TARGETED_EMAIL", "MEDIUM", {"TARGETED_EMAIL": {"MEDIUM": "P1"}}).reason
    with translation.override("ja"):
        ja = reason_text(reason)
    with translation.override("en"):
        en = reason_text(reason)
    assert "標的型攻撃メール" in ja and "TARGETED_EMAIL" not in ja and "MEDIUM" not in ja
    assert "Targeted-attack email" in en and "organisation triage matrix" in en
    assert "標的型" not in en


def test_a_reason_stored_as_prose_before_the_codes_is_shown_as_it_is():
    assert reason_text("既定の基準表による") == "既定の基準表による"
