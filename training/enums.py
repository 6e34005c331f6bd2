"""Enumerations of training, drills, exercises and the CSIRT-function map."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Population(models.TextChoices):
    """Who must be reached: the source document names employees, dispatched workers (派遣) and
    contractors (請負); executives decide in an incident and are trained too."""

    EMPLOYEE = "EMPLOYEE", _("Employee")
    DISPATCHED = "DISPATCHED", _("Dispatched worker")
    CONTRACTOR = "CONTRACTOR", _("Contractor")
    EXECUTIVE = "EXECUTIVE", _("Executive")


class Topic(models.TextChoices):
    TARGETED_EMAIL_BASICS = (
        "TARGETED_EMAIL_BASICS",
        _("Targeted email basics: do not open; if opened, pull the cable at once and report"),
    )
    PHISHING = "PHISHING", _("Phishing and suspicious links")
    INCIDENT_REPORTING = "INCIDENT_REPORTING", _("How to report an incident")
    PASSWORDS_MFA = "PASSWORDS_MFA", _("Passwords and multi-factor authentication")
    INFORMATION_HANDLING = "INFORMATION_HANDLING", _("Handling of information and media")
    PERSONAL_DATA = "PERSONAL_DATA", _("Personal data protection (APPI)")
    MALWARE = "MALWARE", _("Malware and ransomware")
    SOCIAL_ENGINEERING = "SOCIAL_ENGINEERING", _("Social engineering")
    CYBER_BCP = "CYBER_BCP", _("Cyber BCP and decisions in an incident")
    ISMS_POLICY = "ISMS_POLICY", _("ISMS policy and rules")


class Delivery(models.TextChoices):
    CLASSROOM = "CLASSROOM", _("Classroom")
    E_LEARNING = "E_LEARNING", _("E-learning")
    BRIEFING = "BRIEFING", _("Briefing")


class CompletionStatus(models.TextChoices):
    COMPLETED = "COMPLETED", _("Completed")
    ATTENDED = "ATTENDED", _("Attended, not passed")


class AssignmentReason(models.TextChoices):
    DRILL_FOLLOW_UP = "DRILL_FOLLOW_UP", _("Follow-up after a phishing drill")
    MANUAL = "MANUAL", _("Assigned by the ISMS office")


class AssignmentStatus(models.TextChoices):
    OPEN = "OPEN", _("Open")
    DONE = "DONE", _("Done")
    CANCELLED = "CANCELLED", _("Cancelled")


class DueState(models.TextChoices):
    VALID = "VALID", _("Valid")
    DUE = "DUE", _("Due")
    OVERDUE = "OVERDUE", _("Overdue")


class ImportStatus(models.TextChoices):
    PREVIEWED = "PREVIEWED", _("Previewed")
    APPLIED = "APPLIED", _("Imported")
    REJECTED = "REJECTED", _("Rejected")


class ImportKind(models.TextChoices):
    PEOPLE = "PEOPLE", _("People")
    DRILL_RESULTS = "DRILL_RESULTS", _("Phishing drill results")


class ExerciseStatus(models.TextChoices):
    RUNNING = "RUNNING", _("Running")
    PAUSED = "PAUSED", _("Paused")
    FINISHED = "FINISHED", _("Finished")


class ClockMode(models.TextChoices):
    REAL_TIME = "REAL_TIME", _("Real time")
    ACCELERATED = "ACCELERATED", _("Accelerated")
    STEPPED = "STEPPED", _("Step by step")


class InjectKind(models.TextChoices):
    REPORT = "report", _("Report of a suspicious email")
    INFECTION = "infection", _("Terminal infection")
    ISOLATION = "isolation", _("Terminal isolated")
    EXTERNAL_COMM = "external_comm", _("Unauthorised external communication")
    LEAK = "leak", _("Data leak")
    DELIVERY = "delivery", _("Mail delivery to a recipient")
    INDICATOR = "indicator", _("Indicator recorded")
    BLOCK = "block", _("Indicator blocked")
    DECISION_OPEN = "decision_open", _("Decision opened by hand")
    DECIDE = "decide", _("Decision taken")
    RATIFY = "ratify", _("Decision ratified")
    WITHDRAW = "withdraw", _("Decision withdrawn")
    TRANSITION = "transition", _("Incident status changed")
    TASK = "task", _("Task finished")
    COMMUNICATION = "communication", _("Communication")
    OBLIGATION = "obligation", _("Obligation")
    NOTE = "note", _("Narrative (no system effect)")


class DeliveryMode(models.TextChoices):
    """How the organisation delivers a CSIRT function (DOMAIN-MODEL §2.2 CsirtService.mode)."""

    ISMS_NATIVE = "ISMS_NATIVE", _("Within the ISMS")
    PLUS_ALPHA_INHOUSE = "PLUS_ALPHA_INHOUSE", _("+α in-house")
    PLUS_ALPHA_OUTSOURCED = "PLUS_ALPHA_OUTSOURCED", _("+α outsourced")
    NOT_PROVIDED = "NOT_PROVIDED", _("Not yet")


class FunctionGroup(models.TextChoices):
    REACTIVE = "REACTIVE", _("Reactive (incident response)")
    PROACTIVE = "PROACTIVE", _("Proactive (before incidents)")
    QUALITY = "QUALITY", _("Security quality (in normal times)")
