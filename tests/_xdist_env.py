"""Loaded first (``-p tests._xdist_env`` in pyproject's addopts), before Django reads its settings.

With pytest-xdist (``make test`` runs the suite in ``PYTEST_WORKERS`` processes) each worker gets
a test database of its own (pytest-django adds ``_gw<N>`` to its name) and, from here, two Redis
databases and a var directory of its own: the tests flush their Redis databases and a Celery
worker started by one test must not take another test's tasks. Worker N > 0 counts down from the
configured databases by two per worker (14/13 → 12/11 → …); worker 0 and a run without xdist
use them as configured.
"""

from __future__ import annotations

import os
import re

_REDIS_DB = re.compile(r"^(rediss?://[^/]*/)(\d+)$")


def _worker_number() -> int:
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else 0


def _shifted(url: str, number: int) -> str:
    match = _REDIS_DB.match(url)
    if not match or number == 0:
        return url
    database = int(match[2]) - 2 * number
    if database < 1:
        raise RuntimeError(f"too many pytest-xdist workers for the Redis databases below {url}")
    return f"{match[1]}{database}"


def _isolate_worker() -> None:
    number = _worker_number()
    if number == 0:
        return
    for name in ("CELERY_BROKER_URL", "CACHE_URL"):
        if name in os.environ:
            os.environ[name] = _shifted(os.environ[name], number)
    if os.environ.get("ISMS_VAR_DIR"):
        os.environ["ISMS_VAR_DIR"] = os.path.join(os.environ["ISMS_VAR_DIR"], f"gw{number}")


_isolate_worker()
