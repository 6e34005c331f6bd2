"""Evidence: store with SHA-256 computed while streaming, and its chain of custody."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common import clock, events
from common.errors import DomainError, InvalidInput
from incidents import access
from incidents.models import CustodyEvent, EvidenceItem, Incident, Report
from incidents.models.enums import CustodyAction, EvidenceKind
from incidents.services.timeline import timeline_append


class TooLarge(DomainError):
    status_code = 413


def _digest(upload: UploadedFile) -> str:
    sha = hashlib.sha256()
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


@transaction.atomic
def evidence_upload(
    *,
    incident: Incident,
    actor: User,
    upload: UploadedFile,
    kind: str = EvidenceKind.OTHER,
    description: str = "",
) -> EvidenceItem:
    access.require(access.can_add_evidence(actor, incident), "upload evidence")
    if kind not in EvidenceKind.values:
        raise InvalidInput("invalid_choice", _("Unknown evidence kind."), field="kind")
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise TooLarge(
            "file_too_large",
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
            limit_bytes=limit,
        )
    now = clock.now()
    item = EvidenceItem(
        incident=incident,
        kind=kind,
        description=description,
        original_name=(upload.name or "")[:255],
        content_type=(upload.content_type or "")[:100],
        size=upload.size,
        sha256=_digest(upload),
        collected_by=actor,
        collected_at=now,
    )
    item.file.save("evidence", upload, save=False)
    item.save()
    CustodyEvent.objects.create(
        evidence=item, action=CustodyAction.COLLECTED, actor=actor, holder=str(actor), at=now
    )
    timeline_append(
        incident=incident,
        kind="evidence.collected",
        actor=actor,
        payload={"evidence": item.pk, "sha256": item.sha256, "size": item.size},
    )
    return item


@transaction.atomic
def custody_record(
    *,
    evidence: EvidenceItem,
    actor: User,
    action: str,
    holder: str = "",
    location: str = "",
    note: str = "",
) -> CustodyEvent:
    access.require(access.can_edit_incidents(actor), "record custody")
    if action not in CustodyAction.values:
        raise InvalidInput("invalid_choice", _("Unknown custody action."), field="action")
    if action == CustodyAction.TRANSFERRED and not holder.strip():
        raise InvalidInput("holder_required", _("Say to whom it was transferred."), field="holder")
    event = CustodyEvent.objects.create(
        evidence=evidence,
        action=action,
        actor=actor,
        holder=holder[:200],
        location=location[:200],
        note=note,
        at=clock.now(),
    )
    timeline_append(
        incident=evidence.incident,
        kind="evidence.custody",
        actor=actor,
        payload={"evidence": evidence.pk, "action": action, "holder": holder, "location": location},
    )
    if action == CustodyAction.TRANSFERRED:
        events.publish(
            "evidence.transferred",
            organisation_id=evidence.incident.organisation_id,
            incident=evidence.incident,
            evidence=evidence,
            holder=holder,
        )
    return event


@transaction.atomic
def evidence_from_report(*, incident: Incident, report: Report, actor: User) -> EvidenceItem | None:
    """Keep the reporter's .eml as evidence (task L1-03): the original file, its SHA-256 and
    its custody from the report. Once per file and incident; None when the report has none."""
    access.require(access.can_edit_incidents(actor), "collect evidence")
    if not report.eml:
        return None
    with report.eml.open("rb") as source:
        data = source.read()
    sha256 = hashlib.sha256(data).hexdigest()
    found = EvidenceItem.objects.filter(incident=incident, sha256=sha256).first()
    if found is not None:
        return found
    now = clock.now()
    item = EvidenceItem(
        incident=incident,
        kind=EvidenceKind.MAIL_SAMPLE,
        description=str(
            _("The email as reported in %(report)s (.eml with headers).")
            % {"report": report.number}
        ),
        original_name=f"{report.number}.eml",
        content_type="message/rfc822",
        size=len(data),
        sha256=sha256,
        collected_by=actor,
        collected_at=now,
    )
    item.file.save("evidence", ContentFile(data), save=False)
    item.save()
    reporter = report.reporter_name or report.reporter_email or str(_("the reporter"))
    CustodyEvent.objects.bulk_create(
        [
            CustodyEvent(
                evidence=item,
                action=CustodyAction.COLLECTED,
                actor=actor,
                holder=reporter[:200],
                note=str(_("Attached to report %(report)s.") % {"report": report.number}),
                at=report.received_at,
            ),
            CustodyEvent(
                evidence=item,
                action=CustodyAction.STORED,
                actor=actor,
                holder=str(actor)[:200],
                location="isms-csirt",
                note=str(_("Copied from the report into the incident's evidence.")),
                at=now,
            ),
        ]
    )
    timeline_append(
        incident=incident,
        kind="evidence.collected",
        actor=actor,
        payload={
            "evidence": item.pk,
            "sha256": sha256,
            "size": item.size,
            "report": report.number,
        },
    )
    return item
