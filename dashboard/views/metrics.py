"""GET /metrics: the Prometheus exposition, for the monitoring system only.

Not public. A scraper sends ``Authorization: Bearer <METRICS_TOKEN>``; a signed-in staff user
(``is_staff``) may look too. Anyone else gets a 404, as if there were nothing here. Without
``METRICS_TOKEN`` only staff can read it. docs/operations.md has the scrape config and alerts.
"""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

from dashboard.metrics import ApplicationCollector

APPLICATION = CollectorRegistry(auto_describe=False)
APPLICATION.register(ApplicationCollector())


def _process_metrics() -> CollectorRegistry:
    """This process's request metrics, or every gunicorn worker's when
    ``PROMETHEUS_MULTIPROC_DIR`` is set (prometheus-client's multiprocess mode)."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        raise Http404
    body = generate_latest(_process_metrics()) + generate_latest(APPLICATION)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
