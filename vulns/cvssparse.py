"""CVSS vectors read with the maintained ``cvss`` library (RedHat), v3.0/3.1 and v4.0."""

from __future__ import annotations

from decimal import Decimal

import cvss
from django.utils.translation import gettext_lazy as _

from common.errors import InvalidInput
from vulns.policy import severity_of_score


def parse(vector: str) -> tuple[str, Decimal, str]:
    """(normalised vector, base score, severity) of a CVSS vector; InvalidInput if unreadable."""
    text = vector.strip()
    try:
        if text.startswith("CVSS:4.0/"):
            parsed4 = cvss.CVSS4(text)
            score, clean = Decimal(str(parsed4.base_score)), parsed4.clean_vector()
        elif text.startswith("CVSS:3."):
            parsed3 = cvss.CVSS3(text)
            score, clean = Decimal(str(parsed3.base_score)), parsed3.clean_vector()
        else:
            raise cvss.CVSSError("not a CVSS v3 or v4 vector")
    except cvss.CVSSError as error:
        raise InvalidInput(
            "bad_cvss",
            _("%(vector)s is not a CVSS v3.x or v4.0 vector (%(error)s).")
            % {"vector": text[:120], "error": error},
        ) from error
    return clean, score, severity_of_score(float(score))
