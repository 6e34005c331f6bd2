"""From a domain event to alerts and outbox rows, in the publisher's transaction.

Alerts that need acknowledgement go to one person at a time (the assignee, or the first
present holder of the role) and escalate along the role's chain; informational alerts go to
every present holder at once. Recipients are resolved from the roster at this moment.

An alert about an exercise's incident (issue 18) goes to the exercise's participants only
(the people the drill addresses: its facilitator, the incident's lead, owner and handlers, and
whoever holds one of its decisions or tasks), through their personal channels (in-app, their
own email) and never an organisation-wide channel (Slack, Teams, webhooks); its subject says
【訓練】. It never escalates (escalation.py leaves exercise alerts alone).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from accounts import roster
from accounts.models import Organisation, User
from bcp.models import DecisionAssignment
from common import clock
from incidents.models import Incident, Task
from notifications.enums import PERSONAL_KINDS, Audience
from notifications.models import Alert, Channel, Subscription
from notifications.services import quiet
from notifications.services.defaults import channels_ensure_defaults, subscriptions_seed
from notifications.services.occurrences import Occurrence, describe
from notifications.services.outbox import Route, notifications_write

# incident → ids of the people who take part in its exercise besides those the incident names
# (training: the facilitator); registered by apps above notifications.
_participant_sources: list[Callable[[Incident], set[int]]] = []


def register_exercise_participants(source: Callable[[Incident], set[int]]) -> None:
    if source not in _participant_sources:
        _participant_sources.append(source)


def exercise_participants(incident: Incident) -> set[int]:
    """The people an exercise's alert may reach: the incident's lead, owner and handlers, the
    holders of its decisions and tasks, and what registered sources add."""
    people = {pk for pk in (incident.csirt_lead_id, incident.owner_id) if pk}
    people |= set(incident.handlers.values_list("pk", flat=True))
    people |= set(
        DecisionAssignment.objects.filter(decision__incident=incident).values_list(
            "person_id", flat=True
        )
    )
    people |= set(
        Task.objects.filter(incident=incident, owner__isnull=False).values_list(
            "owner_id", flat=True
        )
    )
    for source in _participant_sources:
        people |= source(incident)
    return people


def on_event(
    name: str, *, organisation_id: int, incident: Incident | None = None, **data: Any
) -> list[Alert]:
    """The subscriber of every domain event (NotificationsConfig.ready)."""
    organisation = _organisation(organisation_id, incident, data)
    occurrence = describe(name, organisation=organisation, incident=incident, data=data)
    if occurrence is None:
        return []
    return alerts_write(occurrence=occurrence)


def _organisation(organisation_id: int, incident: Incident | None, data: dict) -> Organisation:
    """The organisation the publisher already holds on its objects (the intake carries the
    request's, issue 20), else read once."""
    for obj in (incident, data.get("report"), data.get("event")):
        descriptor = getattr(type(obj), "organisation", None) if obj is not None else None
        if descriptor is not None and descriptor.is_cached(obj):
            organisation = obj.organisation
            if organisation is not None and organisation.pk == organisation_id:
                return organisation
    return Organisation.objects.get(pk=organisation_id)


@dataclass
class _Audience:
    """The recipients of one alert, with their routes; ``role`` is the escalation chain."""

    needs_ack: bool
    recipients: dict[int, tuple[User, Route]] = field(default_factory=dict)
    role: str = ""
    ack_seconds: int = 0
    route: Route = field(default_factory=lambda: Route(()))

    def add(self, user: User, route: Route) -> None:
        known = self.recipients.get(user.pk)
        self.recipients[user.pk] = (user, known[1].merge(route) if known else route)


def alerts_write(*, occurrence: Occurrence) -> list[Alert]:
    now = clock.now()
    organisation = occurrence.organisation
    if occurrence.resolves:
        alerts_resolve(organisation=organisation, subject=occurrence.resolves, at=now)
    subscriptions_seed(organisation=organisation)
    subscriptions = list(
        Subscription.objects.matching(organisation.pk, occurrence.event, occurrence.level)
    )
    if not subscriptions:
        return []
    channels = channels_ensure_defaults(organisation=organisation)
    send_at = quiet.release_at(organisation, now, urgent=occurrence.urgent)
    audiences = _audiences(occurrence, subscriptions, now)
    if occurrence.incident is not None and occurrence.incident.is_exercise:
        channels = [c for c in channels if c.kind in PERSONAL_KINDS]
        audiences = _participants_only(occurrence, audiences)
    alerts = []
    for audience in audiences:
        alert = _alert_write(occurrence, audience, channels, now, send_at)
        if alert is not None:
            alerts.append(alert)
    return alerts


def _participants_only(occurrence: Occurrence, audiences: list[_Audience]) -> list[_Audience]:
    """An exercise's alert: the participants among the recipients, the assignee always."""
    assert occurrence.incident is not None
    people = exercise_participants(occurrence.incident)
    if occurrence.assignee is not None:
        people.add(occurrence.assignee.pk)
    for audience in audiences:
        audience.recipients = {pk: r for pk, r in audience.recipients.items() if pk in people}
    return audiences


def alerts_resolve(*, organisation: Organisation, subject: str, at: datetime) -> int:
    """Stop escalating the open alerts about ``subject`` (decided, reassigned, overdue)."""
    return Alert.objects.filter(
        organisation=organisation, subject=subject, resolved_at=None
    ).update(resolved_at=at)


def _audiences(
    occurrence: Occurrence, subscriptions: list[Subscription], now: datetime
) -> list[_Audience]:
    """One audience per role chain that must acknowledge, and one for everyone informed."""
    action: dict[tuple[str, str], _Audience] = {}
    info = _Audience(needs_ack=False)
    chains: dict[str, list[roster.Holder]] = {}
    for sub in subscriptions:
        role = sub.role if sub.audience == Audience.ROLE else occurrence.assignee_role
        if role and role not in chains:
            chains[role] = roster.chain(organisation=occurrence.organisation, role=role, at=now)
        holders = chains.get(role, [])
        route = Route(tuple(sub.channels), sub.every_channel)
        if sub.needs_ack:
            key = (sub.audience, role)
            action[key] = _with_first(action.get(key), occurrence, sub, route, role, holders)
        else:
            for user in _everyone(occurrence, sub, holders):
                info.add(user, route)
    acted = {pk for audience in action.values() for pk in audience.recipients}
    info.recipients = {pk: r for pk, r in info.recipients.items() if pk not in acted}
    return [*action.values(), info]


def _with_first(
    audience: _Audience | None,
    occurrence: Occurrence,
    sub: Subscription,
    route: Route,
    role: str,
    holders: list[roster.Holder],
) -> _Audience:
    """Merge a subscription that needs acknowledgement into its chain's audience."""
    audience = audience or _Audience(needs_ack=True, role=role)
    audience.route = audience.route.merge(route)
    deadline = sub.ack_seconds or settings.ALERT_ACK_SECONDS
    audience.ack_seconds = max(audience.ack_seconds, deadline)
    first = _first_recipient(occurrence, sub, holders)
    if first is not None:
        audience.add(first, audience.route)
    return audience


def _first_recipient(
    occurrence: Occurrence, sub: Subscription, holders: list[roster.Holder]
) -> User | None:
    if sub.audience == Audience.ASSIGNEE and occurrence.assignee is not None:
        return occurrence.assignee
    pick = roster.first_available(holders, occurrence.decision_type or None)
    return pick[1].user if pick else None


def _everyone(
    occurrence: Occurrence, sub: Subscription, holders: list[roster.Holder]
) -> list[User]:
    if sub.audience == Audience.ASSIGNEE and occurrence.assignee is not None:
        return [occurrence.assignee]
    return [h.user for h in holders if h.available and h.user.is_active]


def _dedupe_key(occurrence: Occurrence, audience: _Audience) -> str | None:
    if not occurrence.dedupe_key:
        return None
    return f"{occurrence.dedupe_key}:{audience.role if audience.needs_ack else 'info'}"


def _alert_build(
    occurrence: Occurrence, audience: _Audience, now: datetime, send_at: datetime
) -> Alert:
    alert = Alert(
        organisation=occurrence.organisation,
        incident=occurrence.incident,
        event=occurrence.event,
        level=occurrence.level,
        subject=occurrence.subject,
        dedupe_key=_dedupe_key(occurrence, audience),
        payload=occurrence.payload,
        role=audience.role,
        decision_type=occurrence.decision_type,
        needs_ack=audience.needs_ack,
        ack_seconds=audience.ack_seconds,
        channel_kinds=list(audience.route.kinds),
        every_channel=audience.route.every_channel,
        quiet=send_at > now,
        created_at=now,
    )
    if audience.needs_ack:
        first = next(iter(audience.recipients.values()), None)
        alert.last_holder = first[0] if first else None
        alert.ack_due_at = send_at + timedelta(seconds=audience.ack_seconds)
        # Nobody present to take it: flagged at once rather than silently dropped.
        alert.exhausted_at = None if first else now
    return alert


def _alert_write(
    occurrence: Occurrence,
    audience: _Audience,
    channels: list[Channel],
    now: datetime,
    send_at: datetime,
) -> Alert | None:
    if not audience.recipients and not audience.needs_ack:
        return None
    alert = _alert_build(occurrence, audience, now, send_at)
    try:
        with transaction.atomic():
            alert.save()
    except IntegrityError:
        return None  # the same fact already alerted (dedupe_key): two sweeps at once
    notifications_write(
        alert=alert,
        recipients=list(audience.recipients.values()),
        channels=channels,
        step=0,
        now=now,
        send_at=send_at,
    )
    return alert
