"""Email: subject, plain text and HTML in the recipient's language, with the acknowledge link."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email

from notifications.models import Notification
from notifications.transports.base import Message, Transport, TransportError


class EmailTransport(Transport):
    bodies = True

    def notify(self, notification: Notification, message: Message) -> None:
        address = notification.address or notification.recipient.email
        try:
            validate_email(address)
        except ValidationError as exc:
            raise TransportError(f"invalid address {address!r}", permanent=True) from exc
        mail = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            to=[address],
            headers={"X-ISMS-Alert": str(notification.idempotency_key)},
            connection=get_connection(timeout=settings.ALERT_SMTP_TIMEOUT_SECONDS),
        )
        mail.attach_alternative(message.html, "text/html")
        try:
            mail.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise TransportError(f"recipient refused: {address}", permanent=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransportError(f"SMTP failed: {exc!r}") from exc
