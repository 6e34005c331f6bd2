"""bench/intake: a phishing wave — N reports of one email from C concurrent clients.

    .venv/bin/python bench/intake.py [--reports 500] [--clients 8] [--after-promotion]

Against gunicorn (2 workers × 4 threads) on PostgreSQL, through POST /api/v1/reports/ with an
API key and an Idempotency-Key. Checks afterwards: every report stored, exactly one triage item
(or, with --after-promotion, every report joined the one incident), no error.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid

import _lib

PHISH = {
    "sender": '"経理部" <keiri@evil.example>',
    "subject": "【至急】請求書の送付",
    "url": "https://evil.example/invoice",
    "what_happened": "OPENED_ATTACHMENT",
}


def setup(env: dict[str, str], promote: bool) -> tuple[str, int]:
    _lib.recreate_database("intake")
    _lib.manage(env, "migrate", "--noinput", "-v0")
    _lib.django_setup(env)
    from accounts import services as accounts
    from accounts.roles import Role
    from incidents.services import intake, triage

    org = accounts.organisation_create(name="ベンチ株式会社")
    office = accounts.user_create(organisation=org, username="office", password=None)
    accounts.role_assign(organisation=org, role=Role.ISMS_OFFICE, user=office)
    _, key = accounts.api_key_create(organisation=org, actor=office, name="bench", scope="WRITE")
    if promote:
        first = intake.report_submit(
            organisation=org,
            actor=None,
            data=intake.ReportInput(**PHISH, reporter_email="first@example.com"),
        )
        triage.event_promote(event=first.event, actor=office)
    return key, org.pk


def requests_for(key: str, n: int) -> list[_lib.Request]:
    headers = {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"}
    return [
        (
            "POST",
            "/api/v1/reports/",
            json.dumps({**PHISH, "reporter_email": f"r{i}@example.com"}).encode(),
            {**headers, "Idempotency-Key": str(uuid.uuid4())},
        )
        for i in range(n)
    ]


def verify(org_id: int, n: int, promote: bool) -> dict[str, int]:
    from incidents.models import Event, Incident, MailDelivery, Report

    reports = Report.objects.filter(organisation_id=org_id).count() - (1 if promote else 0)
    return {
        "reports_stored": reports,
        "incidents": Incident.objects.count(),
        "triage_items": Event.objects.count(),
        "deliveries": MailDelivery.objects.count(),
        "waiting_reports": Report.objects.filter(event__status="RECEIVED").count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--after-promotion",
        action="store_true",
        help="promote the first report so the wave joins an open incident",
    )
    args = parser.parse_args()
    env = _lib.bench_env("intake")
    key, org_id = setup(env, args.after_promotion)
    server = _lib.Gunicorn(env, workers=2, threads=4)
    try:
        warm = 20  # the warm-up reports belong to the same wave and are counted below
        _lib.run_load(server.port, requests_for(key, warm), args.clients)
        result = _lib.run_load(server.port, requests_for(key, args.reports), args.clients)
    finally:
        server.stop()
    summary = result.summary()
    checks = verify(org_id, args.reports + warm, args.after_promotion)
    expected = args.reports + warm
    ok = (
        checks["reports_stored"] == expected
        and summary["errors"] == 0
        and checks["triage_items"] == 1
        and (not args.after_promotion or checks["incidents"] == 1)
    )
    payload = {
        "bench": "intake",
        "args": vars(args),
        "summary": summary,
        "checks": checks,
        "expected_reports": expected,
        "ok": ok,
    }
    print(json.dumps(payload, indent=2, ensure_ascii=False))
    print("raw:", _lib.write_result("intake", payload))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
