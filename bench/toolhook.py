"""bench/toolhook: a burst of signed security-tool alerts, most of them repeats.

    .venv/bin/python bench/toolhook.py [--alerts 1000] [--distinct 50] [--clients 8]

Against gunicorn (2 workers × 4 threads) on PostgreSQL, through the Defender source's webhook
(/hooks/alerts/<token>/), each request signed with the source's secret. ``--distinct`` alert ids
cycle through the burst, so most posts are repeats that race each other. Checks afterwards: no
5xx and no connection error, exactly ``--distinct`` reports, and the repeat counts add up to
``--alerts``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import _lib

ROOT = _lib.ROOT


def setup(env: dict[str, str]) -> tuple[str, str, int]:
    _lib.recreate_database("toolhook")
    _lib.manage(env, "migrate", "--noinput", "-v0")
    _lib.django_setup(env)
    from accounts import services as accounts
    from accounts.roles import Role
    from incidents.services import channels

    org = accounts.organisation_create(name="ベンチ株式会社")
    office = accounts.user_create(organisation=org, username="office", password=None)
    accounts.role_assign(organisation=org, role=Role.ISMS_OFFICE, user=office)
    registered = channels.alert_source_register(
        organisation=org, actor=office, name="Defender", fmt="DEFENDER"
    )
    return registered.source.token, registered.secret, org.pk


def requests_for(token: str, secret: str, n: int, distinct: int) -> list[_lib.Request]:
    from incidents.channels.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

    alert = json.loads((ROOT / "incidents/channels/samples/defender.json").read_text())
    out: list[_lib.Request] = []
    for i in range(n):
        body = json.dumps({**alert, "id": f"da-bench-{i % distinct}"}).encode()
        ts = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: ts,
            SIGNATURE_HEADER: sign(secret, ts, body),
        }
        out.append(("POST", f"/hooks/alerts/{token}/", body, headers))
    return out


def verify(org_id: int) -> dict[str, int]:
    from django.db.models import Sum

    from incidents.models import AlertReceipt, Report

    return {
        "reports": Report.objects.filter(organisation_id=org_id).count(),
        "receipts": AlertReceipt.objects.count(),
        "counted": AlertReceipt.objects.aggregate(n=Sum("repeat_count"))["n"] or 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--distinct", type=int, default=50)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    env = _lib.bench_env("toolhook")
    token, secret, org_id = setup(env)
    server = _lib.Gunicorn(env, workers=2, threads=4)
    try:
        requests = requests_for(token, secret, args.alerts, args.distinct)
        result = _lib.run_load(server.port, requests, args.clients)
    finally:
        server.stop()
    summary = result.summary()
    checks = verify(org_id)
    server_errors = sum(n for code, n in result.statuses.items() if code >= 500)
    ok = (
        server_errors == 0
        and summary["errors"] == 0
        and checks["reports"] == args.distinct
        and checks["counted"] == args.alerts
    )
    payload = {
        "bench": "toolhook",
        "args": vars(args),
        "summary": summary,
        "statuses": result.statuses,
        "checks": checks,
        "ok": ok,
    }
    print(json.dumps(payload, indent=2, ensure_ascii=False))
    print("raw:", _lib.write_result("toolhook", payload))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
