from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from common import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches nothing else, so it stays cheap."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database, broker and a fresh worker heartbeat (stale after 2 minutes)."""
    checks = {
        "database": health.check_database(),
        "broker": health.check_broker(),
        "worker": health.check_worker(),
    }
    ready = all(ok for ok, _ in checks.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
    }
    return JsonResponse(body, status=200 if ready else 503)
