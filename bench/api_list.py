"""bench/api_list: the incident list and detail at 100 000 incidents and 1 000 000 timeline rows.

    .venv/bin/python bench/api_list.py [--incidents 100000] [--timeline 1000000] [--reuse]

Measures (1) in-process server time (Django's test client, no network) for the first page, a
deep page (a cursor 90 % down the list), the list filtered by status, and a detail; (2) the same
over HTTP against gunicorn (2 workers × 4 threads) at 4 and 16 clients. Rows are generated with
SQL (synthetic timeline hashes: the chain is not what is measured here).
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from urllib.parse import urlencode

import _lib

GENERATE_INCIDENTS = """
INSERT INTO incidents_incident (created_at, updated_at, organisation_id, ref, year, seq, title,
  description, category, attack_vector, status, level, recommended_level, peak_level, priority,
  priority_reason, tlp, functional_impact, information_impact, recoverability, determination,
  external_comm_status, leak_status, declared_at, recurrence_prevention, is_exercise)
SELECT now(), now(), %(org)s,
  'INC-' || (2000 + i / 10000) || '-' || lpad((i %% 10000)::text, 5, '0'),
  2000 + i / 10000, i %% 10000, '標的型攻撃メール ' || i, '', (ARRAY['TARGETED_EMAIL','RANSOMWARE',
  'MALWARE_INFECTION','DATA_LEAK'])[1 + i %% 4], 'EMAIL', (ARRAY['DECLARED','CONTAINING',
  'ERADICATING','RECOVERING','MONITORING','REVIEWING','CLOSED','CLOSED'])[1 + i %% 8],
  1 + i %% 3, 1 + i %% 3, 1 + i %% 3, (ARRAY['P1','P2','P3','P4'])[1 + i %% 4], '',
  'AMBER_STRICT', 'LOW', '[]'::jsonb, '', 'SUSPECTED', 'NONE', 'NONE',
  timestamptz '2020-01-01' + i * interval '17 minutes', '', false
FROM generate_series(1, %(n)s) AS i
"""
GENERATE_TIMELINE = """
INSERT INTO incidents_timelineentry (incident_id, seq, at, actor_label, kind, payload,
  prev_hash, hash, key_id)
SELECT inc.id, s, inc.declared_at + s * interval '1 minute', 'bench', 'bench.entry',
  '{}'::jsonb, md5(inc.id::text || '-' || (s - 1)) || md5('p'), md5(inc.id::text || '-' || s)
  || md5('h'), ''
FROM (SELECT id, declared_at FROM incidents_incident ORDER BY id LIMIT %(incidents)s) inc,
     generate_series(1, %(per)s) AS s
"""


def setup(env: dict[str, str], n: int, timeline: int, reuse: bool) -> tuple[int, int, str]:
    if not reuse:
        _lib.recreate_database("api")
    _lib.manage(env, "migrate", "--noinput", "-v0")
    _lib.django_setup(env)
    from django.db import connection

    from accounts import services as accounts
    from accounts.models import ApiKey, Organisation, User
    from accounts.roles import Role

    org = Organisation.objects.filter(name="ベンチ株式会社").first()
    if org is None:
        org = accounts.organisation_create(name="ベンチ株式会社")
        viewer = accounts.user_create(organisation=org, username="viewer", password=None)
        accounts.role_assign(organisation=org, role=Role.ISMS_OFFICE, user=viewer)
        with connection.cursor() as cur:
            cur.execute(GENERATE_INCIDENTS, {"org": org.pk, "n": n})
            per = max(1, timeline // n)
            cur.execute(GENERATE_TIMELINE, {"incidents": min(n, timeline // per), "per": per})
            cur.execute("ANALYZE")
    viewer = User.objects.get(username="viewer")
    ApiKey.objects.filter(organisation=org).delete()
    _, key = accounts.api_key_create(organisation=org, actor=viewer, name="bench", scope="READ")
    return org.pk, viewer.pk, key


def deep_cursor(fraction: float) -> str:
    from incidents.models import Incident

    total = Incident.objects.count()
    row = Incident.objects.order_by("-declared_at", "-id")[int(total * fraction)]
    token = urlencode({"o": 0, "p": str(row.declared_at)})
    return base64.b64encode(token.encode("ascii")).decode("ascii")


def paths(deep: str) -> dict[str, str]:
    from incidents.models import Incident

    ref = Incident.objects.order_by("id")[Incident.objects.count() // 2].ref
    return {
        "first page": "/api/v1/incidents/",
        "deep page (90%)": f"/api/v1/incidents/?{urlencode({'cursor': deep})}",
        "status=CONTAINING": "/api/v1/incidents/?status=CONTAINING",
        "detail": f"/api/v1/incidents/{ref}/",
    }


def in_process(viewer_id: int, targets: dict[str, str], repeat: int) -> dict[str, dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(pk=viewer_id))
    out = {}
    for name, path in targets.items():
        assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        count = len(queries)  # before the next request resets the query log
        timing = _lib.time_calls(lambda p=path: client.get(p), repeat)
        out[name] = {**timing, "queries": count}
    return out


def over_http(env: dict[str, str], key: str, targets: dict[str, str]) -> dict[str, dict]:
    server = _lib.Gunicorn(env, workers=2, threads=4)
    headers = {"Authorization": f"Api-Key {key}"}
    out = {}
    try:
        for clients in (4, 16):
            for name, path in targets.items():
                requests = [("GET", path, None, headers)] * 400
                out[f"{name} @{clients}"] = _lib.run_load(server.port, requests, clients).summary()
    finally:
        server.stop()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--timeline", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep the generated database")
    args = parser.parse_args()
    env = _lib.bench_env("api")
    _, viewer_id, key = setup(env, args.incidents, args.timeline, args.reuse)
    targets = paths(deep_cursor(0.9))
    payload = {
        "bench": "api_list",
        "args": vars(args),
        "in_process_ms": in_process(viewer_id, targets, args.repeat),
        "http": over_http(env, key, targets),
    }
    print(json.dumps(payload, indent=2, ensure_ascii=False))
    print("raw:", _lib.write_result("api_list", payload))
    worst = max(v["p95"] for v in payload["in_process_ms"].values())
    errors = sum(v["errors"] for v in payload["http"].values())
    return 0 if errors == 0 and worst > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
