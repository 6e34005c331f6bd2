"""Plain-language reasons for a recommendation, in the user's language, with the rule id."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from incidents.models.enums import Suspicion
from risklevels.evaluator import FiredRule

_TEXTS = {
    "L2-a": lambda d: _("%(count)s PCs infected (threshold %(threshold)s): %(assets)s") % d,
    "L2-b": lambda d: _("a new infection (%(new)s) after %(isolated)s was isolated") % d,
    "L2-c": lambda d: _("secondary (lateral) infection: %(assets)s") % d,
    "L2-d": lambda d: (
        _("unauthorised communication to the outside (%(status)s)")
        % {"status": _suspicion(d.get("status"))}
    ),
    "L2-e": lambda d: _("a leak suspected from one PC's data"),
    "L3-a": lambda d: {
        "server": _("a leak from a server or shared data store"),
        "pcs": _("a leak from %(pcs)s PCs") % d,
        "personal": _("a confirmed leak of personal data"),
        "data_set": _("a leak of a data set holding personal or confidential data"),
    }[str(d["reason"])],
    "L3-b": lambda d: (
        _("a server holding personal or confidential data is compromised: %(assets)s") % d
    ),
}


def _suspicion(code: object) -> str:
    """SUSPECTED/CONFIRMED in words (docs/glossary.md: no code on a page)."""
    return str(Suspicion(code).label) if code in Suspicion.values else str(code)


def explain(rule: FiredRule) -> str:
    text = _TEXTS.get(rule.rule_id)
    body = text(rule.detail_dict()) if text else rule.rule_id
    return f"{body} [{rule.rule_id}]"


def explain_all(rules: tuple[FiredRule, ...] | list[FiredRule]) -> list[str]:
    return [explain(rule) for rule in rules]


def join_reasons(texts: list[str]) -> str:
    """Several reasons in one line, with the reader's language's separator (full-width in
    Japanese, where an ASCII "; " would be a seam)."""
    return pgettext("separator between reasons", "; ").join(texts)
