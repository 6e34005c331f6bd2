"""One term per concept and full-width punctuation in the shipped Japanese (docs/glossary.md)."""

from __future__ import annotations

import re

from tests.settings_env import REPO_ROOT

RETIRED_LEAK = "\u6f0f\u6d29"  # the kanji spelling of 漏えい the glossary retires
SKIP = {".git", ".venv", ".venv-bench", "var", "node_modules", "isms_csirt.egg-info", "__pycache__"}
TEXT = {".po", ".html", ".md", ".txt", ".json", ".py"}
JAPANESE = "[\u3040-\u30ff\u3400-\u9fff\u3000-\u303f\uff01-\uff60]"
HALF_WIDTH_BESIDE_JAPANESE = re.compile(rf"{JAPANESE}[?():]|[?():]{JAPANESE}")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sd]|\{\{[^}]*\}\}")


def _shipped_files():
    for path in REPO_ROOT.rglob("*"):
        parts = set(path.relative_to(REPO_ROOT).parts)
        if path.suffix in TEXT and path.is_file() and not parts & SKIP:
            yield path


def _japanese_msgstrs():
    for po in REPO_ROOT.glob("**/locale/ja/LC_MESSAGES/django.po"):
        if {".venv", ".venv-bench"} & set(po.parts):
            continue
        for block in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', po.read_text(), re.M):
            yield po, "".join(re.findall(r'"(.*)"', block))


def test_no_shipped_text_spells_leak_other_than_the_glossary_does():
    offenders = [
        str(p.relative_to(REPO_ROOT)) for p in _shipped_files() if RETIRED_LEAK in p.read_text()
    ]
    assert offenders == []


def test_japanese_translations_use_full_width_punctuation_beside_japanese():
    offenders = [
        f"{po.relative_to(REPO_ROOT)}: {text}"
        for po, text in _japanese_msgstrs()
        if HALF_WIDTH_BESIDE_JAPANESE.search(PLACEHOLDER.sub("X", text))
    ]
    assert offenders == []


def test_form_labels_end_with_a_full_width_colon_in_japanese():
    from django import forms
    from django.utils import translation

    class Form(forms.Form):
        sender = forms.CharField(label="差出人（From）")

    with translation.override("ja"):
        assert "差出人（From）：" in str(Form()["sender"].label_tag())
