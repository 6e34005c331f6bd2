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
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

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


ENCODINGS = {"utf-8": "utf-8", "shift_jis": "cp932"}  # the ?encoding= choices of the exports


def csv_bytes(rows: Iterable[Iterable[object]], *, encoding: str = "utf-8") -> bytes:
    """UTF-8 with a byte-order mark, so Excel in Japanese opens it without garbling; or
    Shift_JIS (``cp932``) for older spreadsheet tools, characters it lacks replaced."""
    text = csv_text(rows)
    if encoding == "cp932":
        return text.encode("cp932", errors="replace")
    return codecs.BOM_UTF8 + text.encode("utf-8")


def csv_download(content: bytes, *, filename: str, codec: str = "utf-8") -> Any:
    """The one CSV response of the product: ``content`` made by ``csv_bytes``."""
    from django.http import HttpResponse

    charset = "shift_jis" if codec == "cp932" else "utf-8"
    response = HttpResponse(content, content_type=f"text/csv; charset={charset}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def codec_of(encoding: str) -> str:
    """``?encoding=shift_jis`` → cp932; anything else UTF-8 rather than refusing the download."""
    return ENCODINGS.get(encoding, "utf-8")


def csv_response(rows: Iterable[Iterable[object]], *, filename: str, encoding: str = "") -> Any:
    """A download of the rows: ``encoding`` is ``utf-8`` (the default, with a BOM) or
    ``shift_jis`` (characters Shift_JIS lacks become ``?``)."""
    codec = codec_of(encoding)
    return csv_download(csv_bytes(rows, encoding=codec), filename=filename, codec=codec)


# A register's column: its header (translatable) and how a row's object gives its cell.
Column = tuple[Any, Callable[[Any], object]]


def register_rows(columns: list[Column], objects: Iterable[Any]) -> Iterator[list[object]]:
    """The header in the reader's language, then one row per object."""
    yield [str(header) for header, _value in columns]
    for item in objects:
        yield [value(item) for _header, value in columns]


def local_time(value: datetime | None) -> str:
    """A time as the pages show it (YYYY/MM/DD HH:mm in the current zone); Excel reads it."""
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y/%m/%d %H:%M") if value else ""
