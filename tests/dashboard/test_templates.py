"""Every template holds under the strict CSP, and every dashboard string reads in Japanese."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
DASHBOARD_TEMPLATES = sorted((ROOT / "templates" / "dashboard").rglob("*.html"))
DASHBOARD_CODE = sorted(
    p for p in (ROOT / "dashboard").rglob("*.py") if "migrations" not in p.parts
)

STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=""", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=""", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
LITERAL = r"u?('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
TEMPLATE_CALL = re.compile(rf"\b(gettext|ngettext)\(\s*{LITERAL}(?:\s*,\s*{LITERAL})?")
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", TEMPLATES, ids=_relative)
def test_no_template_has_inline_script_style_or_handler(path):
    text = path.read_text()
    assert not STYLE_ATTRIBUTE.search(text), "style= attribute"
    assert not STYLE_ELEMENT.search(text), "<style> element"
    assert not INLINE_SCRIPT.search(text), "<script> without src"
    assert not EVENT_HANDLER.search(text), "on…= event handler"


def test_the_scan_catches_what_it_looks_for():
    assert STYLE_ATTRIBUTE.search('<p style="color:red">')
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert EVENT_HANDLER.search('<button onclick="go()">')
    assert not EVENT_HANDLER.search('<a href="/" hx-trigger="every 5s">')


def _template_messages(path: Path) -> list[tuple[str, str | None]]:
    code = templatize(path.read_text())
    return [
        (ast.literal_eval(single), ast.literal_eval(plural) if plural else None)
        for _kind, single, plural in TEMPLATE_CALL.findall(code)
    ]


def _code_messages(path: Path) -> list[tuple[str, str | None]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or getattr(node.func, "id", None) not in GETTEXT_NAMES:
            continue
        texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if texts and isinstance(texts[0], str):
            found.append((texts[0], texts[1] if len(texts) > 1 else None))
    return found


def _messages() -> list[tuple[str, str | None]]:
    found = []
    for path in DASHBOARD_TEMPLATES:
        found += _template_messages(path)
    for path in DASHBOARD_CODE:
        found += _code_messages(path)
    return sorted(set(found), key=str)


def test_the_extraction_finds_the_dashboard_strings():
    messages = dict(_messages())
    assert "Open incidents" in messages
    assert messages["%(n)s asset"] == "%(n)s assets"
    assert "Time to isolate" in messages


# Names written the same way in Japanese (an encoding, the protocol's own label): no translation
# can differ from them.
SAME_IN_JAPANESE = {"Shift_JIS", "TLP"}


@pytest.mark.parametrize(
    "message",
    [m for m in _messages() if m[0] not in SAME_IN_JAPANESE],
    ids=lambda m: m[0][:40],
)
def test_every_dashboard_string_has_a_japanese_translation(message):
    single, plural = message
    with translation.override("ja"):
        shown = translation.ngettext(single, plural, 1) if plural else translation.gettext(single)
    assert shown != single
