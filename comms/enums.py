"""Enumerations of communications, their templates and the external contacts (DOMAIN-MODEL §2.2
Communication and ExternalContact, §3.7 N-1 … N-4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Audience(models.TextChoices):
    ALL_STAFF = "ALL_STAFF", _("All staff")
    DEPARTMENT = "DEPARTMENT", _("A department")
    CUSTOMERS = "CUSTOMERS", _("Customers at large")
    PARTNERS = "PARTNERS", _("Business partners and individual customers")
    INDIVIDUALS = "INDIVIDUALS", _("Affected individuals")
    MEDIA = "MEDIA", _("The media")
    PUBLIC = "PUBLIC", _("The public (web notice)")
    PPC = "PPC", _("Personal Information Protection Commission")
    POLICE = "POLICE", _("Police")
    IPA = "IPA", _("IPA")
    JPCERT_CC = "JPCERT_CC", _("JPCERT/CC")
    SECTOR_REGULATOR = "SECTOR_REGULATOR", _("Sector regulator")
    ISAC = "ISAC", _("ISAC")
    INSURER = "INSURER", _("Cyber insurer")
    ENTRUSTING_PARTY = "ENTRUSTING_PARTY", _("Entrusting party")
    VENDOR = "VENDOR", _("IT vendor")


INTERNAL = frozenset({Audience.ALL_STAFF, Audience.DEPARTMENT})
# Audiences that need an approved PUBLIC_ANNOUNCEMENT decision before the message is sent.
PUBLIC = frozenset({Audience.MEDIA, Audience.PUBLIC, Audience.CUSTOMERS})


class Channel(models.TextChoices):
    EMAIL = "EMAIL", _("Email")
    WEB = "WEB", _("Web notice")
    PRESS = "PRESS", _("Press release / press conference")
    PHONE = "PHONE", _("Phone")
    LETTER = "LETTER", _("Letter")
    FORM = "FORM", _("Online report form")
    MEETING = "MEETING", _("Meeting / in person")
    CHAT = "CHAT", _("Chat")
    OTHER = "OTHER", _("Other")


class Status(models.TextChoices):
    DRAFT = "DRAFT", pgettext_lazy("comms", "Draft")
    APPROVED = "APPROVED", pgettext_lazy("comms", "Approved")
    SENT = "SENT", pgettext_lazy("comms", "Sent")
    CANCELLED = "CANCELLED", pgettext_lazy("comms", "Cancelled")


class TemplateKind(models.TextChoices):
    STAFF_WARNING = "STAFF_WARNING", _("Warning to all staff")
    CUSTOMER_NOTICE = "CUSTOMER_NOTICE", _("Notice and apology to partners and customers")
    PRESS_RELEASE = "PRESS_RELEASE", _("Press release")
    QA = "QA", _("Prepared Q&A for the enquiry desk")
    JPCERT_REPORT = "JPCERT_REPORT", _("Report to JPCERT/CC")
    IPA_REPORT = "IPA_REPORT", _("Report to IPA")
    POLICE_REPORT = "POLICE_REPORT", _("Report to the police")
    INSURER_NOTICE = "INSURER_NOTICE", _("First notice to the insurer")


class ContactKind(models.TextChoices):
    PPC = "PPC", _("Personal Information Protection Commission")
    IPA = "IPA", _("IPA")
    JPCERT_CC = "JPCERT_CC", _("JPCERT/CC")
    POLICE = "POLICE", _("Prefectural police cyber desk")
    SECTOR_REGULATOR = "SECTOR_REGULATOR", _("Sector regulator")
    INSURER = "INSURER", _("Cyber insurer")
    IT_VENDOR = "IT_VENDOR", _("IT vendor")
    FORENSICS = "FORENSICS", _("Forensics company")
    LAWYER = "LAWYER", _("Lawyer")
    ISAC = "ISAC", _("ISAC")
    OTHER = "OTHER", _("Other")


class GuestRole(models.TextChoices):
    """What an outside responder may do in the one incident they are invited to."""

    READ = "READ", pgettext_lazy("guest", "Read")
    CONTRIBUTE = (
        "CONTRIBUTE",
        pgettext_lazy("guest", "Read and add evidence, findings and comments"),
    )
