"""Enumerations of personal data and the legal clocks (DOMAIN-MODEL §2.2, §2.3, §3.6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcessingRole(models.TextChoices):
    CONTROLLER = "CONTROLLER", _("Our own data (controller)")
    ENTRUSTED = "ENTRUSTED", _("Entrusted to us (委託)")


class Confidentiality(models.TextChoices):
    PUBLIC = "PUBLIC", _("Public")
    INTERNAL = "INTERNAL", _("Internal")
    CONFIDENTIAL = "CONFIDENTIAL", _("Confidential")
    STRICTLY_CONFIDENTIAL = "STRICTLY_CONFIDENTIAL", _("Strictly confidential")


class LeakKind(models.TextChoices):
    """A-1 (a), (d), (e): what became known about a data set."""

    EXFIL_SUSPECTED = "EXFIL_SUSPECTED", _("Exfiltration suspected")
    LEAK_CONFIRMED = "LEAK_CONFIRMED", _("Leak confirmed")
    MAIL_MISDIRECTED = "MAIL_MISDIRECTED", _("Mail or post sent to the wrong recipient")
    MEDIA_LOST = "MEDIA_LOST", _("Device or media lost")
    MEDIA_STOLEN = "MEDIA_STOLEN", _("Device or media stolen")
    EXTERNAL_NOTIFICATION = "EXTERNAL_NOTIFICATION", _("Outside notification of a possible leak")


# The leak status each kind means on the incident.
LEAK_STATUS = {
    LeakKind.EXFIL_SUSPECTED: "SUSPECTED",
    LeakKind.LEAK_CONFIRMED: "CONFIRMED",
    LeakKind.MAIL_MISDIRECTED: "CONFIRMED",
    LeakKind.MEDIA_LOST: "SUSPECTED",
    LeakKind.MEDIA_STOLEN: "SUSPECTED",
    LeakKind.EXTERNAL_NOTIFICATION: "SUSPECTED",
}


class Screening(models.TextChoices):
    NOT_SCREENED = "NOT_SCREENED", _("Not screened yet")
    REQUIRED = "REQUIRED", _("Assessment required")
    NOT_APPLICABLE = "NOT_APPLICABLE", _("No personal data involved")


class AppiStatus(models.TextChoices):
    NOT_ASSESSED = "NOT_ASSESSED", _("Not assessed")
    LIKELY_REPORTABLE = "LIKELY_REPORTABLE", _("Likely reportable (おそれ)")
    REPORTABLE = "REPORTABLE", _("Reportable")
    NOT_REPORTABLE = "NOT_REPORTABLE", _("Not reportable")


class Cause(models.TextChoices):
    CYBER_ATTACK = "CYBER_ATTACK", _("Cyber attack")
    INSIDER_MALICIOUS = "INSIDER_MALICIOUS", _("Malicious insider")
    THEFT = "THEFT", _("Theft")
    HUMAN_ERROR = "HUMAN_ERROR", _("Human error")
    LOSS = "LOSS", _("Loss")
    SYSTEM_FAULT = "SYSTEM_FAULT", _("System fault")


# category 3 (an unauthorised purpose) follows from these causes.
UNAUTHORISED_PURPOSE = frozenset({Cause.CYBER_ATTACK, Cause.INSIDER_MALICIOUS, Cause.THEFT})
# the cause a kind of leak suggests, when nobody set one.
CAUSE_OF_KIND = {
    LeakKind.MAIL_MISDIRECTED: Cause.HUMAN_ERROR,
    LeakKind.MEDIA_LOST: Cause.LOSS,
    LeakKind.MEDIA_STOLEN: Cause.THEFT,
}


class Exemption(models.TextChoices):
    NONE = "NONE", _("No exemption")
    HIGH_GRADE_ENCRYPTION = "HIGH_GRADE_ENCRYPTION", _("Encrypted to a high standard")
    ENTRUSTED_NOTIFIED_CONTROLLER = (
        "ENTRUSTED_NOTIFIED_CONTROLLER",
        _("Entrusted: the entrusting party is notified"),
    )


class ReportForm(models.TextChoices):
    PPC_WEB_FORM = "PPC_WEB_FORM", _("PPC web form")
    RANSOMWARE_COMMON_FORM = "RANSOMWARE_COMMON_FORM", _("Common ransomware form")
    DDOS_COMMON_FORM = "DDOS_COMMON_FORM", _("Common DDoS form")


class ObligationKind(models.TextChoices):
    PPC_SOKUHO = "PPC_SOKUHO", _("PPC preliminary report (速報)")
    PPC_KAKUHO = "PPC_KAKUHO", _("PPC final report (確報)")
    INDIVIDUAL_NOTICE = "INDIVIDUAL_NOTICE", _("Notice to the individuals (本人通知)")
    NOTIFY_ENTRUSTING_PARTY = "NOTIFY_ENTRUSTING_PARTY", _("Notice to the entrusting party")
    POLICE_CONSULT = "POLICE_CONSULT", _("Police consultation")
    IPA_NOTIFICATION = "IPA_NOTIFICATION", _("IPA notification (届出)")
    JPCERT_REPORT = "JPCERT_REPORT", _("JPCERT/CC report")
    SECTOR_REGULATOR = "SECTOR_REGULATOR", _("Sector regulator")
    INSURER = "INSURER", _("Insurer")
    CONTRACTUAL_NOTICE = "CONTRACTUAL_NOTICE", _("Contract partners")


APPI_KINDS = frozenset(
    {
        ObligationKind.PPC_SOKUHO,
        ObligationKind.PPC_KAKUHO,
        ObligationKind.INDIVIDUAL_NOTICE,
        ObligationKind.NOTIFY_ENTRUSTING_PARTY,
        ObligationKind.POLICE_CONSULT,
        ObligationKind.IPA_NOTIFICATION,
    }
)
# What each kind rests on (shown with the obligation).
BASIS = {
    ObligationKind.PPC_SOKUHO: (
        "個人情報保護法26条1項・施行規則8条1項・ガイドライン3-5-3-3（概ね3～5日）"
    ),
    ObligationKind.PPC_KAKUHO: "個人情報保護法26条1項・施行規則8条2項（30日／60日以内）",
    ObligationKind.INDIVIDUAL_NOTICE: "個人情報保護法26条2項・施行規則10条",
    ObligationKind.NOTIFY_ENTRUSTING_PARTY: "個人情報保護法26条1項ただし書",
    ObligationKind.POLICE_CONSULT: "IPA「中小企業の情報セキュリティ対策ガイドライン」付録（推奨）",
    ObligationKind.IPA_NOTIFICATION: "IPA 届出制度（推奨）",
    ObligationKind.JPCERT_REPORT: "JPCERT/CC インシデント報告（任意）",
    ObligationKind.SECTOR_REGULATOR: "業法・所管省庁の定め",
    ObligationKind.INSURER: "保険契約の定め",
    ObligationKind.CONTRACTUAL_NOTICE: "取引契約の定め",
}


class ObligationStatus(models.TextChoices):
    OPEN = "OPEN", _("Open")
    DONE = "DONE", _("Done")
    WAIVED = "WAIVED", _("Waived")


class ReportVersion(models.TextChoices):
    SOKUHO = "SOKUHO", _("Preliminary report (速報)")
    KAKUHO = "KAKUHO", _("Final report (確報)")
