"""Extension points through which later apps add facts to incident guards.

``incidents`` must not import the apps that react to it (bcp, risklevels); they register a
provider at start-up instead (AppConfig.ready), and the lifecycle guards read what they return.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FactProvider = Callable[[Any], dict[str, Any]]
_fact_providers: list[FactProvider] = []


def register_fact_provider(provider: FactProvider) -> None:
    if provider not in _fact_providers:
        _fact_providers.append(provider)


def extra_facts(incident: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for provider in _fact_providers:
        facts.update(provider(incident))
    return facts
