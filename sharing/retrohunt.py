"""Retro-hunt (issue 22 item 4): is an imported item already in the organisation's records?

Each item's normalised value is looked up, by the same digests correlation uses, in the reports,
the mail deliveries, the indicators of the last N days (INTEL_RETROHUNT_DAYS, default 90) and the
asset inventory. A match makes one Sighting per (item, value) and opens ONE triage item for the
ISMS office through incidents' public service; a re-import or a re-run finds the sighting and
opens nothing. The incidents it points at get the notice on their hash-chained timeline.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Organisation
from common import clock
from incidents import normalize
from incidents.models import Asset, Incident, Indicator, MailMessage, ReportKey
from incidents.models.enums import IndicatorKind
from incidents.services import notices
from sharing.models import Sighting, ThreatIntelItem

logger = logging.getLogger(__name__)

# The fields of a mail message that hold a kind's value.
MESSAGE_FIELDS = {
    IndicatorKind.SENDER_ADDRESS: "sender",
    IndicatorKind.FILE_SHA256: "sha256",
    IndicatorKind.MESSAGE_ID: "message_id",
    IndicatorKind.SUBJECT: "subject",
}
ASSET_KINDS = (IndicatorKind.DOMAIN, IndicatorKind.C2_DOMAIN)


def window_days() -> int:
    return int(getattr(settings, "INTEL_RETROHUNT_DAYS", 90))


@dataclass
class Match:
    incidents: dict[int, Incident] = field(default_factory=dict)
    reports: set[int] = field(default_factory=set)
    assets: set[str] = field(default_factory=set)
    mailboxes: set[str] = field(default_factory=set)
    times: list[datetime] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.incidents or self.reports or self.assets)


def find(item: ThreatIntelItem, since: datetime) -> Match:
    """Where the organisation's own (real, not exercise) records of the window hold the value."""
    kinds = normalize.SAME_THING.get(item.kind, (item.kind,))
    digests = [normalize.digest(k, item.normalized) for k in kinds]
    match = Match()
    keys = ReportKey.objects.filter(
        organisation_id=item.organisation_id,
        digest__in=digests,
        report__received_at__gte=since,
        report__is_exercise=False,
    ).select_related("report", "report__incident")
    for key in keys:
        report = key.report
        match.reports.add(report.pk)
        match.times.append(report.mail_received_at or report.received_at)
        match.mailboxes.add(_mailbox(report.reporter_id, report.reporter_email, report.pk))
        if report.incident_id and not report.incident.is_exercise:
            match.incidents[report.incident_id] = report.incident
    indicators = Indicator.objects.filter(
        organisation_id=item.organisation_id,
        digest__in=digests,
        last_seen__gte=since,
        incident__is_exercise=False,
    ).select_related("incident")
    for indicator in indicators:
        match.incidents[indicator.incident_id] = indicator.incident
        match.times.append(indicator.first_seen)
    _deliveries(item, since, match)
    if item.kind in ASSET_KINDS:
        for asset in Asset.objects.filter(organisation_id=item.organisation_id):
            names = {normalize.domain(asset.hostname), normalize.domain(asset.asset_tag)}
            if item.normalized in names:
                match.assets.add(asset.asset_tag)
    return match


def _deliveries(item: ThreatIntelItem, since: datetime, match: Match) -> None:
    """The mail messages of the matched incidents that carry the value: their mailboxes count."""
    name = MESSAGE_FIELDS.get(item.kind)
    if name is None or not match.incidents:
        return
    messages = MailMessage.objects.filter(
        incident_id__in=list(match.incidents), last_seen__gte=since
    ).prefetch_related("deliveries")
    for message in messages:
        if normalize.normalise(item.kind, getattr(message, name)) != item.normalized:
            continue
        for delivery in message.deliveries.all():
            match.mailboxes.add(
                _mailbox(delivery.recipient_id, delivery.recipient_email, -delivery.pk)
            )
            match.times.append(delivery.delivered_at or message.first_seen)


def _mailbox(user_id: int | None, email: str, row: int) -> str:
    """One mailbox however many records name it: the person, else the address."""
    if user_id:
        return f"user:{user_id}"
    return f"mail:{email.strip().lower()}" if email else f"row:{row}"


def sentence(*, source: str, kind: str, value: str, first_seen: datetime, mailboxes: int) -> str:
    """「JPCERT/CCが注意喚起した送信元です。06/10 に 3 件のメールボックスに届いています。」
    in the active language (no codes: the kind by its words)."""
    what = {
        IndicatorKind.SENDER_ADDRESS: _("a sender"),
        IndicatorKind.URL: _("a URL"),
        IndicatorKind.DOMAIN: _("a domain"),
        IndicatorKind.C2_DOMAIN: _("a domain"),
        IndicatorKind.IP: _("an IP address"),
        IndicatorKind.C2_IP: _("an IP address"),
        IndicatorKind.FILE_SHA256: _("a file hash"),
        IndicatorKind.FILE_NAME: _("a file name"),
        IndicatorKind.SUBJECT: _("a subject"),
        IndicatorKind.MESSAGE_ID: _("a Message-ID"),
    }.get(kind, _("a value"))
    day = timezone.localtime(first_seen).strftime("%m/%d")
    first = _("%(source)s warned of %(what)s: %(value)s.") % {
        "source": source,
        "what": what,
        "value": value,
    }
    if mailboxes:
        second = ngettext(
            "It reached %(count)d mailbox on %(day)s.",
            "It reached %(count)d mailboxes on %(day)s.",
            mailboxes,
        ) % {"count": mailboxes, "day": day}
    else:
        second = _("It appears in the organisation's records since %(day)s.") % {"day": day}
    return f"{first} {second}" if translation.get_language() != "ja" else first + second


def hunt_items(organisation_id: int, item_ids: list[int]) -> list[Sighting]:
    """Hunt each item; the sightings made now (none for an item already sighted)."""
    organisation = Organisation.objects.get(pk=organisation_id)
    since = clock.now() - timedelta(days=window_days())
    made = []
    items = ThreatIntelItem.objects.filter(organisation=organisation, pk__in=item_ids)
    for item in items.order_by("id"):
        match = find(item, since)
        if not match:
            continue
        try:
            sighting = _sight(organisation, item, match)
        except IntegrityError:  # a concurrent run sighted it first
            logger.info("Item %s: already sighted", item.pk)
            continue
        if sighting is not None:
            made.append(sighting)
    return made


@transaction.atomic
def _sight(organisation: Organisation, item: ThreatIntelItem, match: Match) -> Sighting | None:
    """The sighting of the item's value and its one triage item; None when already sighted
    (a re-import, a newer version of the item, a re-run: the ISMS office is told once)."""
    first_seen, last_seen = min(match.times), max(match.times)
    sighting, created = Sighting.objects.get_or_create(
        item=item,
        digest=item.digest,
        defaults={
            "organisation": organisation,
            "mailboxes": len(match.mailboxes),
            "first_seen": first_seen,
            "last_seen": last_seen,
            "places": {
                "incidents": sorted(i.ref for i in match.incidents.values()),
                "reports": sorted(match.reports),
                "assets": sorted(match.assets),
            },
        },
    )
    if not created:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        summary = sentence(
            source=item.source,
            kind=item.kind,
            value=item.value,
            first_seen=first_seen,
            mailboxes=sighting.mailboxes,
        )
    sighting.event = notices.event_open_for_notice(
        organisation=organisation,
        summary=summary,
        incidents=sorted(match.incidents.values(), key=lambda i: i.pk),
        payload={
            "source": item.source,
            "kind": item.kind,
            "value": item.value,
            "mailboxes": sighting.mailboxes,
        },
    )
    sighting.save(update_fields=["event"])
    return sighting
