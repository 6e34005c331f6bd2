"""CSV for spreadsheets, the one way the product writes CSV.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula: a name imported from HR or sent through the API as
``=cmd|' /C calc'!A0`` would run on the ISMS office's PC when it opens the export (CSV
injection, OWASP). Such text cells get a leading single quote, which the spreadsheet shows as
text and does not display. Numbers are written as numbers, so a negative number stays a number.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The cell as written: numbers as they are, text neutralised if it could be a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = value.isoformat() if isinstance(value, date | datetime) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unquote_cell(text: str) -> str:
    """A cell read back from one of our exports: without the quote ``safe_cell`` added."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """The rows as CSV text (CRLF line ends, as spreadsheets expect)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Iterable[object]], *, encoding: str = "utf-8") -> bytes:
    """UTF-8 with a byte-order mark, so Excel in Japanese opens it without garbling; or
    Shift_JIS (``cp932``) for older spreadsheet tools, characters it lacks replaced."""
    text = csv_text(rows)
    if encoding == "cp932":
        return text.encode("cp932", errors="replace")
    return codecs.BOM_UTF8 + text.encode("utf-8")
