"""An alert (what someone must know or act on), its outbox rows and their delivery attempts."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.roles import Role
from incidents.models import Incident
from notifications.enums import (
    EVENT_CHOICES,
    EVENT_LABELS,
    AckVia,
    AttemptOutcome,
    DeliveryState,
)
from notifications.models.config import Channel

USER = settings.AUTH_USER_MODEL
AWAITING_ACK = models.Q(
    needs_ack=True,
    acknowledged_at__isnull=True,
    resolved_at__isnull=True,
    exhausted_at__isnull=True,
)
# Escalated to the end of the chain and still not acknowledged (the dashboard flag).
UNACKNOWLEDGED = models.Q(
    needs_ack=True,
    acknowledged_at__isnull=True,
    resolved_at__isnull=True,
    exhausted_at__isnull=False,
)


class AlertQuerySet(models.QuerySet):
    def awaiting_ack(self) -> AlertQuerySet:
        return self.filter(AWAITING_ACK)

    def ack_due(self, now: datetime) -> AlertQuerySet:
        return self.awaiting_ack().filter(ack_due_at__lte=now)

    def unacknowledged(self) -> AlertQuerySet:
        """Escalated to the end of the chain and still not acknowledged (the dashboard flag)."""
        return self.filter(UNACKNOWLEDGED)


class Alert(models.Model):
    """One occurrence of an event for one audience, written in the event's transaction.

    An alert that needs acknowledgement goes to one holder of ``role`` at a time; at
    ``ack_due_at`` the sweep sends it again and to the next holder, until the chain ends
    (``exhausted_at``: flagged unacknowledged). Acknowledging or resolving stops that.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name=_("organisation"),
    )
    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("incident"),
    )
    event = models.CharField(_("event"), max_length=32, choices=EVENT_CHOICES)
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    # What the alert is about, e.g. "decision:12": a decided decision resolves its alerts.
    subject = models.CharField(_("subject"), max_length=40, blank=True)
    # Set when the same fact must alert once only (a task overdue, a campaign step).
    dedupe_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    payload = models.JSONField(_("payload"), default=dict)
    role = models.CharField(_("escalation role"), max_length=32, choices=Role.choices, blank=True)
    decision_type = models.CharField(_("decision type"), max_length=32, blank=True)
    # How its recipients are reached (kinds in order, or every one): re-used on escalation.
    channel_kinds = models.JSONField(_("channels"), default=list, blank=True)
    every_channel = models.BooleanField(_("on every channel at once"), default=False)
    needs_ack = models.BooleanField(_("needs acknowledgement"), default=False)
    ack_seconds = models.PositiveIntegerField(_("acknowledgement deadline (seconds)"), default=0)
    ack_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    escalation_step = models.PositiveSmallIntegerField(_("escalation step"), default=0)
    last_holder = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last holder alerted"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_via = models.CharField(
        _("acknowledged via"), max_length=4, choices=AckVia.choices, blank=True
    )
    exhausted_at = models.DateTimeField(_("flagged unacknowledged at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    quiet = models.BooleanField(_("held by quiet hours"), default=False)
    created_at = models.DateTimeField(_("created at"))

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(needs_ack=True) | models.Q(ack_due_at__isnull=True),
                name="alert_deadline_only_when_ack_needed",
            ),
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True)
                | models.Q(needs_ack=True, acknowledged_by__isnull=False),
                name="alert_acknowledged_by_someone",
            ),
        ]
        indexes = [
            # The acknowledgement sweep: alerts awaiting acknowledgement past their deadline.
            models.Index(fields=["ack_due_at"], condition=AWAITING_ACK, name="alert_ack_due"),
            # Resolving an object's alerts (a decided decision) and the dedupe of the sweeps.
            models.Index(fields=["organisation", "subject"], name="alert_subject"),
            # The dashboard's tile: the organisation's alerts still waiting (issue 20: a scan of
            # every alert before).
            models.Index(
                fields=["organisation"],
                condition=models.Q(
                    needs_ack=True, acknowledged_at__isnull=True, resolved_at__isnull=True
                ),
                name="alert_waiting",
            ),
            # The unacknowledged list of the ISMS office, newest first.
            models.Index(
                fields=["organisation", "-exhausted_at"],
                condition=models.Q(exhausted_at__isnull=False),
                name="alert_unacknowledged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk} (step {self.escalation_step})"

    @property
    def event_label(self) -> str:
        return str(EVENT_LABELS.get(self.event, self.event))

    @property
    def awaiting_ack(self) -> bool:
        return (
            self.needs_ack
            and self.acknowledged_at is None
            and self.resolved_at is None
            and self.exhausted_at is None
        )


class NotificationQuerySet(models.QuerySet):
    def redeliverable(self, now: datetime, grace_cutoff: datetime) -> NotificationQuerySet:
        """Rows whose on-commit message should have been taken by now, or whose claim lapsed."""
        pending = models.Q(state=DeliveryState.PENDING, next_attempt_at__lte=grace_cutoff)
        lapsed = models.Q(state=DeliveryState.SENDING, lease_until__lt=now)
        not_just_queued = models.Q(queued_at__isnull=True) | models.Q(queued_at__lte=grace_cutoff)
        return self.filter((pending | lapsed) & not_just_queued)

    def claimable(self, now: datetime) -> NotificationQuerySet:
        pending = models.Q(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        lapsed = models.Q(state=DeliveryState.SENDING, lease_until__lt=now)
        return self.filter(pending | lapsed)


class Notification(models.Model):
    """The outbox row: one alert to one recipient over one channel, delivered by a worker.

    A worker claims the row with a conditional UPDATE (PENDING → SENDING with a lease) and
    finishes it only if it still holds the claim (``attempts`` is the fencing token). The
    ``idempotency_key`` travels with every attempt, so a receiver can drop a repeat.
    """

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("alert")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    # None only for a message to an address (``address`` set) on nobody's behalf.
    recipient = models.ForeignKey(
        USER,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # Set for a message to an address, not to a person: delivered there by email. A staff
    # warning to the organisation's address list (``recipient``: the person who sent it), or
    # the reply to whoever forwarded a message to the reporting mailbox (no ``recipient``).
    address = models.EmailField(_("address"), blank=True)
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("channel")
    )
    step = models.PositiveSmallIntegerField(_("escalation step"), default=0)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    # Channels still to try, in order, if this one fails permanently.
    fallback_channel_ids = models.JSONField(default=list, blank=True)
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    queued_at = models.DateTimeField(_("last queued at"), null=True, blank=True)
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"))

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "recipient", "channel", "step", "address"],
                name="notification_once_per_step",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(address=""),
                name="notification_to_someone",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="SENDING") | models.Q(lease_until__isnull=False),
                name="notification_sending_has_lease",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="DELIVERED") | models.Q(delivered_at__isnull=False),
                name="notification_delivered_has_time",
            ),
        ]
        indexes = [
            # The redelivery sweep: pending rows by due time …
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state="PENDING"),
                name="notification_pending_due",
            ),
            # … and claims whose lease ran out (a worker died mid-delivery).
            models.Index(
                fields=["lease_until"],
                condition=models.Q(state="SENDING"),
                name="notification_lapsed_claim",
            ),
            # A person's notifications, newest first (bell, list page, API).
            models.Index(fields=["recipient", "-id"], name="notification_inbox"),
            # The organisation's notifications for the ISMS office, newest first.
            models.Index(fields=["organisation", "-id"], name="notification_org"),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.recipient_id} via {self.channel_id} ({self.state})"


class DeliveryAttempt(models.Model):
    """One try to deliver a notification: when, over which channel, what came back, how long."""

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="delivery_attempts",
        verbose_name=_("notification"),
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="+", verbose_name=_("channel")
    )
    started_at = models.DateTimeField(_("at"))
    outcome = models.CharField(
        _("outcome"),
        max_length=12,
        choices=AttemptOutcome.choices,
        default=AttemptOutcome.IN_PROGRESS,
    )
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["notification", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "number"], name="attempt_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id}#{self.number}: {self.outcome}"
