"""What each page is for and what to do next (the help panel), and the user guide per role.

Keyed by the URL name of the page (``request.resolver_match.view_name``), so a page gets its
panel without its template knowing: base.html renders ``{% help_panel %}`` once for all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Guide:
    slug: str
    title: Promise
    roles: tuple[str, ...]  # accounts.roles.Role values the guide is written for; () = everyone


GUIDES = (
    Guide("worker", _("Everyone: reporting a suspicious email"), ()),
    Guide("isms-office", _("The ISMS office"), ("ISMS_OFFICE", "POC")),
    Guide(
        "csirt-lead",
        _("The CSIRT lead and handlers"),
        ("CSIRT_LEAD", "INCIDENT_HANDLER", "IT_ADMIN"),
    ),
    Guide("decision-maker", _("Decision makers and deputies"), ("DECISION_MAKER",)),
    Guide("legal", _("Legal and privacy"), ("LEGAL_PRIVACY",)),
    Guide("pr", _("Public relations"), ("PR",)),
)
GUIDES_BY_SLUG = {guide.slug: guide for guide in GUIDES}


@dataclass(frozen=True)
class PageHelp:
    purpose: Promise
    next_steps: tuple[Promise, ...]
    guide: str  # the slug of the guide that explains the page


PAGES: dict[str, PageHelp] = {
    "dashboard:index": PageHelp(
        _("What needs attention now: open incidents, decisions waiting, alerts, triage."),
        (
            _("Start with the tiles marked ⚠; each opens its list."),
            _("Report a suspicious email with the red button at any time."),
        ),
        "isms-office",
    ),
    "incidents:report_start": PageHelp(
        _("Report a suspicious email. One tap sends the report; nothing else is needed first."),
        (
            _("If you opened it, tap the red button, then pull the LAN cable."),
            _("If you only received it, use the button below and say what you know."),
        ),
        "worker",
    ),
    "incidents:link_start": PageHelp(
        _("Report a suspicious email. One tap sends the report; nothing else is needed first."),
        (
            _("If you opened it, tap the red button, then pull the LAN cable."),
            _("If you only received it, use the button below and say what you know."),
        ),
        "worker",
    ),
    "incidents:report_first_aid": PageHelp(
        _("Your report is sent. These are the first things to do, in order."),
        (
            _("Pull the cable, leave the PC on, then call."),
            _("Add the details later from your phone with the code."),
        ),
        "worker",
    ),
    "incidents:link_first_aid": PageHelp(
        _("Your report is sent. These are the first things to do, in order."),
        (
            _("Pull the cable, leave the PC on, then call."),
            _("Add the details later from your phone with the code."),
        ),
        "worker",
    ),
    "incidents:report_form": PageHelp(
        _("What you know about the email. Only “What happened?” is required."),
        (_("Send it; the ISMS office will contact you."),),
        "worker",
    ),
    "incidents:triage_queue": PageHelp(
        _("Reports waiting for the ISMS office, oldest first, grouped by email."),
        (
            _("Open the oldest item and decide: a new incident, part of an open one, or not one."),
            _("Call the reporter if the details have not come."),
        ),
        "isms-office",
    ),
    "incidents:triage_item": PageHelp(
        _("One triage item: its reports, the reporters and how to reach them."),
        (
            _("Declare an incident when a PC may be infected or data may be out."),
            _("Read the reported email on the report's page before you decide."),
        ),
        "isms-office",
    ),
    "sharing:intel_import": PageHelp(
        _("Threat intelligence received from outside (STIX 2.1, MISP) and what it matched here."),
        (
            _("Upload the file JPCERT/CC, IPA or the ISAC sent; name the sender as its source."),
            _("Each match opens one triage item: decide it like a report."),
        ),
        "isms-office",
    ),
    "incidents:report_detail": PageHelp(
        _("One report: who sent it, how to reach them, and the email they attached."),
        (_("The email is shown as text only; download the .eml to analyse it."),),
        "isms-office",
    ),
    "incidents:incident_list": PageHelp(
        _("Every incident you may see, newest first."),
        (_("Open an incident to work on it."),),
        "csirt-lead",
    ),
    "incidents:incident_detail": PageHelp(
        _("The incident room: level, status, decisions, PCs, mail, tasks, evidence and timeline."),
        (
            _("Record each infected or isolated PC: the level recommendation follows."),
            _("Work through the checklist tasks; keep evidence with its hash."),
        ),
        "csirt-lead",
    ),
    "bcp:decision_inbox": PageHelp(
        _("Decisions waiting for you (or for the person you stand in for), with their deadlines."),
        (_("Open the one with the shortest time left and decide."),),
        "decision-maker",
    ),
    "bcp:decision_detail": PageHelp(
        _("One decision: what the rules found, what is asked, and the deadline."),
        (_("Decide with a short reason; after the deadline it goes to your deputy."),),
        "decision-maker",
    ),
    "bcp:roster": PageHelp(
        _("Who holds each role now, their deputies, absences and delegations."),
        (
            _("Every deciding role needs a deputy: fix any role marked ⚠."),
            _("Record absences so that decisions go to the deputy at once."),
        ),
        "isms-office",
    ),
    "bcp:plan": PageHelp(
        _("The cyber BCP: the services to keep running and the call tree."),
        (_("Keep the phone numbers current; review the plan after each exercise."),),
        "isms-office",
    ),
    "notifications:list": PageHelp(
        _("Alerts sent to you and whether they were acknowledged."),
        (_("Acknowledge each alert you have read, so nobody is called again."),),
        "isms-office",
    ),
    "training:hub": PageHelp(
        _("Training, phishing drills and exercises, and who is ready."),
        (_("Check the coverage, then plan what is missing."),),
        "isms-office",
    ),
    "accounts:people": PageHelp(
        _("Everyone who logs in: their department, their roles, and whether they are active."),
        (
            _("Invite a newcomer by email, then give roles on the roster."),
            _("Deactivate the account of someone who leaves; nothing of theirs is deleted."),
        ),
        "isms-office",
    ),
    "accounts:units": PageHelp(
        _("The departments that reports, training and drills are counted by."),
        (_("Add or rename departments; move people out before deactivating one."),),
        "isms-office",
    ),
    "accounts:unit_edit": PageHelp(
        _("Rename a department or put it under another one."),
        (_("Save, then check the people and training pages that count by department."),),
        "isms-office",
    ),
    "privacy:inbox": PageHelp(
        _("What legal/privacy owes: the reportability decisions and the open obligations."),
        (
            _("Decide reportability within 24 hours; then keep each report's deadline."),
            _("Record each report's receipt number as soon as it is submitted."),
        ),
        "legal",
    ),
    "privacy:incident_privacy": PageHelp(
        _("The incident's personal data: the screening, the clock and the obligations."),
        (
            _("The clock runs from when anyone first knew, not from your assessment."),
            _("Mark each obligation done with its receipt number, or waive it with a reason."),
        ),
        "legal",
    ),
    "privacy:ppc_report": PageHelp(
        _("The report to the PPC, pre-filled from the record; the app does not submit it."),
        (
            _("Fill the empty items, save, and enter the text in the PPC's report form."),
            _("Record the receipt number below; then the final report (確報) follows."),
        ),
        "legal",
    ),
    "privacy:data_sets": PageHelp(
        _("The inventory of personal and confidential data and where it is kept."),
        (_("Link each data set to the assets that hold it and the PCs that can reach it."),),
        "isms-office",
    ),
    "help:index": PageHelp(
        _("The user guide: one page per role."),
        (_("Read the page of your role; every page of the app also has a short help panel."),),
        "worker",
    ),
    "vulns:finding_list": PageHelp(
        _("Vulnerabilities of the imported advisories that affect software on your assets."),
        (
            _("Deal first with the ones marked known exploited (KEV) on internet-facing assets."),
            _("Mark each finding affected, fixed, mitigated or not affected (with its reason)."),
        ),
        "csirt-lead",
    ),
}


def help_for(view_name: str | None) -> PageHelp | None:
    return PAGES.get(view_name or "")
