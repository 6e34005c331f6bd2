"""Message templates: the organisation's copy of each kind in Japanese and English (seeded from
``comms.catalogue`` on first use, then theirs to edit), and drafts pre-filled from the record.

A draft fills what the record knows (dates in the organisation's time zone, counts, the mail's
sender, subject and attachment, the indicators the message's TLP allows, the measures taken)
and marks what a person must still write: 【要記入：…】 in Japanese, [TO FILL: …] in English.
No raw code reaches the text: levels, audiences and kinds are written in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from common import clock
from common.errors import InvalidInput
from comms import access, catalogue, rules
from comms.enums import ContactKind, TemplateKind
from comms.models import Communication, ExternalContact, MessageTemplate
from comms.services.communications import communication_draft
from incidents import access as incident_access
from incidents.models import AffectedAsset, Incident, Indicator, MailDelivery, MailMessage, Task
from incidents.models import enums as e

LANGUAGES = ("ja", "en")
PLACEHOLDER = re.compile(r"\{([a-z_]{1,40})\}")
GAP = {"ja": "【要記入：{what}】", "en": "[TO FILL: {what}]"}
SHOWN_INDICATORS = 20
SHOWN_MEASURES = 10

# placeholder → what a person writes when the record does not know it
FACTS: dict[str, Any] = {
    "organisation": _("organisation name"),
    "incident_ref": _("incident reference"),
    "incident_title": _("what happened"),
    "declared_at": _("date and time"),
    "today": _("today's date"),
    "level": _("level"),
    "mail_sender": _("sender"),
    "mail_subject": _("subject"),
    "attachment": _("attachment name"),
    "mail_url": _("URL"),
    "infected_count": _("number of hosts"),
    "recipients_count": _("number of recipients"),
    "indicators": _("indicators"),
    "measures": _("measures taken"),
    "desk_phone": _("phone number"),
    "desk_email": _("email address"),
    "insurer_policy": _("policy number"),
}
LEVELS = {1: _("level 1 (isolate)"), 2: _("level 2 (spread)"), 3: _("level 3 (leak)")}


def _language(language: str) -> str:
    return language if language in LANGUAGES else "ja"


@transaction.atomic
def templates_ensure(*, organisation: Organisation) -> None:
    """Give the organisation its copy of every default template it does not have yet."""
    have = set(
        MessageTemplate.objects.filter(organisation=organisation).values_list("kind", "language")
    )
    for language, texts in catalogue.TEXTS.items():
        for kind, (subject, body) in texts.items():
            if (kind, language) in have:
                continue
            try:
                with transaction.atomic():
                    MessageTemplate.objects.create(
                        organisation=organisation,
                        kind=kind,
                        language=language,
                        subject=subject,
                        body=body,
                    )
            except IntegrityError:
                pass  # seeded at the same moment by another request


def template_get(*, organisation: Organisation, kind: str, language: str) -> MessageTemplate:
    if kind not in TemplateKind.values:
        raise InvalidInput("UNKNOWN_TEMPLATE", _("Choose a template."), field="kind")
    templates_ensure(organisation=organisation)
    return MessageTemplate.objects.get(
        organisation=organisation, kind=kind, language=_language(language)
    )


@transaction.atomic
def template_update(
    *, organisation: Organisation, actor: User, kind: str, language: str, subject: str, body: str
) -> MessageTemplate:
    incident_access.require(access.can_keep(actor), "edit message templates")
    if not subject.strip() or not body.strip():
        raise InvalidInput(
            "TEMPLATE_TEXT_REQUIRED", _("A template needs a subject and a body."), field="body"
        )
    template = template_get(organisation=organisation, kind=kind, language=language)
    template.subject, template.body, template.updated_by = subject.strip()[:300], body, actor
    template.save()
    return template


def _when(incident: Incident, at: Any) -> str:
    return f"{at.astimezone(ZoneInfo(incident.organisation.time_zone)):%Y/%m/%d %H:%M}"


def _indicators(incident: Incident, tlp: str) -> str:
    rows = list(
        Indicator.objects.filter(incident=incident)
        .order_by("id")
        .values_list("kind", "value", "tlp")[:200]
    )
    shown = [
        f"・{e.IndicatorKind(kind).label if kind in e.IndicatorKind.values else kind}：{value}"
        for kind, value, item_tlp in rows
        if rules.shareable(item_tlp, tlp)
    ]
    if len(shown) > SHOWN_INDICATORS:
        shown = [*shown[:SHOWN_INDICATORS], "・…"]
    withheld = len(rows) - sum(1 for *_x, t in rows if rules.shareable(t, tlp))
    if withheld and not shown:
        return str(_("(not shared at this TLP)"))
    return "\n".join(shown)


def _measures(incident: Incident, language: str) -> str:
    done = Task.objects.filter(incident=incident, status=e.TaskStatus.DONE).order_by(
        "completed_at", "id"
    )
    lines = [
        f"・{(task.title_en if language == 'en' and task.title_en else task.title)}"
        for task in done[:SHOWN_MEASURES]
    ]
    return "\n".join(lines)


def _first_message(incident: Incident) -> MailMessage | None:
    return MailMessage.objects.filter(incident=incident).order_by("first_seen", "id").first()


def facts(incident: Incident, *, tlp: str, language: str) -> dict[str, str]:
    """What the record knows, as text in ``language``; "" where it does not know."""
    language = _language(language)
    org = incident.organisation
    mail = _first_message(incident)
    infected = AffectedAsset.objects.filter(
        incident=incident, infection_state__in=e.EFFECTIVE_INFECTION
    ).count()
    recipients = MailDelivery.objects.filter(message__incident=incident).count()
    policy = (
        ExternalContact.objects.filter(organisation=org, kind=ContactKind.INSURER)
        .exclude(reference_no="")
        .values_list("reference_no", flat=True)
        .first()
    )
    with translation.override(language):
        values: dict[str, Callable[[], str] | str] = {
            "organisation": org.name,
            "incident_ref": incident.ref,
            "incident_title": incident.title,
            "declared_at": _when(incident, incident.declared_at),
            "today": f"{clock.now().astimezone(ZoneInfo(org.time_zone)):%Y/%m/%d}",
            "level": str(LEVELS.get(incident.level, incident.level)),
            "mail_sender": mail.sender if mail else "",
            "mail_subject": mail.subject if mail else "",
            "attachment": mail.attachment_name if mail else "",
            "mail_url": mail.url if mail else "",
            "infected_count": str(infected) if infected else "",
            "recipients_count": str(recipients) if recipients else "",
            "indicators": _indicators(incident, tlp),
            "measures": _measures(incident, language),
            "desk_phone": org.desk_phone,
            "desk_email": org.desk_email,
            "insurer_policy": policy or "",
        }
    return {name: str(value) for name, value in values.items()}


def render(text: str, known: dict[str, str], *, language: str) -> str:
    """Fill ``{name}`` from ``known``; mark what is not known as a gap to write."""
    language = _language(language)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        value = known.get(name, "")
        if value:
            return value
        with translation.override(language):
            what = str(FACTS.get(name, name.replace("_", " ")))
        return GAP[language].format(what=what)

    return PLACEHOLDER.sub(fill, text)


def communication_from_template(
    *, incident: Incident, actor: User, kind: str, language: str = "ja"
) -> Communication:
    """A draft of ``kind`` pre-filled from the record, with the template's audience, channel
    and the audience's default TLP (the IOC list follows that TLP)."""
    incident_access.require(access.can_write(actor), "write communications")
    language = _language(language)
    template = template_get(organisation=incident.organisation, kind=kind, language=language)
    audience, channel, detail = catalogue.STARTS[kind]
    tlp = rules.default_tlp(audience)
    known = facts(incident, tlp=tlp, language=language)
    return communication_draft(
        incident=incident,
        actor=actor,
        audience=audience,
        audience_detail=detail,
        channel=channel,
        tlp=tlp,
        subject=render(template.subject, known, language=language),
        body=render(template.body, known, language=language),
        template_kind=kind,
    )
