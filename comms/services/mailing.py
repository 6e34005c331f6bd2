"""Mailing a staff warning from the app: the organisation's all-staff address list, and the
warning sent to it through the alert transport (notifications, by the domain event
``communication.mailed``: delivered, retried and logged per address)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from common import events
from common.errors import Conflict, InvalidInput
from comms import access
from comms.enums import Audience, Channel, Status
from comms.models import Communication, StaffMailList
from comms.services.communications import communication_move
from incidents import access as incident_access

MAX_ADDRESSES = 50


def staff_list_of(organisation: Organisation) -> list[str]:
    found = StaffMailList.objects.filter(organisation=organisation).first()
    return found.address_list if found else []


@transaction.atomic
def staff_list_set(*, organisation: Organisation, actor: User, addresses: str) -> StaffMailList:
    incident_access.require(access.can_keep(actor), "set the staff address list")
    lines = [line.strip() for line in addresses.splitlines() if line.strip()]
    bad = []
    for line in lines:
        try:
            validate_email(line)
        except ValidationError:
            bad.append(line[:100])
    if bad:
        raise InvalidInput(
            "INVALID_ADDRESS",
            _("Not an email address: %(bad)s") % {"bad": "、".join(bad[:5])},
            field="addresses",
            invalid=bad[:20],
        )
    if len(lines) > MAX_ADDRESSES:
        raise InvalidInput(
            "TOO_MANY_ADDRESSES",
            _("At most %(n)s addresses: use the distribution lists.") % {"n": MAX_ADDRESSES},
            field="addresses",
        )
    unique = list(dict.fromkeys(lines))
    found, _created = StaffMailList.objects.update_or_create(
        organisation=organisation, defaults={"addresses": "\n".join(unique), "updated_by": actor}
    )
    return found


@transaction.atomic
def communication_mail(*, communication: Communication, actor: User) -> Communication:
    """Send an APPROVED email warning to all staff to the address list, and record it SENT."""
    incident_access.require(access.can_send(actor, Audience.ALL_STAFF), "send communications")
    communication = (
        Communication.objects.select_for_update(of=("self",))
        .select_related("incident", "incident__organisation")
        .get(pk=communication.pk)
    )
    if communication.audience != Audience.ALL_STAFF or communication.channel != Channel.EMAIL:
        raise Conflict(
            "NOT_A_STAFF_EMAIL", _("Only an email warning to all staff is sent from the app.")
        )
    if communication.status != Status.APPROVED:
        raise Conflict("NOT_APPROVED", _("Approve the message before it is sent."))
    addresses = staff_list_of(communication.incident.organisation)
    if not addresses:
        raise Conflict(
            "NO_STAFF_ADDRESSES", _("Set the staff address list first (external contacts page).")
        )
    sent = communication_move(
        communication=communication,
        actor=actor,
        status=Status.SENT,
        reference=", ".join(addresses),
    )
    events.publish(
        "communication.mailed",
        organisation_id=sent.organisation_id,
        incident=sent.incident,
        communication=sent,
        addresses=addresses,
        sender=actor,
    )
    return sent
