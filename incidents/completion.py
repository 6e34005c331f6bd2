"""Tasks that a record completes: the task ↔ record map.

A checklist task is often *proved* by what the record already holds: the C2 domain blocked at
the proxy is task L2-05 done, the mail deleted from every mailbox is L1-06, every infected PC
isolated is L1-01. ``TASK_RECORDS`` says which task code is completed by which condition; each
condition reads the incident's records and answers with a ``Proof``: whether it holds, the
records that show it, and what is still missing.

A condition another app provides (an ALL_STAFF communication sent, once communications exist)
is registered by that app with ``register_condition`` in its ``AppConfig.ready``; until then
the codes that name it are completed by hand. Pure reads here; the service that completes the
tasks or warns is ``incidents.services.task_records``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, CharField, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, NullIf
from django.utils.translation import gettext_lazy as _

from incidents.models import AffectedAsset, Incident, Indicator, MailDelivery
from incidents.models import enums as e

# Where a blocked URL/domain/C2 indicator counts for L2-05 (プロキシ／DNS／FW でブロック).
NETWORK_BLOCK_POINTS = (e.BlockPoint.PROXY, e.BlockPoint.DNS, e.BlockPoint.FIREWALL)
# Records shown by name on the task; more are summarised as a count.
SHOWN = 3


@dataclass(frozen=True)
class Proof:
    """Labels are record names (a tag, a value, an address), shown in any language."""

    holds: bool
    records: list[str] = field(
        default_factory=list
    )  # what proves it ("cdn-update.example @ PROXY")
    missing: list[str] = field(default_factory=list)  # what breaks it ("PC-15")


Condition = Callable[[Incident], Proof]


def _proof(done: QuerySet, missing: QuerySet, label: str, missing_label: str = "") -> Proof:
    """Holds when at least one record proves it and none is missing (no vacuous truth: an
    incident without a C2 indicator has not blocked its C2). One small query whatever the
    number of records (issue 20: the intake asks for every report): only the first few labels
    of each side are read, in one ``UNION ALL``."""
    lacking_rows = _first(missing, missing_label or label, False)
    if connection.features.supports_slicing_ordering_in_compound:
        rows = list(lacking_rows.union(_first(done, label, True), all=True))
    else:  # SQLite (`make run`) cannot slice inside a UNION: the two reads apart
        rows = [*lacking_rows, *_first(done, label, True)]
    found: dict[bool, list[tuple[int, str]]] = {False: [], True: []}
    for text, proves, pk in rows:
        found[proves].append((pk, str(text)))
    lacking, proving = _labels(found[False]), _labels(found[True])
    return Proof(holds=bool(proving) and not lacking, records=proving, missing=lacking)


def _first(rows: QuerySet, label: str, proves: bool) -> QuerySet:
    flag = Value(proves, output_field=BooleanField())
    return rows.annotate(proves=flag).order_by("id").values_list(label, "proves", "id")[: SHOWN + 1]


def _labels(rows: list[tuple[int, str]]) -> list[str]:
    found = [text for _pk, text in sorted(rows)]
    return [*found[:SHOWN], "…"] if len(found) > SHOWN else found


def network_indicators_blocked(incident: Incident) -> Proof:
    """Every C2/URL/domain indicator of the incident blocked at the proxy, DNS or firewall."""
    rows = Indicator.objects.filter(incident=incident, kind__in=e.NETWORK_INDICATOR_KINDS)
    blocked = Q(blocked_by__in=NETWORK_BLOCK_POINTS)
    done = rows.filter(blocked).annotate(
        label=Concat("value", Value(" @ "), "blocked_by", output_field=CharField())
    )
    return _proof(done, rows.exclude(blocked), "label", "value")


def deliveries_deleted(incident: Incident) -> Proof:
    """Every delivery of the incident's messages deleted from the mailbox (quarantined ones
    never reached one)."""
    rows = MailDelivery.objects.filter(message__incident=incident, blocked=False).annotate(
        label=Coalesce(
            NullIf("recipient_email", Value("")),
            NullIf("recipient_name", Value("")),
            Value("?"),
            output_field=CharField(),
        )
    )
    return _proof(
        rows.filter(deleted_at__isnull=False), rows.filter(deleted_at__isnull=True), "label"
    )


def infected_isolated(incident: Incident) -> Proof:
    """Every effectively infected asset (X-4) isolated."""
    rows = AffectedAsset.objects.filter(
        incident=incident, infection_state__in=e.EFFECTIVE_INFECTION
    )
    isolated = Q(containment_state=e.ContainmentState.ISOLATED)
    return _proof(rows.filter(isolated), rows.exclude(isolated), "asset__asset_tag")


_conditions: dict[str, Condition] = {
    "network_indicators_blocked": network_indicators_blocked,
    "deliveries_deleted": deliveries_deleted,
    "infected_isolated": infected_isolated,
}

# task code → the condition that completes it (DOMAIN-MODEL §4 codes).
TASK_RECORDS: dict[str, str] = {
    "L1-01": "infected_isolated",  # isolate the suspected PC
    "L1-06": "deliveries_deleted",  # delete the mail from all mailboxes
    "L2-05": "network_indicators_blocked",  # block the URL/domain/IP at proxy/DNS/FW
    # N-1 … N-3: a communication sent; the conditions are registered by comms (comms.records).
    "L1-02": "all_staff_alerted",  # N-1 alert all staff
    "G1-05": "all_staff_alerted",
    "L2-10": "customers_contacted",  # N-2 contact customers and partners
    "L3-07": "announcement_published",  # N-3 public announcement (web notice, press)
    "L3-10": "insurer_notified",  # N-3 contact the insurer
}

# Which conditions a kind of record can change: the services name the kind they wrote.
RECORD_KINDS: dict[str, tuple[str, ...]] = {
    "indicator": ("network_indicators_blocked",),
    "delivery": ("deliveries_deleted",),
    "asset": ("infected_isolated",),
    "communication": (
        "all_staff_alerted",
        "customers_contacted",
        "announcement_published",
        "insurer_notified",
    ),
}


# What a warning on a done task says when its condition no longer holds.
BROKEN: dict[str, object] = {
    "network_indicators_blocked": _("not blocked at the proxy, DNS or firewall: %(items)s"),
    "deliveries_deleted": _("not deleted from the mailbox: %(items)s"),
    "infected_isolated": _("infected and not isolated: %(items)s"),
}
BROKEN_DEFAULT = _("the record no longer shows it: %(items)s")


def broken_text(name: str, items: list[str]) -> str:
    return str(BROKEN.get(name, BROKEN_DEFAULT)) % {"items": ", ".join(items)}


def register_condition(name: str, condition: Condition) -> None:
    """An app above incidents provides a condition (e.g. ``all_staff_alerted``)."""
    _conditions[name] = condition


def condition(name: str) -> Condition | None:
    return _conditions.get(name)


def codes_for(kinds: tuple[str, ...] | None) -> dict[str, str]:
    """The task codes (→ condition) that a change of these record kinds may complete."""
    names = None if kinds is None else {n for kind in kinds for n in RECORD_KINDS.get(kind, ())}
    return {
        code: name
        for code, name in TASK_RECORDS.items()
        if name in _conditions and (names is None or name in names)
    }
