"""Extension points through which apps above incidents react to it, without incidents
importing them (DESIGN: dependencies point one way).

- fact providers add facts to the lifecycle guards (bcp: BCP state, pending ratifications);
- listeners run in the same transaction when an incident is declared, its facts change
  (risklevels: checklists and re-evaluation of the escalation rules) or its status moves
  (isms: M-1 marks the closed incident for the management review);
- guard links name the page that fixes a failed lifecycle guard (the close checklist, the
  lifecycle panel), so a guard another app checks also links to that app's page.
Apps register in AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

FactProvider = Callable[[Any], dict[str, Any]]
# An app's facts read in the guards' one statement (issue 20): its reads for an incident id
# (query sets whose only argument is the id: ``common.fold.PreparedFold``), and what their
# rows say.
FactParts = tuple[Callable[[int], dict[str, Any]], Callable[[dict[str, Any]], dict[str, Any]]]
Listener = Callable[..., None]

_fact_providers: list[FactProvider] = []
_fact_parts: list[FactParts] = []
_declared_listeners: list[Listener] = []
_facts_listeners: list[Listener] = []
_status_listeners: list[Listener] = []
_timeline_labels: dict[str, Any] = {}
_guard_links: dict[str, Callable[[Any], str]] = {}
_timeline_describers: dict[str, Callable[[dict[str, Any]], list[str]]] = {}
_timeline_keys: dict[str, Any] = {}
_timeline_values: dict[str, type] = {}
_sensitive_asset_sources: list[Callable[[int], Any]] = []
_tlp_floors: list[Callable[[Any], str | None]] = []
_visibility: list[Callable[[Any, frozenset[str]], Any]] = []
_visibility_limits: list[Callable[[Any], Any]] = []
_contributors: list[Callable[[Any, Any], bool]] = []


def _add(registry: list, item: Any) -> None:  # type: ignore[type-arg]
    if item not in registry:
        registry.append(item)


def register_fact_provider(provider: FactProvider) -> None:
    _add(_fact_providers, provider)


def register_fact_parts(
    parts: Callable[[int], dict[str, Any]], read: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    """Facts an app adds to the guards, read in the same statement as incidents' own."""
    _add(_fact_parts, (parts, read))


def fact_parts() -> tuple[FactParts, ...]:
    return tuple(_fact_parts)


def register_declared_listener(listener: Listener) -> None:
    _add(_declared_listeners, listener)


def register_facts_listener(listener: Listener) -> None:
    _add(_facts_listeners, listener)


def register_status_listener(listener: Listener) -> None:
    _add(_status_listeners, listener)


def extra_facts(incident: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for provider in _fact_providers:
        facts.update(provider(incident))
    return facts


def incident_declared(incident: Any, actor: Any) -> None:
    for listener in _declared_listeners:
        listener(incident=incident, actor=actor)


def facts_changed(incident: Any, actor: Any, observed_at: datetime) -> None:
    """Called by every service that moves a fact, inside its transaction."""
    for listener in _facts_listeners:
        listener(incident=incident, actor=actor, observed_at=observed_at)


def status_changed(incident: Any, actor: Any, previous: str, facts: Any) -> None:
    """Called by the lifecycle service after a transition, inside its transaction; ``facts``
    are the IncidentFacts the guards were checked on."""
    for listener in _status_listeners:
        listener(incident=incident, actor=actor, previous=previous, facts=facts)


def register_guard_links(links: dict[str, Callable[[Any], str]]) -> None:
    """Guard code → a function of the incident giving the URL of the page that fixes it."""
    _guard_links.update(links)


def guard_link(code: str, incident: Any) -> str:
    link = _guard_links.get(code)
    return link(incident) if link else ""


def register_timeline_labels(labels: dict[str, Any]) -> None:
    """Human labels for the timeline kinds another app writes ("decision.opened" …)."""
    _timeline_labels.update(labels)


def timeline_labels() -> dict[str, Any]:
    return _timeline_labels


def register_timeline_describers(
    describers: dict[str, Callable[[dict[str, Any]], list[str]]],
) -> None:
    """The words of the timeline kinds another app writes: payload → lines of text."""
    _timeline_describers.update(describers)


def timeline_describers() -> dict[str, Callable[[dict[str, Any]], list[str]]]:
    return _timeline_describers


def register_timeline_keys(labels: dict[str, Any], choices: dict[str, type]) -> None:
    """Payload keys another app writes (in decision snapshots …): their labels and, for codes,
    the choices that name them, so incidents reads them without importing that app."""
    _timeline_keys.update(labels)
    _timeline_values.update(choices)


def timeline_keys() -> tuple[dict[str, Any], dict[str, type]]:
    return _timeline_keys, _timeline_values


def register_sensitive_assets(source: Callable[[int], Any]) -> None:
    """organisation id → a query of asset ids that hold personal or confidential data besides
    the asset's own flags (privacy: the assets hosting such a data set; rule L3-b)."""
    _add(_sensitive_asset_sources, source)


def sensitive_asset_queries(organisation_id: int) -> list[Any]:
    return [source(organisation_id) for source in _sensitive_asset_sources]


def register_tlp_floor(floor: Callable[[Any], str | None]) -> None:
    """incident → the least TLP it may carry (privacy: RED while a personal-data set is linked,
    rule T-1), or None."""
    _add(_tlp_floors, floor)


def tlp_floors(incident: Any) -> list[str]:
    return [tlp for floor in _tlp_floors if (tlp := floor(incident))]


def register_visibility(grant: Callable[[Any, frozenset[str]], Any]) -> None:
    """(user, roles) → a Q over incidents the user holds something on in another app (a
    decision in bcp, an obligation in privacy), so the user sees those incidents (issue 16)."""
    _add(_visibility, grant)


def visibility_grants(user: Any, roles: frozenset[str]) -> list[Any]:
    return [grant(user, roles) for grant in _visibility]


def register_visibility_limit(limit: Callable[[Any], Any]) -> None:
    """user → a Q that is all the user may ever see (comms: an outside responder's guest
    invitation, one incident while it is active), or None when the user is not limited."""
    _add(_visibility_limits, limit)


def visibility_limits(user: Any) -> list[Any]:
    return [q for limit in _visibility_limits if (q := limit(user)) is not None]


def register_contributor(check: Callable[[Any, Any], bool]) -> None:
    """(user, incident) → True when the user may add evidence and facts to this one incident
    without being an incident editor (comms: a CONTRIBUTE guest of the incident)."""
    _add(_contributors, check)


def contributes_to(user: Any, incident: Any) -> bool:
    return any(check(user, incident) for check in _contributors)


_timeline_sentences: dict[str, Callable[..., str]] = {}


def register_timeline_sentences(sentences: dict[str, Callable[..., str]]) -> None:
    """The sentences of the timeline kinds another app writes: (payload, say) → one or two
    sentences in the current language (``incidents.timeline_sentences``)."""
    _timeline_sentences.update(sentences)


def timeline_sentences() -> dict[str, Callable[..., str]]:
    return _timeline_sentences


_reply_failure_counters: list[Callable[[int], int]] = []


def register_mailbox_reply_failures(counter: Callable[[int], int]) -> None:
    """organisation id → how many replies to the reporting mailbox's forwarders could not be
    delivered (notifications: they are alerts of its outbox)."""
    _add(_reply_failure_counters, counter)


def mailbox_reply_failures(organisation_id: int) -> int:
    return sum(counter(organisation_id) for counter in _reply_failure_counters)


_review_sections: list[Callable[[Any, datetime, datetime, datetime], Any]] = []


def register_review_section(provider: Callable[[Any, datetime, datetime, datetime], Any]) -> None:
    """(organisation, since, until, now) → a section of the management review pack (an object
    with ``title`` and ``rows`` of (label, value)) or None. training renders them after its own;
    vulns adds its figures so training never imports vulns."""
    _add(_review_sections, provider)


def review_sections(organisation: Any, since: datetime, until: datetime, now: datetime) -> list:  # type: ignore[type-arg]
    found = (provider(organisation, since, until, now) for provider in _review_sections)
    return [section for section in found if section is not None]
