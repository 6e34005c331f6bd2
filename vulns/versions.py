"""Version ranges: VERS strings (purl-spec's "vers") built from the feeds and tested with
``univers``, the maintained library of AboutCode (docs/architecture.md says why).

Ranges of vendor products are written in the VERS ``generic`` scheme. A generic range is
compared as PEP 440 versions (``pypi``: any number of numeric components, "10.0.19045.3803",
"9.20" < "24.07") when the version and the bounds read so, else as coerced semantic versions
("7.2p1", "9.6p1"). univers' ``intdot`` scheme is not used: it compares "9.20" after "24.07".
A version no scheme can read matches nothing; a purl range uses its own ecosystem's scheme.
"""

from __future__ import annotations

from functools import lru_cache

from univers.version_constraint import VersionConstraint
from univers.version_range import VersionRange

EVERY = "*"


def range_string(
    *,
    exact: str = "",
    start_including: str = "",
    start_excluding: str = "",
    end_including: str = "",
    end_excluding: str = "",
    scheme: str = "generic",
) -> str:
    """The VERS string of a CPE match (NVD's versionStart/End…) or an exact version."""
    bounds = [
        (">=", start_including),
        (">", start_excluding),
        ("<=", end_including),
        ("<", end_excluding),
    ]
    constraints = [(op, v.strip()) for op, v in bounds if v and v.strip()]
    if exact and exact not in ("*", "-"):
        constraints = [("=", exact.strip())]
    if not constraints:
        return EVERY
    return f"vers:{scheme}/" + "|".join(f"{op}{v}" for op, v in constraints)


@lru_cache(maxsize=65536)
def _parsed(vers: str) -> VersionRange | None:
    try:
        return VersionRange.from_string(vers)
    except Exception:  # a range the library refuses matches nothing (never a 500)
        return None


GENERIC_ORDER = ("pypi", "generic")


@lru_cache(maxsize=262144)
def contains(vers: str, version: str) -> bool:
    """Whether ``version`` falls in the VERS range ``vers`` ("*": every version)."""
    if vers == EVERY:
        return True
    version = version.strip()
    if not version:
        return False
    scheme, _slash, constraints = vers.partition("/")
    schemes = GENERIC_ORDER if scheme == "vers:generic" else (scheme[len("vers:") :],)
    for name in schemes:
        parsed = _parsed(f"vers:{name}/{constraints}")
        if parsed is None:
            continue
        try:
            return parsed.version_class(version) in parsed
        except (ValueError, TypeError, AttributeError):
            continue  # a version this scheme cannot read ("latest"; "9.6p1" is not PEP 440)
    return False


def is_valid(vers: str) -> bool:
    return vers == EVERY or _parsed(vers) is not None


__all__ = ["EVERY", "VersionConstraint", "contains", "is_valid", "range_string"]
