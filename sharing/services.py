"""Sharing out (issue 22): the STIX and MISP exports, each recorded as a communication with
its TLP (N-4)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from common.errors import InvalidInput
from comms.enums import Channel
from comms.models import Communication
from comms.services import communications
from incidents.models import Incident
from sharing import misp, stix
from sharing.tlp import Recipient


def _require_recipient(recipient: str) -> None:
    if recipient not in Recipient.values:
        raise InvalidInput(
            "UNKNOWN_RECIPIENT", _("Choose who receives the export."), field="recipient"
        )


def _record(
    incident: Incident, actor: User, recipient: str, tlp: str, subject: str, body: str
) -> Communication:
    """Every export is a draft communication to its recipient with its TLP (N-4)."""
    return communications.communication_draft(
        incident=incident,
        actor=actor,
        audience=recipient,
        channel=Channel.OTHER,
        tlp=tlp,
        subject=subject,
        body=body,
    )


@dataclass(frozen=True)
class StixExport:
    export: stix.Export
    communication: Communication

    @property
    def filename(self) -> str:
        return f"{self.communication.incident.ref}-{self.communication.audience}.stix.json"


@transaction.atomic
def stix_export(*, incident: Incident, actor: User, recipient: str) -> StixExport:
    """Build the bundle and record it as a draft communication to the recipient (N-4 checks
    the label); the timeline says so through comms."""
    _require_recipient(recipient)
    export = stix.build(incident, recipient, incident.organisation.name)
    body = _(
        "STIX 2.1 bundle for %(recipient)s: %(included)s objects included,"
        " %(withheld)s withheld by TLP."
    ) % {
        "recipient": Recipient(recipient).label,
        "included": export.included,
        "withheld": export.withheld,
    }
    subject = _("STIX 2.1 export of %(ref)s") % {"ref": incident.ref}
    return StixExport(export, _record(incident, actor, recipient, export.tlp, subject, body))


@dataclass(frozen=True)
class MispExport:
    export: misp.Export
    communication: Communication

    @property
    def filename(self) -> str:
        return f"{self.communication.incident.ref}-{self.communication.audience}.misp.json"


@transaction.atomic
def misp_export(*, incident: Incident, actor: User, recipient: str) -> MispExport:
    """The MISP event for the recipient, recorded as a draft communication exactly as the STIX
    export is (N-4 checks its label; the timeline says so through comms)."""
    _require_recipient(recipient)
    export = misp.build(incident, recipient, incident.organisation.name)
    body = _(
        "MISP event for %(recipient)s: %(included)s objects included, %(withheld)s withheld by TLP."
    ) % {
        "recipient": Recipient(recipient).label,
        "included": export.included,
        "withheld": export.withheld,
    }
    subject = _("MISP export of %(ref)s") % {"ref": incident.ref}
    return MispExport(export, _record(incident, actor, recipient, export.tlp, subject, body))
