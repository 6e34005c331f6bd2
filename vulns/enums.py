"""Enumerations of vulnerability handling: exposure roles, severities, VEX-style statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExposureRole(models.TextChoices):
    VPN = "VPN", _("VPN appliance")
    FIREWALL = "FIREWALL", _("Firewall")
    MAIL = "MAIL", _("Mail server")
    WEB = "WEB", _("Web server")
    OTHER = "OTHER", _("Other internet-facing service")
    INTERNAL = "INTERNAL", _("Internal only")


class Severity(models.TextChoices):
    """The CVSS qualitative rating (CVSS v3.1 / v4.0 specification, section 5)."""

    # In context: the project's catalogue has other "High" / "Medium" (高 / 中).
    CRITICAL = "CRITICAL", pgettext_lazy("CVSS severity", "Critical")
    HIGH = "HIGH", pgettext_lazy("CVSS severity", "High")
    MEDIUM = "MEDIUM", pgettext_lazy("CVSS severity", "Medium")
    LOW = "LOW", pgettext_lazy("CVSS severity", "Low")
    NONE = "NONE", pgettext_lazy("CVSS severity", "No score")


class FindingStatus(models.TextChoices):
    """VEX-style status of a finding (CISA "Minimum requirements for VEX")."""

    NEW = "NEW", pgettext_lazy("VEX status", "New")
    AFFECTED = "AFFECTED", pgettext_lazy("VEX status", "Affected")
    NOT_AFFECTED = "NOT_AFFECTED", pgettext_lazy("VEX status", "Not affected")
    MITIGATED = "MITIGATED", pgettext_lazy("VEX status", "Mitigated")
    FIXED = "FIXED", pgettext_lazy("VEX status", "Fixed")
    RISK_ACCEPTED = "RISK_ACCEPTED", pgettext_lazy("VEX status", "Risk accepted")


OPEN_STATUSES = (FindingStatus.NEW, FindingStatus.AFFECTED)

# What each kind of history entry of a finding (``FindingEvent.kind``) says.
EVENT_LABELS = {
    "finding.found": _("Found by matching the inventory"),
    "finding.status": _("Status changed"),
    "finding.due_changed": _("Due date recomputed"),
    "finding.no_longer_matches": _("The inventory no longer has an affected version."),
    "finding.incident": _("Incident opened"),
    "finding.risk_requested": _("Risk acceptance asked of the decision maker"),
    "finding.risk_accepted": _("Risk accepted by decision"),
    "finding.risk_declined": _("Risk acceptance declined"),
}


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


class InventoryImportKind(models.TextChoices):
    CSV = "csv", _("Inventory CSV")
    CYCLONEDX = "cyclonedx", _("CycloneDX SBOM")
    SPDX = "spdx", _("SPDX SBOM")


class InventoryImportStatus(models.TextChoices):
    PREVIEWED = "PREVIEWED", pgettext_lazy("inventory import", "Checked, not imported yet")
    APPLIED = "APPLIED", pgettext_lazy("inventory import", "Imported")
    DISCARDED = "DISCARDED", pgettext_lazy("inventory import", "Discarded")
