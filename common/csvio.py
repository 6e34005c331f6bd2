"""Reading the CSV files that Japanese HR systems and phishing-drill tools export.

Pure functions, no database: the encoding is detected (UTF-8 with or without BOM, or
Shift_JIS/CP932), headers are matched in Japanese or English, and dates are read as
2025/11/25, 2025-11-25, 2025年11月25日 or in the Japanese era (令和7年11月25日, R7.11.25).
Problems are reported per line so the person importing can fix the file and try again.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo

from django.utils.translation import gettext as _

from common.csvexport import unquote_cell

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000


@dataclass(frozen=True)
class RowError:
    line: int  # 1 = the header line; 0 = the whole file
    code: str
    message: str
    column: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "code": self.code,
            "message": self.message,
            "column": self.column,
        }


class CsvProblem(Exception):
    """The file cannot be read at all; ``errors`` says where."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors[0].message if errors else "")
        self.errors = errors


@dataclass
class Table:
    encoding: str
    columns: dict[str, int]  # canonical name → position
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


# --- Encoding ---------------------------------------------------------------------------------


def _decodes(chunk: bytes, encoding: str) -> bool:
    try:
        chunk.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). Excel's "CSV UTF-8" has a BOM; older exports are Shift_JIS (CP932)."""
    if len(data) > MAX_BYTES:
        raise CsvProblem([RowError(0, "file_too_large", _("The file is larger than 10 MB."))])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CsvProblem(
            [
                RowError(
                    0,
                    "unsupported_encoding",
                    _("The file is UTF-16. Save it as CSV (UTF-8) or CSV (Shift_JIS)."),
                )
            ]
        )
    candidates = ["utf-8-sig"] if data.startswith(codecs.BOM_UTF8) else ["utf-8", "cp932"]
    for encoding in candidates:
        if _decodes(data, encoding):
            return data.decode(encoding), encoding
    raise CsvProblem(_encoding_errors(data, candidates))


def _encoding_errors(data: bytes, candidates: list[str]) -> list[RowError]:
    """Which lines break the encoding the file is most likely in (CP932 trail bytes are never
    a line feed, so splitting the raw bytes on LF is safe for both)."""
    lines = data.split(b"\n")
    bad = {
        enc: [n for n, line in enumerate(lines, 1) if not _decodes(line, enc.replace("-sig", ""))]
        for enc in candidates
    }
    encoding = min(candidates, key=lambda enc: len(bad[enc]))
    name = "Shift_JIS" if encoding == "cp932" else "UTF-8"
    message = _(
        "This line is not valid %(encoding)s (the file looks like %(encoding)s). "
        "Save the whole file as UTF-8 or Shift_JIS."
    ) % {"encoding": name}
    return [RowError(n, "wrong_encoding", message) for n in bad[encoding][:100]]


# --- Headers and rows -------------------------------------------------------------------------


def _key(header: str) -> str:
    folded = unicodedata.normalize("NFKC", header).strip().lower()
    return re.sub(r"[\s_\-・]", "", folded)


def read_table(
    data: bytes,
    *,
    required: dict[str, Iterable[str]],
    optional: dict[str, Iterable[str]] | None = None,
) -> Table:
    """Decode, find the header (each column by any of its names) and return the data rows."""
    text, encoding = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise CsvProblem([RowError(0, "empty_file", _("The file is empty."))])
    columns = _match_header(header, required, optional or {})
    table = Table(encoding=encoding, columns=columns)
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise CsvProblem(
                [RowError(reader.line_num, "too_many_rows", _("More than 50,000 rows."))]
            )
        row = {
            name: unquote_cell(cells[index].strip()) if index < len(cells) else ""
            for name, index in columns.items()
        }
        table.rows.append((reader.line_num, row))
    return table


def _match_header(
    header: list[str], required: dict[str, Iterable[str]], optional: dict[str, Iterable[str]]
) -> dict[str, int]:
    positions = {_key(cell): index for index, cell in reversed(list(enumerate(header)))}
    columns: dict[str, int] = {}
    missing: list[str] = []
    for name, aliases in (*required.items(), *optional.items()):
        found = next((positions[_key(a)] for a in aliases if _key(a) in positions), None)
        if found is not None:
            columns[name] = found
        elif name in required:
            missing.append(next(iter(required[name])))
    if missing:
        message = _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
        raise CsvProblem([RowError(1, "missing_columns", message, column=", ".join(missing))])
    return columns


# --- Dates --------------------------------------------------------------------------------------

# Era → (first day, first day of the next era). Year 1 of an era is 元年.
ERAS = {
    "明治": (date(1868, 10, 23), date(1912, 7, 30)),
    "大正": (date(1912, 7, 30), date(1926, 12, 25)),
    "昭和": (date(1926, 12, 25), date(1989, 1, 8)),
    "平成": (date(1989, 1, 8), date(2019, 5, 1)),
    "令和": (date(2019, 5, 1), date(9999, 12, 31)),
}
ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
_WESTERN = re.compile(r"^(\d{4})\s*[/\-.年]\s*(\d{1,2})\s*[/\-.月]\s*(\d{1,2})\s*日?$")
_ERA = re.compile(
    r"^(明治|大正|昭和|平成|令和|[MTSHR])\s*(元|\d{1,2})\s*[年/\-.]\s*(\d{1,2})\s*[月/\-.]\s*"
    r"(\d{1,2})\s*日?$"
)
_TIME = re.compile(r"^(.*?)[\sT]+(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def _normalise(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().upper()


def parse_date(value: str) -> date:
    """A calendar date; raises ValueError with a message for the person importing."""
    text = _normalise(value)
    text = re.sub(r"\s+0{1,2}:00(:00)?$", "", text)  # Excel adds midnight to dates
    western = _WESTERN.match(text)
    if western:
        return _date(*(int(part) for part in western.groups()), original=value)
    era = _ERA.match(text)
    if era:
        return _era_date(era, value)
    raise ValueError(
        _("%(value)s is not a date. Write 2025/11/25, 2025-11-25 or 令和7年11月25日.")
        % {"value": value}
    )


def _date(year: int, month: int, day: int, *, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(_("%(value)s is not a valid date.") % {"value": original}) from None


def _era_date(match: re.Match[str], original: str) -> date:
    era = ERA_LETTERS.get(match.group(1), match.group(1))
    era_year = 1 if match.group(2) == "元" else int(match.group(2))
    first, next_era = ERAS[era]
    if era_year < 1:
        raise ValueError(_("%(value)s is not a valid date.") % {"value": original})
    result = _date(
        first.year + era_year - 1, int(match.group(3)), int(match.group(4)), original=original
    )
    if not first <= result < next_era:
        raise ValueError(
            _("%(value)s does not exist: %(era)s ran from %(first)s to %(last)s.")
            % {"value": original, "era": era, "first": first, "last": next_era}
        )
    return result


def parse_datetime(value: str, tz: tzinfo) -> datetime:
    """A moment; a time without an offset is in ``tz`` (the organisation's time zone)."""
    text = _normalise(value)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is not None:
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    match = _TIME.match(text)
    if match is None:
        day = parse_date(value)
        return datetime.combine(day, time(0, 0), tzinfo=tz)
    day = parse_date(match.group(1))
    hour, minute, second = int(match.group(2)), int(match.group(3)), int(match.group(4) or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(_("%(value)s is not a valid time.") % {"value": value})
    return datetime.combine(day, time(hour, minute, second), tzinfo=tz)


TRUE_WORDS = {"1", "Y", "YES", "TRUE", "はい", "有", "あり", "済", "○", "◯", "X"}
FALSE_WORDS = {"", "0", "N", "NO", "FALSE", "いいえ", "無", "なし", "-", "×"}


def parse_flag_or_time(value: str, tz: tzinfo) -> tuple[bool, datetime | None]:
    """A drill tool writes either a flag (yes/no, ○) or the time it happened."""
    text = _normalise(value)
    if text in FALSE_WORDS:
        return False, None
    if text in TRUE_WORDS:
        return True, None
    return True, parse_datetime(value, tz)
