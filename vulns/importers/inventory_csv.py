"""Reading an inventory CSV: one piece of software on one asset per line.

The file is read by ``common.csvio`` (UTF-8 with or without BOM, or Shift_JIS; headers in
Japanese or English), the reader the people import uses. Each problem names its line and
column; nothing here touches the database (the service resolves the asset tags).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from common.csvio import FALSE_WORDS, TRUE_WORDS, CsvProblem, RowError, read_table
from common.errors import InvalidInput
from vulns import keys

REQUIRED = {
    "asset": ("asset", "asset tag", "資産", "資産番号", "資産管理番号", "資産タグ", "管理番号"),
    "product": ("product", "製品", "製品名", "ソフトウェア", "ソフトウェア名"),
    "version": ("version", "バージョン", "版"),
}
OPTIONAL = {
    "vendor": ("vendor", "ベンダー", "ベンダ", "メーカー", "開発元"),
    "cpe": ("cpe", "cpe 2.3", "cpe23", "cpe name", "CPE名"),
    "purl": ("purl", "package url", "パッケージURL"),
    "internet_facing": (
        "internet-facing",
        "internet facing",
        "インターネットに公開",
        "インターネット公開",
        "外部公開",
        "インターネット接続",
    ),
}
# The Japanese header of each column, for the error table.
COLUMN_LABELS = {
    "asset": "資産番号",
    "product": "製品名",
    "version": "バージョン",
    "vendor": "ベンダー",
    "cpe": "CPE",
    "purl": "パッケージURL",
    "internet_facing": "インターネットに公開",
}
MAX_LENGTH = {"vendor": 120, "product": 120, "version": 64, "cpe": 255, "purl": 255}


@dataclass
class LineIn:
    line: int
    asset_tag: str
    vendor: str
    product: str
    version: str
    cpe: str
    purl: str
    internet_facing: bool | None  # None: the line does not say


@dataclass
class CsvIn:
    encoding: str
    lines: list[LineIn]
    errors: list[RowError]


def _flag(value: str) -> bool | None:
    text = unicodedata.normalize("NFKC", value).strip().upper()
    if not text:
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(
        _("%(value)s is not yes or no. Write はい／いいえ, yes/no, 1/0 or ○/×.") % {"value": value}
    )


def _line(line: int, row: dict[str, str], errors: list[RowError]) -> LineIn | None:
    before = len(errors)
    for name in ("asset", "product", "version"):
        if not row.get(name):
            errors.append(RowError(line, "missing_value", _("This cell is empty."), name))
    for name, limit in MAX_LENGTH.items():
        if len(row.get(name, "")) > limit:
            errors.append(
                RowError(
                    line,
                    "too_long",
                    _("Longer than %(n)d characters.") % {"n": limit},
                    name,
                )
            )
    vendor = row.get("vendor", "")
    for name in ("cpe", "purl"):
        if row.get(name) and len(errors) == before:
            try:
                if name == "cpe":
                    vendor = vendor or keys.cpe_parts(row["cpe"])[3]
                    keys.cpe_parts(row["cpe"])
                else:
                    keys.purl_parts(row["purl"])
            except InvalidInput as error:
                errors.append(RowError(line, error.code, str(error.message), name))
    if not vendor and row.get("purl") and len(errors) == before:
        vendor = keys.purl_parts(row["purl"])[0].removeprefix("purl:").rpartition("/")[0]
    if not vendor and len(errors) == before:
        errors.append(
            RowError(line, "missing_value", _("Give the vendor (or a CPE name)."), "vendor")
        )
    try:
        facing = _flag(row.get("internet_facing", ""))
    except ValueError as error:
        errors.append(RowError(line, "bad_flag", str(error), "internet_facing"))
        facing = None
    if len(errors) > before:
        return None
    return LineIn(
        line=line,
        asset_tag=row["asset"],
        vendor=vendor,
        product=row["product"],
        version=row["version"],
        cpe=row.get("cpe", ""),
        purl=row.get("purl", ""),
        internet_facing=facing,
    )


def read(data: bytes) -> CsvIn:
    try:
        table = read_table(data, required=REQUIRED, optional=OPTIONAL)
    except CsvProblem as problem:
        return CsvIn(encoding="", lines=[], errors=problem.errors)
    errors: list[RowError] = []
    lines = [_line(n, row, errors) for n, row in table.rows]
    if not table.rows:
        errors.append(RowError(0, "empty_file", _("The file has no data lines.")))
    return CsvIn(encoding=table.encoding, lines=[x for x in lines if x], errors=errors)
