"""Enumerations of vulnerability handling: exposure roles, severities, VEX-style statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExposureRole(models.TextChoices):
    VPN = "VPN", _("VPN appliance")
    FIREWALL = "FIREWALL", _("Firewall")
    MAIL = "MAIL", _("Mail server")
    WEB = "WEB", _("Web server")
    OTHER = "OTHER", _("Other internet-facing service")
    INTERNAL = "INTERNAL", _("Internal only")


class Severity(models.TextChoices):
    """The CVSS qualitative rating (CVSS v3.1 / v4.0 specification, section 5)."""

    CRITICAL = "CRITICAL", _("Critical")
    HIGH = "HIGH", _("High")
    MEDIUM = "MEDIUM", _("Medium")
    LOW = "LOW", _("Low")
    NONE = "NONE", _("No score")


class FindingStatus(models.TextChoices):
    """VEX-style status of a finding (CISA "Minimum requirements for VEX")."""

    NEW = "NEW", _("New")
    AFFECTED = "AFFECTED", _("Affected")
    NOT_AFFECTED = "NOT_AFFECTED", _("Not affected")
    MITIGATED = "MITIGATED", _("Mitigated")
    FIXED = "FIXED", _("Fixed")
    RISK_ACCEPTED = "RISK_ACCEPTED", _("Risk accepted")


OPEN_STATUSES = (FindingStatus.NEW, FindingStatus.AFFECTED)


class Justification(models.TextChoices):
    """Why a product is not affected (the VEX justifications of CISA and OpenVEX)."""

    COMPONENT_NOT_PRESENT = "component_not_present", _("The affected component is not present")
    CODE_NOT_PRESENT = "vulnerable_code_not_present", _("The vulnerable code is not present")
    CODE_NOT_IN_PATH = (
        "vulnerable_code_not_in_execute_path",
        _("The vulnerable code is never executed"),
    )
    CANNOT_BE_CONTROLLED = (
        "vulnerable_code_cannot_be_controlled_by_adversary",
        _("An attacker cannot reach the vulnerable code"),
    )
    MITIGATION_EXISTS = "inline_mitigations_already_exist", _("Built-in protection already exists")


class FeedKind(models.TextChoices):
    # Lower case: the names NVD, KEV, JVN, CSAF are written on pages and are not codes.
    NVD = "nvd", _("NVD CVE JSON 2.0")
    KEV = "kev", _("CISA Known Exploited Vulnerabilities")
    JVN = "jvn", _("JVN overview (MyJVN XML)")
    CSAF = "csaf", _("CSAF 2.0 document")
