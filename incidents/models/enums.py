"""Enumerations of the incident record (DOMAIN-MODEL §2.2–2.3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB_FORM = "WEB_FORM", _("Web form")
    ONE_TAP = "ONE_TAP", _("One-tap report")
    PHONE = "PHONE", _("Phone")
    EMAIL = "EMAIL", _("Email")
    CHAT = "CHAT", _("Chat")
    API = "API", _("API")
    EDR_ALERT = "EDR_ALERT", _("EDR alert")
    SOC_ALERT = "SOC_ALERT", _("SOC alert")
    EXTERNAL_NOTIFICATION = "EXTERNAL_NOTIFICATION", _("External notification")
    OTHER = "OTHER", _("Other")


class WhatHappened(models.TextChoices):
    RECEIVED_ONLY = "RECEIVED_ONLY", _("I only received it")
    OPENED_ATTACHMENT = "OPENED_ATTACHMENT", _("I opened the attachment")
    CLICKED_LINK = "CLICKED_LINK", _("I clicked the link")
    ENTERED_PASSWORD = "ENTERED_PASSWORD", _("I entered a password")


class IntakeProblem(models.TextChoices):
    """A record derived from a report that could not be written; the report itself was kept."""

    ASSET = "ASSET", _("The reporter's PC could not be recorded")
    MAIL_RECORDS = "MAIL_RECORDS", _("The email's indicators and delivery could not be recorded")
    GROUPING = "GROUPING", _("The report could not be grouped with other reports of the email")


class Category(models.TextChoices):
    TARGETED_EMAIL = "TARGETED_EMAIL", _("Targeted-attack email")
    CREDENTIAL_PHISHING = "CREDENTIAL_PHISHING", _("Credential phishing")
    BEC = "BEC", _("Business email compromise")
    MALWARE_INFECTION = "MALWARE_INFECTION", _("Malware infection")
    RANSOMWARE = "RANSOMWARE", _("Ransomware")
    UNAUTHORIZED_ACCESS = "UNAUTHORIZED_ACCESS", _("Unauthorised access")
    WEB_DEFACEMENT = "WEB_DEFACEMENT", _("Web defacement")
    DOS = "DOS", _("DoS / DDoS")
    DATA_LEAK = "DATA_LEAK", _("Data leak (cyber)")
    MISDIRECTED_TRANSMISSION = "MISDIRECTED_TRANSMISSION", _("Misdirected transmission")
    LOSS_THEFT = "LOSS_THEFT", _("Loss or theft")
    INSIDER_MISUSE = "INSIDER_MISUSE", _("Insider misuse")
    SYSTEM_OUTAGE = "SYSTEM_OUTAGE", _("System outage (not an attack)")
    VULNERABILITY = "VULNERABILITY", _("Vulnerability (not exploited)")
    SCAN_PROBE = "SCAN_PROBE", _("Scan or probe")
    OTHER = "OTHER", _("Other / undetermined")


class AttackVector(models.TextChoices):
    EMAIL = "EMAIL", _("Email")
    WEB = "WEB", _("Web")
    EXTERNAL_MEDIA = "EXTERNAL_MEDIA", _("External media")
    ATTRITION = "ATTRITION", _("Attrition")
    IMPERSONATION = "IMPERSONATION", _("Impersonation")
    IMPROPER_USAGE = "IMPROPER_USAGE", _("Improper usage")
    LOSS_THEFT = "LOSS_THEFT", _("Loss or theft")
    OTHER = "OTHER", _("Other")


class EventStatus(models.TextChoices):
    RECEIVED = "RECEIVED", _("Waiting for triage")
    PROMOTED = "PROMOTED", _("Promoted to an incident")
    ATTACHED = "ATTACHED", _("Attached to an incident")
    NOT_INCIDENT = "NOT_INCIDENT", _("Not an incident")
    DUPLICATE = "DUPLICATE", _("Duplicate")
    TRANSFERRED = "TRANSFERRED", _("Transferred")


class Disposition(models.TextChoices):
    """RSIT incident-disposition taxonomy (MISP machinetag)."""

    INSUFFICIENT_DATA = "not-an-incident:insufficient-data", _("Not an incident: insufficient data")
    FAULTY_INDICATOR = "not-an-incident:faulty-indicator", _("Not an incident: faulty indicator")
    MISCONFIGURATION = "not-an-incident:misconfiguration", _("Not an incident: misconfiguration")
    SCAN_PROBE = "not-an-incident:scan-probe", _("Not an incident: scan or probe")
    FAILED = "not-an-incident:failed", _("Not an incident: failed attempt")
    REFUTED = "not-an-incident:refuted", _("Not an incident: refuted")
    DUPLICATE = "duplicate", _("Duplicate")
    TRANSFERRED = "incident:transferred", _("Transferred")


class Priority(models.TextChoices):
    P1 = "P1", _("P1 (critical)")
    P2 = "P2", _("P2 (high)")
    P3 = "P3", _("P3 (medium)")
    P4 = "P4", _("P4 (low)")


class Impact(models.TextChoices):
    """Functional impact (NIST SP 800-61 r2, table 3-2)."""

    NONE = "NONE", _("None")
    LOW = "LOW", _("Low")
    MEDIUM = "MEDIUM", _("Medium")
    HIGH = "HIGH", _("High")


class InformationImpact(models.TextChoices):
    NONE = "NONE", _("None")
    PRIVACY_BREACH = "PRIVACY_BREACH", _("Privacy breach")
    PROPRIETARY_BREACH = "PROPRIETARY_BREACH", _("Proprietary breach")
    INTEGRITY_LOSS = "INTEGRITY_LOSS", _("Integrity loss")


class Recoverability(models.TextChoices):
    REGULAR = "REGULAR", _("Regular")
    SUPPLEMENTED = "SUPPLEMENTED", _("Supplemented")
    EXTENDED = "EXTENDED", _("Extended")
    NOT_RECOVERABLE = "NOT_RECOVERABLE", _("Not recoverable")


class Determination(models.TextChoices):
    SUSPECTED = "SUSPECTED", _("Suspected")
    SUCCESSFUL_ATTEMPT = "SUCCESSFUL_ATTEMPT", _("Successful attempt")
    BLOCKED = "BLOCKED", _("Blocked")
    FAILED_ATTEMPT = "FAILED_ATTEMPT", _("Failed attempt")
    FALSE_POSITIVE = "FALSE_POSITIVE", _("False positive")
    LOW_VALUE = "LOW_VALUE", _("Low value")


class IncidentStatus(models.TextChoices):
    DECLARED = "DECLARED", _("Declared (first response)")
    CONTAINING = "CONTAINING", _("Containing")
    ERADICATING = "ERADICATING", _("Eradicating")
    RECOVERING = "RECOVERING", _("Recovering")
    MONITORING = "MONITORING", _("Monitoring")
    REVIEWING = "REVIEWING", _("Post-incident review")
    CLOSED = "CLOSED", _("Closed")


class Tlp(models.TextChoices):
    CLEAR = "CLEAR", "TLP:CLEAR"
    GREEN = "GREEN", "TLP:GREEN"
    AMBER = "AMBER", "TLP:AMBER"
    AMBER_STRICT = "AMBER_STRICT", "TLP:AMBER+STRICT"
    RED = "RED", "TLP:RED"


class Suspicion(models.TextChoices):
    NONE = "NONE", _("None")
    SUSPECTED = "SUSPECTED", _("Suspected")
    CONFIRMED = "CONFIRMED", _("Confirmed")


class AssetKind(models.TextChoices):
    PC = "PC", _("PC")
    SERVER = "SERVER", _("Server")
    FILE_SERVER = "FILE_SERVER", _("File server")
    NETWORK_DEVICE = "NETWORK_DEVICE", _("Network device")
    SAAS = "SAAS", _("SaaS")
    MOBILE = "MOBILE", _("Mobile device")


class Criticality(models.TextChoices):
    LOW = "LOW", _("Low")
    MED = "MED", _("Medium")
    HIGH = "HIGH", _("High")


class InfectionState(models.TextChoices):
    NONE = "NONE", _("Not infected")
    SUSPECTED = "SUSPECTED", _("Suspected")
    CONFIRMED = "CONFIRMED", _("Confirmed")
    COMPROMISED = "COMPROMISED", _("Compromised")


INFECTION_RANK = {"NONE": 0, "SUSPECTED": 1, "CONFIRMED": 2, "COMPROMISED": 3}
EFFECTIVE_INFECTION = ("SUSPECTED", "CONFIRMED", "COMPROMISED")  # rule X-4
SERVER_KINDS = ("SERVER", "FILE_SERVER")  # rule L3-b: the servers of the escalation snapshot


class InfectionVia(models.TextChoices):
    MAIL = "MAIL", _("Mail")
    LATERAL = "LATERAL", _("Lateral (secondary infection)")
    UNKNOWN = "UNKNOWN", _("Unknown")


class MalwareCapability(models.TextChoices):
    UNKNOWN = "UNKNOWN", _("Unknown")
    DOWNLOADER = "DOWNLOADER", _("Downloader")
    RAT = "RAT", _("Remote access tool")
    INFO_STEALER = "INFO_STEALER", _("Information stealer")
    RANSOMWARE = "RANSOMWARE", _("Ransomware")
    WORM = "WORM", _("Worm")


class ContainmentState(models.TextChoices):
    NOT_CONTAINED = "NOT_CONTAINED", _("Not contained")
    ISOLATED = "ISOLATED", _("Isolated")


class IsolationMethod(models.TextChoices):
    LAN_UNPLUG = "LAN_UNPLUG", _("LAN cable pulled")
    WIFI_OFF = "WIFI_OFF", _("Wi-Fi turned off")
    EDR_CONTAIN = "EDR_CONTAIN", _("EDR network containment")
    SWITCH_PORT = "SWITCH_PORT", _("Switch port shut down")
    POWER_OFF = "POWER_OFF", _("Powered off (destroys evidence)")


class RemediationState(models.TextChoices):
    NONE = "NONE", _("None")
    CLEANED = "CLEANED", _("Cleaned")
    REIMAGED = "REIMAGED", _("Reimaged")
    RESTORED = "RESTORED", _("Restored to service")
    RETIRED = "RETIRED", _("Retired")


class IndicatorKind(models.TextChoices):
    SENDER_ADDRESS = "SENDER_ADDRESS", _("Sender address")
    SUBJECT = "SUBJECT", _("Subject")
    MESSAGE_ID = "MESSAGE_ID", _("Message-ID")
    URL = "URL", _("URL")
    DOMAIN = "DOMAIN", _("Domain")
    IP = "IP", _("IP address")
    FILE_SHA256 = "FILE_SHA256", _("File SHA-256")
    FILE_NAME = "FILE_NAME", _("File name")
    C2_DOMAIN = "C2_DOMAIN", _("C2 domain")
    C2_IP = "C2_IP", _("C2 IP address")


C2_KINDS = (IndicatorKind.C2_DOMAIN, IndicatorKind.C2_IP)
# Indicators that are blocked on the network (G-REMEDIATED, task L2-05).
NETWORK_INDICATOR_KINDS = (*C2_KINDS, IndicatorKind.URL, IndicatorKind.DOMAIN)


class BlockPoint(models.TextChoices):
    MAIL_GATEWAY = "MAIL_GATEWAY", _("Mail gateway")
    PROXY = "PROXY", _("Proxy")
    DNS = "DNS", _("DNS")
    FIREWALL = "FIREWALL", _("Firewall")
    EDR = "EDR", _("EDR")


class TaskStatus(models.TextChoices):
    OPEN = "OPEN", _("Open")
    DONE = "DONE", _("Done")
    WAIVED = "WAIVED", _("Waived")


class EvidenceKind(models.TextChoices):
    MAIL_SAMPLE = "MAIL_SAMPLE", _("Mail sample")
    DISK_IMAGE = "DISK_IMAGE", _("Disk image")
    MEMORY_IMAGE = "MEMORY_IMAGE", _("Memory image")
    LOG_EXTRACT = "LOG_EXTRACT", _("Log extract")
    SCREENSHOT = "SCREENSHOT", _("Screenshot")
    OTHER = "OTHER", _("Other")


class CustodyAction(models.TextChoices):
    COLLECTED = "COLLECTED", _("Collected")
    TRANSFERRED = "TRANSFERRED", _("Transferred")
    STORED = "STORED", _("Stored")
    RETURNED = "RETURNED", _("Returned")
