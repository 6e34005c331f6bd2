"""What happens when a decision is decided, by decision type.

bcp handles its own types (D-6); apps above it (risklevels) register theirs at start-up, so bcp
never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OutcomeHandler = Callable[[Any, Any], None]  # (decision, actor)
_handlers: dict[str, list[OutcomeHandler]] = {}


def register(decision_type: str, handler: OutcomeHandler) -> None:
    handlers = _handlers.setdefault(decision_type, [])
    if handler not in handlers:
        handlers.append(handler)


def run(decision: Any, actor: Any) -> None:
    for handler in _handlers.get(decision.type, []):
        handler(decision, actor)
