"""The long-lived objects of a web process out of the garbage collector's way (issue 20).

A warmed-up process holds ~365 000 objects (modules, URL patterns, templates, translations,
compiled statements) that live as long as it does. Python's full collection walks all of them:
~190 ms, on whichever request happened to allocate the object that triggered it, every few
hundred requests per process. Once the process has served ``GC_FREEZE_AFTER_REQUESTS``
requests (so what the first pages load lazily is there too), ``gc.freeze()`` moves every
object to the permanent generation, which collections skip: a full collection then takes ~3
ms. What is created later is collected as before. No collection first: it would hold the GIL
~160 ms, stalling every thread of the process (one may hold an incident's lock); the cyclic
garbage alive at that moment (~4 700 objects, once per process) is kept instead.
"""

from __future__ import annotations

import gc
import threading
from typing import Any

from django.conf import settings

_lock = threading.Lock()
_served = 0
_frozen = False


def after_request(**kwargs: Any) -> None:
    """``request_finished``: count the process's requests; freeze once, at the threshold."""
    global _served, _frozen
    if _frozen:
        return
    with _lock:
        if _frozen:
            return
        _served += 1
        if _served < settings.GC_FREEZE_AFTER_REQUESTS:
            return
        _frozen = True
    gc.freeze()


def forget() -> None:
    """Count again from zero (a test's own process)."""
    global _served, _frozen
    with _lock:
        _served, _frozen = 0, False
