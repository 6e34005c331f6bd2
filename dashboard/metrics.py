"""The Prometheus metrics of issue 20, read at scrape time (one collect per scrape).

Request latency comes from django-prometheus's middleware (``django_http_*``); this collector
adds what only the application knows: Celery queue depth (Redis broker), the alert outbox
backlog and the age of its oldest pending delivery, how late the decision and the alert
acknowledgement sweeps are, the age of
the worker heartbeat, and the last timeline verification. Each read is one indexed query.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Min, Q
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bcp.models import Decision
from common import clock, observability, selectors
from notifications.enums import DeliveryState
from notifications.models import Alert, Notification

logger = logging.getLogger(__name__)
# kombu's Redis transport keeps a queue's priorities 3, 6, 9 in lists of their own.
PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


def queue_names() -> list[str]:
    routed = {route["queue"] for route in getattr(settings, "CELERY_TASK_ROUTES", {}).values()}
    return sorted({getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery"), *routed})


def queue_depths() -> dict[str, int]:
    """Messages waiting per Celery queue; empty when the broker is not Redis."""
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not url.startswith(("redis://", "rediss://")):
        return {}
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        return {q: sum(client.llen(q + s) for s in PRIORITY_SUFFIXES) for q in queue_names()}
    finally:
        client.close()


def _gauge(name: str, doc: str, value: float | None) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc)
    if value is not None:
        family.add_metric([], value)
    return family


class ApplicationCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = clock.now()
        depth = GaugeMetricFamily(
            "isms_celery_queue_depth", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        try:
            depths = queue_depths()
        except Exception:  # the broker down must not hide the other metrics
            logger.warning("metrics: the broker did not answer", exc_info=True)
            depths = {}
        for queue, n in depths.items():
            depth.add_metric([queue], n)
        yield depth
        waiting = Q(state__in=[DeliveryState.PENDING, DeliveryState.SENDING])
        outbox = Notification.objects.filter(waiting).aggregate(
            n=Count("id"), oldest=Min("created_at")
        )
        yield _gauge(
            "isms_alert_outbox_backlog", "Alert deliveries not yet delivered.", outbox["n"]
        )
        oldest = outbox["oldest"]
        yield _gauge(
            "isms_alert_outbox_oldest_pending_seconds",
            "Age of the oldest undelivered alert delivery (0 when none).",
            (now - oldest).total_seconds() if oldest else 0,
        )
        unswept = (
            Decision.objects.open()
            .filter(overdue=False, due_at__lt=now)
            .aggregate(first=Min("due_at"))["first"]
        )
        yield _gauge(
            "isms_decision_sweep_lateness_seconds",
            "How long the oldest open decision has been past due without the sweep marking it.",
            (now - unswept).total_seconds() if unswept else 0,
        )
        unescalated = (
            Alert.objects.ack_due(now)
            .exclude(incident__is_exercise=True)
            .aggregate(first=Min("ack_due_at"))["first"]
        )
        yield _gauge(
            "isms_alert_escalation_lateness_seconds",
            "How long the oldest alert has been past its acknowledgement deadline unescalated.",
            (now - unescalated).total_seconds() if unescalated else 0,
        )
        yield _gauge(
            "isms_worker_heartbeat_age_seconds",
            "Seconds since a Celery worker last ran the heartbeat (absent: never).",
            selectors.heartbeat_age_seconds(),
        )
        verified = observability.last_timeline_verify() or {}
        yield _gauge(
            "isms_timeline_verify_broken",
            "Timelines broken at the last full verify_timeline run (absent: never run).",
            verified.get("broken"),
        )
        yield _gauge(
            "isms_timeline_verify_age_seconds",
            "Seconds since the last full verify_timeline run (absent: never run).",
            now.timestamp() - verified["at"] if verified else None,
        )
