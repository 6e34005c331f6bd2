"""Anchoring the timelines outside the database: signed checkpoints, mailed to the ISMS office.

Beat runs ``timeline_anchor_all`` every ``TIMELINE_ANCHOR_SECONDS``. A checkpoint is written
only when a chain head moved since the organisation's last one, and a head that moved is
anchored only after its whole chain verified against the previous checkpoint: a chain that was
cut or rewritten keeps its previously anchored head and is listed as broken, so a later
checkpoint never launders a deletion.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import OuterRef, Subquery
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation, RoleAssignment, User
from accounts.roles import Role
from common import clock
from incidents import anchors
from incidents.anchors import Checkpoint, Head
from incidents.models import Incident, TimelineEntry
from incidents.services.timeline import Check, timeline_verify

logger = logging.getLogger(__name__)
MAILED_SUFFIX = ".mailed"


@dataclass(frozen=True)
class Outcome:
    heads: list[Head]
    broken: list[dict[str, Any]]


def _incidents_with_heads(organisation: Organisation) -> list[Incident]:
    """Every incident of the organisation with its head entry's seq, hash and time: one query."""
    head = TimelineEntry.objects.filter(incident=OuterRef("pk")).order_by("-seq")
    return list(
        Incident.objects.filter(organisation=organisation)
        .annotate(
            head_seq=Subquery(head.values("seq")[:1]),
            head_hash=Subquery(head.values("hash")[:1]),
            head_at=Subquery(head.values("at")[:1]),
        )
        .filter(head_seq__isnull=False)
        .only("pk", "ref", "organisation_id")
        .order_by("pk")
    )


def _broken(incident_id: int, ref: str, check: str, seq: int | None) -> dict[str, Any]:
    return {"incident": incident_id, "ref": ref, "check": check, "seq": seq}


def _anchor(organisation: Organisation, previous: Checkpoint | None) -> Outcome:
    before = previous.heads if previous else {}
    heads: list[Head] = []
    broken: list[dict[str, Any]] = []
    for incident in _incidents_with_heads(organisation):
        old = before.get(incident.pk)
        if old and (old.seq, old.hash) == (incident.head_seq, incident.head_hash):
            heads.append(old)
            continue
        status = timeline_verify(
            incident=incident, anchor=previous.anchored(incident.pk) if previous else None
        )
        if status.ok:
            at = incident.head_at.astimezone(UTC).isoformat()
            heads.append(Head(incident.pk, incident.ref, incident.head_seq, incident.head_hash, at))
            continue
        broken.append(_broken(incident.pk, incident.ref, status.check, status.first_broken_seq))
        if old:
            heads.append(old)  # keep the last good head: the next check fails against it too
    present = {head.incident_id for head in heads} | {row["incident"] for row in broken}
    for incident_id, old in before.items():
        if incident_id not in present:  # the incident, or every entry of it, is gone
            broken.append(_broken(incident_id, old.ref, Check.TAIL_MISSING.value, 1))
            heads.append(old)
    return Outcome(heads, broken)


def _unchanged(outcome: Outcome, previous: Checkpoint | None) -> bool:
    return (
        previous is not None
        and {h.incident_id: h for h in outcome.heads} == previous.heads
        and outcome.broken == previous.broken
    )


def timeline_checkpoint(*, organisation: Organisation) -> Checkpoint | None:
    """Write a signed checkpoint of the organisation's chain heads if one moved since the last."""
    previous = anchors.latest(organisation.pk)
    outcome = _anchor(organisation, previous)
    if _unchanged(outcome, previous) or (previous is None and not outcome.heads):
        return None
    for row in outcome.broken:
        logger.error("timeline of %s failed %s at entry %s", row["ref"], row["check"], row["seq"])
    return anchors.write(
        organisation_id=organisation.pk,
        organisation_name=organisation.name,
        created_at=clock.wall_now(),
        heads=outcome.heads,
        broken=outcome.broken,
        previous=previous,
    )


def _recipients(organisation: Organisation) -> list[User]:
    assignments = RoleAssignment.objects.holders_of(organisation, Role.ISMS_OFFICE)
    users = {a.user_id: a.user for a in assignments.select_related("user") if a.user.email}
    return list(users.values())


def _message(checkpoint: Checkpoint, organisation: Organisation, user: User) -> EmailMessage:
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(organisation.time_zone):
        when = date_filter(timezone.localtime(checkpoint.created_at), "Y/m/d H:i")
        subject = _("Timeline checkpoint %(when)s") % {"when": when}
        if checkpoint.broken:
            subject = _("⚠ Broken timeline — %(subject)s") % {"subject": subject}
        body = _(
            "The attached file anchors the incident timelines of %(organisation)s as they were at "
            "%(when)s: %(incidents)s incident(s), each with the number and hash of its last "
            "entry, signed by isms-csirt. Keep this mail: it lets an auditor prove that no "
            "entry was later removed or rewritten (manage.py verify_timeline --checkpoint "
            "<file>).\n\nSignature: %(signature)s\nTimelines that failed a check: %(broken)s\n"
        ) % {
            "organisation": organisation.name,
            "when": when,
            "incidents": len(checkpoint.heads),
            "signature": checkpoint.signature,
            "broken": ", ".join(f"{r['ref']} ({r['check']})" for r in checkpoint.broken) or "—",
        }
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach(checkpoint.name, checkpoint.path.read_bytes(), "application/json")
    return message


def checkpoint_mail(*, organisation: Organisation) -> int:
    """Mail the latest checkpoint to the ISMS office once; a failed send is retried next run."""
    checkpoint = anchors.latest(organisation.pk)
    if checkpoint is None or checkpoint.path is None:
        return 0
    marker = checkpoint.path.with_name(checkpoint.path.name + MAILED_SUFFIX)
    recipients = _recipients(organisation)
    if marker.exists() or not recipients:
        return 0
    try:
        sent = sum(_message(checkpoint, organisation, user).send() for user in recipients)
    except OSError:  # SMTP errors are OSErrors; the marker stays missing, so the next run retries
        logger.exception("timeline checkpoint %s: mail failed", checkpoint.name)
        return 0
    marker.touch()
    return sent


def timeline_anchor_all() -> int:
    """Checkpoint every organisation (and mail where configured); the number of files written."""
    written = 0
    for organisation in Organisation.objects.order_by("pk").iterator():
        written += timeline_checkpoint(organisation=organisation) is not None
        if settings.TIMELINE_ANCHOR_EMAIL:
            checkpoint_mail(organisation=organisation)
    return written
