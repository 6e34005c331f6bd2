"""The emergency kit follows the roster, the call tree, the checklists and the contacts: a
``plan.changed`` event queues its regeneration once the change has committed."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction
from kombu.exceptions import KombuError, OperationalError

log = logging.getLogger(__name__)
BROKER_ERRORS = (OperationalError, KombuError, ConnectionError, OSError, TimeoutError)


def enqueue(organisation_id: int, reason: str) -> None:
    from records.tasks import regenerate_kit

    try:
        regenerate_kit.apply_async((organisation_id, reason))
    except BROKER_ERRORS as exc:  # the daily sweep makes the kit current instead
        log.warning("records: broker unavailable (%r); the kit sweep will regenerate", exc)


def on_plan_changed(name: str, *, organisation_id: int, incident: Any = None, **data: Any) -> None:
    transaction.on_commit(partial(enqueue, organisation_id, str(data.get("what", ""))))
