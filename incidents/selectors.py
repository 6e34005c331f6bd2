"""Reads of the incident record, already filtered to what the user may see."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, StrIndex, Upper
from django.db.models.lookups import GreaterThan
from django.http import Http404
from django.utils.translation import gettext as _

from accounts import roster
from accounts.models import Organisation, User
from accounts.roles import Role
from common import clock
from incidents import access, extensions
from incidents.facts import messages_with_counters
from incidents.models import (
    AffectedAsset,
    AlertReceipt,
    AlertSource,
    Event,
    EvidenceItem,
    Incident,
    IncidentRelation,
    Indicator,
    IntakeSettings,
    MailDelivery,
    MailMessage,
    RelationKind,
    Report,
    ReportingLink,
    ReportKey,
    Task,
    TimelineEntry,
)
from incidents.models.enums import IncidentStatus
from incidents.models.relations import INVERSE_LABELS


def incidents_visible_to(user: User) -> QuerySet[Incident]:
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Incident.objects.none()
    base = Incident.objects.filter(organisation_id=user.organisation_id)
    limits = extensions.visibility_limits(user)
    if limits:
        # An outside responder (comms guest): the incident of the active invitation, only.
        return base.filter(*limits)
    if access.sees_all_incidents(user):
        return base
    # Assigned handlers and leads see only their incidents; the other roles (legal/privacy, PR,
    # department managers) see the incidents where they hold a task, a decision or an
    # obligation (issue 16), and only those. An external responder's role opens nothing: only
    # what they are assigned to by name (access.ASSIGNED_ONLY).
    roles = access.roles_of(user) - access.ASSIGNED_ONLY
    tasks = Task.objects.filter(incident=OuterRef("pk")).filter(
        Q(owner=user) | Q(owner_role__in=roles)
    )
    held = Q(csirt_lead=user) | Exists(tasks) | Q(pk__in=user.handled_incidents.values("pk"))
    for grant in extensions.visibility_grants(user, roles):
        held |= grant
    return base.filter(held)


# What the incident search reads (``incident_search``): the incident's own text, then the
# records that name it (model: the column naming the incident, the searched fields). Each
# field has a trigram index on PostgreSQL (migration 0018), which serves ``icontains``
# (``UPPER(col::text) LIKE UPPER('%…%')``); SQLite scans.
SEARCH_FIELDS: dict[type[Model], tuple[str, tuple[str, ...]]] = {
    Incident: ("pk", ("ref", "title", "description")),
    MailMessage: ("incident_id", ("sender", "subject")),
    Report: ("incident_id", ("sender", "subject", "reporter_name", "reporter_email")),
    Indicator: ("incident_id", ("value",)),
    AffectedAsset: ("incident_id", ("asset__asset_tag", "asset__hostname")),
}
SEARCH_MAX_LENGTH = 200


# Up to this many matching rows, the search names the incidents by id (one read of the indexes,
# then a page of a few rows); above it, it filters the list's keyset walk (see below).
SEARCH_IDS_LIMIT = 1000
# A text in the reference, title or description of at least SEARCH_DENSE of the newest
# SEARCH_SAMPLE incidents goes to the walk at once: reading it from the trigram index would
# first build the index's bitmap of every match (a word of most descriptions: 325 000 entries).
SEARCH_SAMPLE = 200
SEARCH_DENSE = 10


def search_fragment(text: str) -> str | None:
    """The part of ``text`` the trigram indexes are read for, when it is not the whole text:
    its longest word (a run of letters and digits) of four characters or more that mixes
    letters and digits, an identifier such as the ``billing4242`` of
    ``billing4242@vendor.example``, a host's ``srv0042`` or a ticket's ``inc7781``.

    Why (issue 20): a GIN index answers ``LIKE '%…%'`` by reading the whole list of rows of
    every trigram of the text, and the trigrams of ``@vendor.example`` are in every one of
    100 000 such senders (21–26 ms per index at load 7; ``'%BILLING4242%'``: 2.4–4.2 ms).
    PostgreSQL keeps no count per trigram to choose by; an identifier is what sets one record
    apart. A word of digits alone is not taken: a year or a date (``2026`` of
    ``CVE-2026-1234``) is in many descriptions, and each row the index gives is read and
    checked. Every row that contains the text contains the word, and the whole text is then
    checked on those rows, so the search finds exactly what it found before; only how much of
    the index is read changes."""
    words = [
        word
        for word in re.split(r"[\W_]+", text)
        if len(word) >= 4 and any(c.isdigit() for c in word) and not word.isdigit()
    ]
    longest = max(words, key=len, default=None)
    return longest if longest is not None and longest != text else None


def _field_contains(field: str, text: str) -> Q:
    """``field`` contains ``text`` (any case), read from the field's trigram index by the
    text's fragment when it has one (``search_fragment``), the whole text checked on the rows
    the index gives (``_contains``: no index serves that form, so it cannot add trigrams)."""
    fragment = search_fragment(text)
    if fragment is None:
        return Q(**{f"{field}__icontains": text})
    return Q(**{f"{field}__icontains": fragment}) & _contains(field, text)


def search_matches(text: str, *, own_text: bool = True) -> QuerySet:
    """The ids of the incidents named by each searched field, one ``UNION ALL`` part per field
    (a single condition is one bitmap scan of its trigram index, which the planner prefers to a
    table scan; an OR of several in one part it would cost above a scan). A report not yet part
    of an incident gives a NULL. ``own_text=False``: the other records' fields only."""
    first, *rest = [
        model.objects.filter(_field_contains(field, text)).order_by().values_list(link)  # type: ignore[attr-defined]
        for model, (link, fields) in SEARCH_FIELDS.items()
        if own_text or model is not Incident
        for field in fields
    ]
    return first.union(*rest, all=True)


def _contains(field: str, text: str) -> Q:
    """``field`` contains ``text`` in any case, as ``icontains`` says it, written as
    ``STRPOS(UPPER(field), UPPER(text)) > 0``: no trigram index serves that form, and the
    planner estimates it true for a third of the rows (a ``LIKE '%…%'`` it estimates true for
    almost none), so it checks the rows the list's keyset walk reads and stops at a full page
    instead of reading every match from the index and sorting them."""
    return Q(GreaterThan(StrIndex(Upper(field), Upper(Value(text))), 0))


def _own_text(text: str) -> Q:
    condition = Q()
    for field in SEARCH_FIELDS[Incident][1]:
        condition |= _contains(field, text)
    return condition


def _dense(text: str) -> bool:
    """Whether ``text`` is in the own text of many of the newest incidents (one read of at
    most SEARCH_SAMPLE rows by the primary key). It only chooses how the search reads: both
    ways find the same incidents."""
    newest = Incident.objects.order_by("-pk").values("pk")[:SEARCH_SAMPLE]
    matches = Incident.objects.filter(_own_text(text), pk__in=newest).order_by()
    return len(matches.values_list("pk")[:SEARCH_DENSE]) >= SEARCH_DENSE


def incident_search(q: str) -> Q:
    """Incidents whose reference, title or description, a campaign email's sender or subject,
    a report's sender, subject or reporter (name, email), an indicator's value or an affected
    asset's tag or host name contains ``q`` (any case).

    A sample first (``_dense``): a text in the own text of many of the newest incidents goes
    to the walk below, with the other records' matches read first (up to ``SEARCH_IDS_LIMIT``
    of them: ``id IN (those ids)`` beside the own text). Otherwise one read: up to
    ``SEARCH_IDS_LIMIT`` matching rows from the indexes (a rare sender: a few ms), then
    ``id IN (those ids)``. A text found in
    more rows (a word of most descriptions, a sender in every report) is checked on the
    incidents the list walks, in its keyset order, stopping at a full page: the incident's own
    text inline (``_contains``), the other records' fields as ``id IN (…)`` sub-queries, each
    read once from its index and hashed. Either alone would either walk every incident for a rare
    text or read and sort every match of a common one (1.4 s for a word in 100 000
    descriptions; bench/README.md).
    """
    text = q.strip()[:SEARCH_MAX_LENGTH]
    if not text:
        return Q()
    dense = _dense(text)
    found = [pk for (pk,) in search_matches(text, own_text=not dense)[: SEARCH_IDS_LIMIT + 1]]
    if len(found) <= SEARCH_IDS_LIMIT:
        named = Q(pk__in={pk for pk in found if pk is not None})
        # Dense: the other records' few matches read once, here (issue 20: as sub-queries of
        # the walk the planner read each for a row or two at a time, so it chose a scan of
        # every asset for the host name, 9-22 ms of the page at load 6-8).
        return _own_text(text) | named if dense else named
    condition = _own_text(text)
    for model, (link, fields) in SEARCH_FIELDS.items():
        if model is Incident:
            continue
        for field in fields:
            rows = model.objects.filter(_field_contains(field, text))  # type: ignore[attr-defined]
            condition |= Q(pk__in=rows.order_by().values(link))
    return condition


def exercise_scope(*, exercise: bool = False, prefix: str = "") -> Q:
    """Issue 18: real views read real incidents only, an exercise's views its incidents only.

    For rows of other tables (``prefix="incident__"``) this is ``[NOT] IN`` the few exercise
    incidents (the is_exercise index), so a list over reports or decisions does not join every
    incident of the organisation; rows without an incident (a waiting report, an alert about a
    triage item) belong to real work.
    """
    if not prefix:
        return Q(is_exercise=exercise)
    inside = Q(**{f"{prefix}in": Incident.objects.filter(is_exercise=True).values("pk")})
    return inside if exercise else ~inside


def incident_list(user: User, *, exercise: bool | None = None) -> QuerySet[Incident]:
    """The incidents the user sees; ``exercise`` False (real lists) or True (an exercise's
    views) keeps one side of the boundary only; None (opening one by reference) both."""
    rows = incidents_visible_to(user).select_related("csirt_lead", "owner")
    return rows if exercise is None else rows.filter(exercise_scope(exercise=exercise))


def incident_detail(user: User) -> QuerySet[Incident]:
    """What an incident's detail shows: the list's relations plus its handlers."""
    return incident_list(user).select_related("owner").prefetch_related("handlers")


def people_of(incident: Incident) -> QuerySet[User]:
    """The people a case form may name: active people of the organisation, not integrations."""
    return people_in(organisation_id=incident.organisation_id)


def people_in(*, organisation_id: int) -> QuerySet[User]:
    """Active people of an organisation, not integrations (the case form, the list's filter)."""
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, api_key__isnull=True
    ).order_by("display_name", "username")


def incident_get(*, user: User, ref: str) -> Incident:
    incident = incident_list(user).filter(ref=ref).first()
    if incident is None:
        raise Http404
    return incident


def incident_get_by_id(*, user: User, pk: int) -> Incident:
    incident = incident_list(user).filter(pk=pk).first()
    if incident is None:
        raise Http404
    return incident


def reports_visible_to(user: User) -> QuerySet[Report]:
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Report.objects.none()
    base = Report.objects.filter(organisation_id=user.organisation_id)
    if access.can_triage(user) or access.sees_all_incidents(user):
        return base.select_related("event", "incident", "reporter")
    return base.filter(reporter=user).select_related("event", "incident", "reporter")


def events_waiting(user: User) -> QuerySet[Event]:
    if not access.can_triage(user):
        return Event.objects.none()
    return (
        Event.objects.waiting()
        .filter(organisation_id=user.organisation_id)
        .annotate(
            # A report of the item whose derived records failed: the office completes them.
            has_intake_problem=Exists(
                Report.objects.filter(event=OuterRef("pk")).exclude(intake_problem="")
            )
        )
        .order_by("received_at", "id")
    )


def events_visible_to(user: User) -> QuerySet[Event]:
    if not access.can_triage(user):
        return Event.objects.none()
    return Event.objects.filter(organisation_id=user.organisation_id).select_related(
        "incident", "triaged_by"
    )


def event_detail(user: User) -> QuerySet[Event]:
    """A triage item with its reports, in the order they arrived."""
    return events_visible_to(user).prefetch_related(
        Prefetch("reports", queryset=Report.objects.order_by("received_at", "id"))
    )


def event_get(*, user: User, pk: int) -> Event:
    event = events_visible_to(user).filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def affected_assets_of(incident: Incident) -> QuerySet[AffectedAsset]:
    return incident.affected_assets.select_related("asset").order_by("id")


def deliveries_of(incident: Incident) -> QuerySet[MailDelivery]:
    return (
        MailDelivery.objects.filter(message__incident=incident)
        .select_related("recipient", "message")
        .order_by("id")
    )


def indicators_of(incident: Incident) -> QuerySet[Indicator]:
    return incident.indicators.order_by("id")


def tasks_of(incident: Incident) -> QuerySet[Task]:
    return incident.tasks.select_related("owner", "completed_by").order_by("level", "code", "id")


def evidence_of(incident: Incident) -> QuerySet[EvidenceItem]:
    return (
        incident.evidence.select_related("collected_by")
        .prefetch_related("custody__actor")
        .order_by("id")
    )


def timeline_of(incident: Incident) -> QuerySet[TimelineEntry]:
    return incident.timeline.order_by("seq")


def event_reports(event: Event) -> QuerySet[Report]:
    return event.reports.select_related("reporter").order_by("received_at", "id")


def event_groupings(events: list[Event]) -> dict[int, list[tuple[str, str]]]:
    """Per triage item, the mail keys its reports were grouped by: [(kind, value), …].

    Two queries whatever the number of items, so the queue's query count stays flat.
    """
    ids = [event.pk for event in events]
    kinds: dict[int, set[str]] = {}
    matches = Report.objects.filter(event_id__in=ids).values_list("event_id", "matched")
    for event_id, matched in matches:
        for kind in str((matched or {}).get("kind") or "").split("+"):
            if kind:
                kinds.setdefault(event_id, set()).add(kind)
    values: dict[tuple[int, str], str] = {}
    keys = ReportKey.objects.filter(event_id__in=ids).order_by("id")
    for event_id, kind, value in keys.values_list("event_id", "kind", "value"):
        values.setdefault((event_id, kind), value)
    return {
        event_id: [(kind, values.get((event_id, kind), "")) for kind in sorted(found)]
        for event_id, found in kinds.items()
    }


def incidents_open_for_attach(user: User) -> QuerySet[Incident]:
    """Triage items are real reports: only real incidents take them (issue 18)."""
    return incident_list(user, exercise=False).open().order_by("-declared_at", "-id")


def reporting_link_active(*, organisation_id: int) -> ReportingLink | None:
    return ReportingLink.objects.filter(
        organisation_id=organisation_id, revoked_at__isnull=True
    ).first()


def reporting_link_by_token(*, token: str) -> ReportingLink | None:
    """The active link with this token, or None for an unknown or revoked one."""
    return (
        ReportingLink.objects.select_related("organisation")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )


def reporting_link_replaced(*, token: str) -> ReportingLink | None:
    """The revoked link with this token: its holder is told where the new one comes from."""
    return (
        ReportingLink.objects.select_related("organisation")
        .filter(token=token, revoked_at__isnull=False)
        .first()
    )


def intake_settings_of(*, organisation_id: int) -> IntakeSettings | None:
    return IntakeSettings.objects.filter(organisation_id=organisation_id).first()


def report_filed_at_desk(*, organisation_id: int, pk: object) -> Report | None:
    """The report a browser has just filed; its id comes from that browser's session."""
    if not isinstance(pk, int):
        return None
    return Report.objects.filter(organisation_id=organisation_id, pk=pk).first()


@dataclass(frozen=True)
class Contact:
    """Someone a worker can call at once: the desk, or the first available holder of a role."""

    label: str
    name: str
    phone: str


# Whom the first-aid page tells the worker to call, in this order (after the desk's number).
FIRST_AID_ROLES = (Role.ISMS_OFFICE, Role.IT_ADMIN, Role.CSIRT_LEAD)


def first_aid_contacts(*, organisation: Organisation) -> list[Contact]:
    """The desk phone, then per role the first holder present now who has a phone number.

    Three queries per role (``roster.chain``), whatever the chain's length."""
    contacts = []
    if organisation.desk_phone:
        contacts.append(
            Contact(str(_("Security desk")), organisation.name, organisation.desk_phone)
        )
    now = clock.now()
    for role in FIRST_AID_ROLES:
        for holder in roster.chain(organisation=organisation, role=role, at=now):
            if holder.available and holder.user.phone and holder.user.is_active:
                contacts.append(Contact(str(Role(role).label), str(holder.user), holder.user.phone))
                break
    return contacts


def report_for_details(*, organisation_id: int, pk: object) -> Report | None:
    """A filed report whose details may still be added (its incident not closed)."""
    report = report_filed_at_desk(organisation_id=organisation_id, pk=pk)
    if report is None or (report.incident_id and report.incident.status == IncidentStatus.CLOSED):
        return None
    return report


def report_evidence(report: Report) -> list[EvidenceItem]:
    """The evidence copied from the report's .eml (its description names the report)."""
    if not report.incident_id:
        return []
    return list(
        EvidenceItem.objects.filter(
            incident_id=report.incident_id, original_name=f"{report.number}.eml"
        ).order_by("id")
    )


def incident_reports(incident: Incident) -> QuerySet[Report]:
    """The incident's reports, first first, with who reported them."""
    return (
        Report.objects.filter(incident=incident)
        .select_related("reporter")
        .order_by("received_at", "id")
    )


def mail_messages_of(
    incident: Incident, *, with_delivery_count: bool = False
) -> QuerySet[MailMessage]:
    """The campaign's emails, each with its own counters (X-4 per message); with the number of
    its deliveries, blocked ones included (``delivery_count``), when asked."""
    rows = messages_with_counters(incident.mail_messages.order_by("id"))
    if not with_delivery_count:
        return rows
    every = (
        MailDelivery.objects.filter(message=OuterRef("pk"))
        .order_by()
        .values("message")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return rows.annotate(
        delivery_count=Coalesce(Subquery(every[:1], output_field=IntegerField()), 0)
    )


@dataclass(frozen=True)
class Link:
    """A link between incidents as one incident's page reads it."""

    relation: IncidentRelation
    other: Incident
    outgoing: bool

    @property
    def label(self) -> str:
        kind = RelationKind(self.relation.kind)
        return str(kind.label if self.outgoing else INVERSE_LABELS[kind])


def relations_of(incident: Incident, user: User) -> list[Link]:
    """Both directions in one query: the links this incident makes and the links made to it,
    to incidents the user may see."""
    visible = incidents_visible_to(user).values("pk")
    rows = (
        IncidentRelation.objects.filter(
            Q(incident=incident, related__in=visible) | Q(related=incident, incident__in=visible)
        )
        .select_related("incident", "related")
        .order_by("created_at", "pk")
    )
    return [
        Link(r, r.related, True) if r.incident_id == incident.pk else Link(r, r.incident, False)
        for r in rows
    ]


def relation_get(*, incident: Incident, pk: str | int) -> IncidentRelation:
    """A link made from or to this incident (404 otherwise)."""
    found = (
        IncidentRelation.objects.filter(Q(incident=incident) | Q(related=incident))
        .filter(pk=pk if str(pk).isdigit() else 0)
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- Security-tool alert sources (issue 21) ---------------------------------------------------


def alert_source_by_token(*, token: str) -> AlertSource | None:
    """The source a webhook address names (enabled or not: the service says which)."""
    if not token or len(token) > 64:
        return None
    return AlertSource.objects.select_related("organisation").filter(token=token).first()


def alert_sources_of(*, user: User) -> QuerySet[AlertSource]:
    """The sources of the user's organisation, with how many alerts each has received."""
    from django.db.models import Count, Max

    return (
        AlertSource.objects.filter(organisation_id=user.organisation_id)
        .annotate(alerts=Count("receipts"), last_alert_at=Max("receipts__last_seen_at"))
        .order_by("disabled_at", "name")
    )


def alert_source_get(*, user: User, pk: int) -> AlertSource:
    source = AlertSource.objects.filter(organisation_id=user.organisation_id, pk=pk).first()
    if source is None:
        raise Http404
    return source


def report_alert(report: Report) -> dict[str, object] | None:
    """The security-tool alert a report came from: its source, count and original JSON."""
    import json

    receipt = (
        AlertReceipt.objects.filter(report=report)
        .select_related("source")
        .order_by("-last_seen_at")
        .first()
    )
    if receipt is None:
        return None
    original = json.dumps(receipt.payload, ensure_ascii=False, indent=2)
    return {"receipt": receipt, "original": original}


def reporting_mailbox_status(*, organisation_id: int) -> dict[str, object] | None:
    """The reporting mailbox and what its polls took, by outcome (the intake settings page)."""
    from django.db.models import Count

    from incidents.models import MailOutcome, ReportingMailbox

    box = ReportingMailbox.objects.filter(organisation_id=organisation_id).first()
    if box is None:
        return None
    counts = dict(
        box.receipts.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n")
    )
    return {
        "box": box,
        "counts": [(label, counts.get(value, 0)) for value, label in MailOutcome.choices],
        "taken": sum(counts.values()),
        "replies_failed": extensions.mailbox_reply_failures(organisation_id),
    }
