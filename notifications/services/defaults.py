"""What an organisation starts with: the personal channels and the seeded subscriptions."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.roles import Role
from notifications.enums import PERSONAL_KINDS, TASK_OVERDUE, Audience, ChannelKind
from notifications.models import Channel, NotificationPolicy, Subscription

PUSH = [ChannelKind.EMAIL, ChannelKind.SLACK, ChannelKind.TEAMS, ChannelKind.WEBHOOK]
EVERY = [*PUSH]
ROLE, ASSIGNEE = Audience.ROLE, Audience.ASSIGNEE

# (event, audience, role, from level, needs acknowledgement, on every channel)
DEFAULT_SUBSCRIPTIONS: list[tuple[str, str, str, int, bool, bool]] = [
    ("report.received", ROLE, Role.ISMS_OFFICE, 1, False, False),
    ("report.received", ROLE, Role.POC, 1, False, False),
    ("campaign.grew", ROLE, Role.ISMS_OFFICE, 1, False, False),
    ("recommendation.raised", ROLE, Role.CSIRT_LEAD, 1, False, False),
    ("recommendation.raised", ROLE, Role.ISMS_OFFICE, 1, False, False),
    ("decision.opened", ASSIGNEE, "", 1, True, False),
    # Level 3 wakes the decision maker on every channel.
    ("decision.opened", ASSIGNEE, "", 3, True, True),
    ("decision.reassigned", ASSIGNEE, "", 1, True, False),
    ("decision.reassigned", ASSIGNEE, "", 3, True, True),
    ("decision.overdue", ROLE, Role.ISMS_OFFICE, 1, True, False),
    ("decision.decided", ROLE, Role.ISMS_OFFICE, 1, False, False),
    ("decision.decided", ROLE, Role.CSIRT_LEAD, 1, False, False),
    ("decision.withdrawn", ASSIGNEE, "", 1, False, False),
    ("decision.withdrawn", ROLE, Role.ISMS_OFFICE, 1, False, False),
    ("level.changed", ROLE, Role.ISMS_OFFICE, 1, False, False),
    ("level.changed", ROLE, Role.CSIRT_LEAD, 1, False, False),
    ("level.changed", ROLE, Role.DECISION_MAKER, 2, False, False),
    ("level.changed", ROLE, Role.DECISION_MAKER, 3, False, True),
    ("bcp.state_changed", ROLE, Role.DECISION_MAKER, 1, False, False),
    ("bcp.state_changed", ROLE, Role.ISMS_OFFICE, 1, False, False),
    ("bcp.state_changed", ROLE, Role.IT_ADMIN, 1, False, False),
    ("evidence.transferred", ROLE, Role.ISMS_OFFICE, 1, False, False),
    (TASK_OVERDUE, ASSIGNEE, "", 1, True, False),
    (TASK_OVERDUE, ROLE, Role.ISMS_OFFICE, 1, False, False),
    ("training.due", ASSIGNEE, "", 1, False, False),
    ("corrective_action.due", ASSIGNEE, "", 1, False, False),
    ("corrective_action.due", ROLE, Role.ISMS_OFFICE, 1, False, False),
    # Legal clocks (PPC 速報 …): the obligation's owner role acknowledges (legal/privacy for the
    # APPI reports), escalating along its deputy chain; the CSIRT lead and the office know.
    ("obligation.due", ASSIGNEE, "", 1, True, False),
    ("obligation.due", ROLE, Role.CSIRT_LEAD, 1, False, False),
    ("obligation.due", ROLE, Role.ISMS_OFFICE, 1, False, False),
    # A known exploited vulnerability on an internet-facing asset wakes the CSIRT lead (vulns).
    ("vulnerability.exploitable", ROLE, Role.CSIRT_LEAD, 1, True, True),
    # A polled advisory feed fails: the office fixes the URL or the network (vulns).
    ("vulnerability.feed_failed", ROLE, Role.ISMS_OFFICE, 1, False, False),
    # An asset owner's task for a finding, before its due date and at it (vulns).
    ("vulnerability.due", ASSIGNEE, "", 1, False, False),
    # The printed emergency kit is older than the roster: the office reprints it.
    ("kit.outdated", ROLE, Role.ISMS_OFFICE, 1, False, False),
]


def subscriptions_seed(*, organisation: Organisation) -> int:
    """Write the default subscriptions once (an organisation without any gets them)."""
    if Subscription.objects.filter(organisation=organisation).exists():
        return 0
    rows = [
        Subscription(
            organisation=organisation,
            event=event,
            audience=audience,
            role=role,
            min_level=level,
            channels=list(EVERY if every else PUSH),
            every_channel=every,
            needs_ack=ack,
        )
        for event, audience, role, level, ack, every in DEFAULT_SUBSCRIPTIONS
    ]
    return len(Subscription.objects.bulk_create(rows, ignore_conflicts=True))


def channels_ensure_defaults(*, organisation: Organisation) -> list[Channel]:
    """The organisation's channels, creating the personal ones (email, in-app) if missing."""
    channels = list(Channel.objects.filter(organisation=organisation).order_by("id"))
    missing = PERSONAL_KINDS - {c.kind for c in channels}
    for kind in sorted(missing):
        channels.append(_personal_channel(organisation, kind))
    return channels


def _personal_channel(organisation: Organisation, kind: str) -> Channel:
    names = {ChannelKind.EMAIL: _("Email"), ChannelKind.IN_APP: _("In-app")}
    try:
        with transaction.atomic():  # a concurrent first alert may create it too
            return Channel.objects.create(organisation=organisation, kind=kind, name=names[kind])
    except IntegrityError:
        return Channel.objects.get(organisation=organisation, kind=kind)


def policy_for(organisation: Organisation) -> NotificationPolicy:
    """The quiet hours and campaign step; an unsaved default when none was set.

    Read once per organisation object, i.e. per request (issue 20): kept in the relation's
    cache, which an API key's authentication fills in its own query."""
    cache = Organisation.notification_policy.related
    if not cache.is_cached(organisation):
        policy = NotificationPolicy.objects.filter(organisation=organisation).first()
        cache.set_cached_value(organisation, policy)
    return cache.get_cached_value(organisation) or NotificationPolicy(organisation=organisation)
