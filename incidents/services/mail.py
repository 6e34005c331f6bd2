"""Mail deliveries: who received the campaign's mail and what they did with it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.errors import InvalidInput
from incidents import access
from incidents.models import Incident, MailDelivery, MailMessage
from incidents.services import task_records
from incidents.services.timeline import timeline_append

DELIVERY_FIELDS = {
    "recipient_name",
    "recipient_email",
    "delivered_at",
    "reported_at",
    "opened_attachment_at",
    "link_clicked_at",
    "credentials_entered_at",
    "executed",
    "blocked",
    "deleted_at",
}


@transaction.atomic
def delivery_add(
    *,
    incident: Incident,
    actor: User,
    recipient: User | None = None,
    message: int | None = None,
    **fields: Any,
) -> MailDelivery:
    """A delivery of one of the incident's messages (``message``: its id; default the first)."""
    access.require(access.can_edit_incidents(actor), "record mail deliveries")
    _check(fields)
    if recipient is not None and recipient.organisation_id != incident.organisation_id:
        raise InvalidInput("person_not_in_organisation", _("Unknown recipient."), field="recipient")
    messages = incident.mail_messages.order_by("id")
    chosen = messages.filter(pk=message).first() if message else messages.first()
    if chosen is None and message:
        raise InvalidInput("message_not_found", _("No such mail message."), field="message")
    if chosen is None:
        raise InvalidInput("no_mail_message", _("This incident has no mail message yet."))
    delivery = MailDelivery.objects.create(message=chosen, recipient=recipient, **fields)
    timeline_append(
        incident=incident,
        kind="mail.delivery_added",
        actor=actor,
        payload={"delivery": delivery.pk, "executed": delivery.executed},
    )
    task_records.tasks_reconcile(incident=incident, actor=actor, kinds=("delivery",))
    return delivery


@transaction.atomic
def delivery_update(
    *, delivery: MailDelivery, actor: User, changes: dict[str, Any]
) -> MailDelivery:
    access.require(access.can_edit_incidents(actor), "update mail deliveries")
    _check(changes)
    delivery = MailDelivery.objects.select_for_update().get(pk=delivery.pk)
    for name, value in changes.items():
        setattr(delivery, name, value)
    delivery.save()
    incident = MailMessage.objects.get(pk=delivery.message_id).incident
    timeline_append(
        incident=incident,
        kind="mail.delivery_updated",
        actor=actor,
        payload={"delivery": delivery.pk, "changes": sorted(changes)},
    )
    task_records.tasks_reconcile(incident=incident, actor=actor, kinds=("delivery",))
    return delivery


def _check(fields: dict[str, Any]) -> None:
    unknown = set(fields) - DELIVERY_FIELDS
    if unknown:
        raise InvalidInput(
            "field_not_editable", _("These fields cannot be set."), fields=sorted(unknown)
        )
