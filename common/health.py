"""Readiness probes: each returns (ok, detail) and never raises."""

from __future__ import annotations

from django.db import connection

from common import selectors


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return False, type(exc).__name__
    return True, connection.vendor


def check_broker() -> tuple[bool, str]:
    from isms_csirt.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
    except Exception as exc:
        return False, type(exc).__name__
    return True, str(transport)


def check_worker() -> tuple[bool, str]:
    try:
        age = selectors.heartbeat_age_seconds()
    except Exception as exc:
        return False, type(exc).__name__
    if age is None:
        return False, "no heartbeat yet"
    return selectors.heartbeat_is_fresh(), f"last heartbeat {age:.0f}s ago"
