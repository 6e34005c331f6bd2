"""Product keys: what a piece of software and an advisory's affected product are matched on.

A CPE 2.3 name gives "cpe:<vendor>:<product>"; a package URL gives "purl:<type>/<ns>/<name>".
Software entered without a CPE gets its key from the vendor and product typed, written as CPE
writes them (lower case, spaces as underscores).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from common.errors import InvalidInput

_UNESCAPED_COLON = re.compile(r"(?<!\\):")


def normalise(text: str) -> str:
    return re.sub(r"\s+", "_", text.strip().lower())


def cpe_parts(cpe: str) -> list[str]:
    """The 13 components of a CPE 2.3 formatted string; InvalidInput otherwise."""
    parts = _UNESCAPED_COLON.split(cpe.strip())
    if len(parts) != 13 or parts[0] != "cpe" or parts[1] != "2.3" or parts[2] not in "aho":
        raise InvalidInput(
            "bad_cpe",
            _("%(cpe)s is not a CPE 2.3 name (cpe:2.3:part:vendor:product:…).")
            % {"cpe": cpe[:120]},
        )
    return [p.replace("\\", "") for p in parts]


def cpe_key(vendor: str, product: str) -> str:
    return f"cpe:{normalise(vendor)}:{normalise(product)}"


def purl_parts(purl: str) -> tuple[str, str]:
    """(key, version) of a package URL; InvalidInput if it is not one."""
    text = purl.strip()
    if not text.startswith("pkg:") or "/" not in text:
        raise InvalidInput(
            "bad_purl",
            _("%(purl)s is not a package URL (pkg:type/name@version).") % {"purl": purl[:120]},
        )
    body = text[4:].split("?", 1)[0].split("#", 1)[0]
    name, _at, version = body.partition("@")
    return "purl:" + name.lower().strip("/"), version


def software_keys(*, vendor: str, product: str, cpe: str = "", purl: str = "") -> tuple[str, str]:
    """(cpe_key, purl_key) of one piece of software."""
    if cpe:
        parts = cpe_parts(cpe)
        key = cpe_key(parts[3], parts[4])
    else:
        key = cpe_key(vendor, product)
    return key, purl_parts(purl)[0] if purl else ""
