"""bench/data: the one realistic data set every benchmark of `make bench` reads (issue 20).

    .venv/bin/python bench/data.py [--scale 1.0] [--name data]      # make bench-data

Writes into a database of its own, ``isms_bench_<name>`` (dropped and created again), never the
app's. At ``--scale 1`` (about five minutes on two busy cores) it holds, for one organisation:

- 100 000 incidents: Japanese and English titles (every other one), 300–800-character
  descriptions made of incident-report sentences, declared 17 minutes apart up to now; those
  older than 30 days closed;
- 1 000 000 timeline entries, ten per incident (synthetic hashes: the chain is not measured);
- 500 000 indicators, five per incident (sender, subject, URL, SHA-256, domain), digests as
  the intake computes them;
- 100 000 reports and triage items, one per incident (the newest 20 waiting, a fifth rejected);
- 100 000 mail messages and deliveries, one campaign email per incident (each sender shared by
  20 incidents);
- 300 000 tasks, three checklist tasks per incident;
- 20 000 assets on the newest 5 000 incidents, three quarters isolated;
- 10 000 decisions (the newest 30 open) and 20 000 alerts (50 unacknowledged);
- 5 000 people, the HR list of training, in 40 departments;

plus the incident room of bench/dashboard (300 deliveries, 2 000 chained timeline entries). The
shape is printed and kept as ``bench/results/data-shape.json``. ``--scale 0.01`` is a smoke run
(1 000 incidents, seconds); ``generate()`` is what tests/test_bench_data.py runs at 0.001.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import _lib

BENCH = Path(__file__).resolve().parent
FULL = {
    "incidents": 100_000,
    "timeline": 1_000_000,
    "indicators": 500_000,
    "assets": 20_000,
    "people": 5_000,
}
TITLES_JA = [
    "標的型攻撃メール（請求書を装う）",
    "ランサムウェア感染の疑い",
    "VPN 機器への不正ログイン",
    "取引先を装うフィッシングメール",
    "社外秘資料の誤送信",
    "ノート PC の紛失",
]
TITLES_EN = [
    "Phishing email impersonating the billing department",
    "Suspected ransomware on a file server",
    "Unauthorised VPN login from abroad",
    "Credential harvesting page reported by staff",
    "Misdirected email with customer data",
    "Malware alert on an engineering laptop",
]
SENTENCES = [
    "経理部を名乗る差出人から請求書の確認を求めるメールが複数の社員に届いた。",
    "添付ファイルを開いた社員の端末で不審なプロセスの起動が EDR により検知された。",
    "情報システム部が当該端末をネットワークから隔離し、メモリとディスクを保全した。",
    "メール中の URL は正規サイトに似せた偽のログインページに誘導するものだった。",
    "同じ件名のメールがゲートウェイのログで三百通以上配信されていたことを確認した。",
    "The sender address was registered two days earlier and imitates a known supplier. ",
    "Two users entered their passwords on the fake page; both accounts were reset at once. ",
    "The proxy logs show connections to the command-and-control domain from three hosts. ",
    "Backups of the file server were verified before any restore was attempted by IT. ",
    "The SOC raised the level after the attachment was confirmed as a known loader. ",
]
# 16 sentences of at least 38 characters always reach 800 characters; left() cuts each
# description to 300 + (i mod 501).
INCIDENTS = """
INSERT INTO incidents_incident (created_at, updated_at, organisation_id, ref, year, seq, title,
  description, category, attack_vector, status, level, recommended_level, peak_level, priority,
  priority_reason, tlp, functional_impact, information_impact, recoverability, determination,
  external_comm_status, leak_status, declared_at, recurrence_prevention, is_exercise)
SELECT now(), now(), %(org)s,
  'INC-' || (2000 + i / 10000) || '-' || lpad((i %% 10000)::text, 5, '0'),
  2000 + i / 10000, i %% 10000,
  CASE WHEN i %% 2 = 0 THEN (%(ja)s::text[])[1 + i %% %(nja)s]
       ELSE (%(en)s::text[])[1 + i %% %(nen)s] END || ' ' || i,
  left((SELECT string_agg((%(sentences)s::text[])[1 + (i * 7 + k * 3) %% %(ns)s], '')
        FROM generate_series(1, 16) AS k), 300 + i %% 501),
  (ARRAY['TARGETED_EMAIL','RANSOMWARE','MALWARE_INFECTION','DATA_LEAK'])[1 + i %% 4], 'EMAIL',
  (ARRAY['DECLARED','CONTAINING','ERADICATING','RECOVERING','MONITORING','REVIEWING','CLOSED',
  'CLOSED'])[1 + i %% 8], 1 + i %% 3, 1 + i %% 3, 1 + i %% 3,
  (ARRAY['P1','P2','P3','P4'])[1 + i %% 4], '', 'AMBER_STRICT', 'LOW', '[]'::jsonb, '',
  'SUSPECTED', 'NONE', 'NONE', timestamptz '2020-01-01' + i * interval '17 minutes', '', false
FROM generate_series(1, %(n)s) AS i
"""
# Five per incident, in the intake's shape: normalised value, SHA-256 hex digest of it.
INDICATORS = """
INSERT INTO incidents_indicator (created_at, updated_at, organisation_id, incident_id, kind,
  value, normalized, digest, tlp, first_seen, last_seen, blocked_by)
SELECT now(), now(), inc.organisation_id, inc.id, k.kind, k.v, k.v,
  encode(sha256(convert_to(k.v, 'UTF8')), 'hex'), 'AMBER_STRICT', inc.declared_at,
  inc.declared_at, ''
FROM (SELECT id, organisation_id, declared_at FROM incidents_incident
      WHERE organisation_id = %(org)s ORDER BY id LIMIT %(incidents)s) inc,
LATERAL (VALUES
  ('SENDER_ADDRESS', 'billing' || (inc.id %% 5000) || '@vendor.example'),
  ('SUBJECT', '請求書の送付 ' || inc.id),
  ('URL', 'https://invoice-' || inc.id || '.example/login'),
  ('FILE_SHA256', encode(sha256(convert_to('file-' || inc.id, 'UTF8')), 'hex')),
  ('DOMAIN', 'invoice-' || inc.id || '.example')) AS k(kind, v)
"""
DELIVERIES = """
INSERT INTO incidents_maildelivery (created_at, updated_at, message_id, recipient_name,
  recipient_email, delivered_at, reported_at, executed, blocked)
SELECT now(), now(), m.id, '社員 ' || m.id, 'staff' || m.id || '@example.com', m.first_seen,
  m.first_seen + interval '20 minutes', m.id %% 7 = 0, false
FROM incidents_mailmessage m JOIN incidents_incident i ON i.id = m.incident_id
WHERE i.organisation_id = %(org)s
"""


def _dashboard_bench():  # type: ignore[no-untyped-def]
    """bench/dashboard.py under another name (``dashboard`` is the project's app)."""
    spec = importlib.util.spec_from_file_location("bench_dashboard", BENCH / "dashboard.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def sizes(scale: float) -> dict[str, int]:
    return {name: max(1, int(n * scale)) for name, n in FULL.items()}


def _people(org, n: int) -> None:  # type: ignore[no-untyped-def]
    from accounts.models import OrganisationUnit
    from training.models import Person

    units = OrganisationUnit.objects.bulk_create(
        OrganisationUnit(organisation=org, name=f"第{u + 1}部") for u in range(40)
    )
    Person.objects.bulk_create(
        (
            Person(
                organisation=org,
                employee_no=f"E{p:06d}",
                name=f"社員 {p}",
                email=f"person{p}@example.com",
                population=("EMPLOYEE", "DISPATCHED", "CONTRACTOR", "EXECUTIVE")[p % 4],
                unit=units[p % 40],
                start_date=date(2015, 4, 1) + timedelta(days=p % 3000),
            )
            for p in range(n)
        ),
        batch_size=5000,
    )


def generate(scale: float = 1.0, *, log=print) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Fill the current database (one organisation, ベンチ株式会社); returns the row counts."""
    from django.db import connection

    dash = _dashboard_bench()
    n = sizes(scale)
    org, fresh = dash._organisation()
    if not fresh:
        raise SystemExit("the bench organisation exists already: recreate the database")
    steps = [
        (
            "incidents",
            INCIDENTS,
            {
                "org": org.pk,
                "n": n["incidents"],
                "ja": TITLES_JA,
                "en": TITLES_EN,
                "nja": len(TITLES_JA),
                "nen": len(TITLES_EN),
                "sentences": SENTENCES,
                "ns": len(SENTENCES),
            },
        ),
        (
            "timeline",
            dash.GENERATE_TIMELINE,
            {"incidents": n["incidents"], "per": max(1, n["timeline"] // n["incidents"])},
        ),
        ("now", dash.SHIFT_TO_NOW, {}),
        ("close old", dash.CLOSE_OLD, {"org": org.pk}),
        ("close", dash.CLOSE, {"org": org.pk}),
        ("mail", dash.MAIL, {"org": org.pk}),
        ("deliveries", DELIVERIES, {"org": org.pk}),
        (
            "indicators",
            INDICATORS,
            {"org": org.pk, "incidents": max(1, n["indicators"] // 5)},
        ),
    ]
    for label, sql, params in steps:
        t0 = time.monotonic()
        with connection.cursor() as cur:
            cur.execute(sql, params)
        log(f"{label}: {time.monotonic() - t0:.1f} s")
    for label, fn in (
        ("reports", lambda: dash._intake(org)),
        ("tasks, assets, decisions, alerts", lambda: dash._work(org, n["assets"])),
        ("people", lambda: _people(org, n["people"])),
        ("room", lambda: dash._room(org)),
    ):
        t0 = time.monotonic()
        fn()
        log(f"{label}: {time.monotonic() - t0:.1f} s")
    with connection.cursor() as cur:
        cur.execute(COUNTERS_SQL)
    # The rows above were written around the statistics rollup (SQL, bulk_create): build it
    # from them, as `migrate` does for an organisation without one (dashboard.rollup).
    from dashboard import rollup

    t0 = time.monotonic()
    rollup.rebuild(org.pk)
    log(f"statistics rollup: {time.monotonic() - t0:.1f} s")
    return shape()


def shape() -> dict[str, int]:
    from django.apps import apps

    tables = {
        "incidents": "incidents.Incident",
        "timeline entries": "incidents.TimelineEntry",
        "indicators": "incidents.Indicator",
        "reports": "incidents.Report",
        "triage items": "incidents.Event",
        "mail messages": "incidents.MailMessage",
        "mail deliveries": "incidents.MailDelivery",
        "tasks": "incidents.Task",
        "assets": "incidents.Asset",
        "decisions": "bcp.Decision",
        "alerts": "notifications.Alert",
        "people": "training.Person",
    }
    return {name: apps.get_model(label).objects.count() for name, label in tables.items()}


# The generated incidents and reports carry their numbers; the counters the services number
# from must say so, or the next report of a year would take a number already given.
COUNTERS_SQL = """
INSERT INTO incidents_incidentcounter (organisation_id, year, exercise, series, last)
SELECT organisation_id, year, is_exercise, 'incident', max(seq) FROM incidents_incident
GROUP BY organisation_id, year, is_exercise
UNION ALL
SELECT organisation_id, year, is_exercise, 'report', max(seq) FROM incidents_report
GROUP BY organisation_id, year, is_exercise
ON CONFLICT (organisation_id, year, exercise, series)
DO UPDATE SET last = GREATEST(incidents_incidentcounter.last, EXCLUDED.last)
"""


def main() -> int:
    # bench/ last: ``import dashboard`` is the project's app, ``import api_list`` the bench's.
    sys.path[:] = [*(p for p in sys.path if p not in (str(BENCH), "")), str(BENCH)]
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the issue's data set")
    parser.add_argument("--name", default="data", help="database isms_bench_<name>")
    args = parser.parse_args()
    env = _lib.bench_env(args.name)
    _lib.recreate_database(args.name)
    _lib.manage(env, "migrate", "--noinput", "-v0")
    _lib.manage(env, "collectstatic", "--noinput", "-v0")  # DEBUG=0: the hashed manifest
    _lib.django_setup(env)
    from django.db import connection

    started = time.monotonic()
    counts = generate(args.scale)
    with connection.cursor() as cur:
        # As autovacuum would; it also empties the GIN indexes' pending lists.
        cur.execute("VACUUM ANALYZE")
    seconds = round(time.monotonic() - started, 1)
    payload = {"database": f"isms_bench_{args.name}", "scale": args.scale, "seconds": seconds}
    payload["rows"] = counts
    out = _lib.ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{args.name}-shape.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False))
    print(json.dumps(payload, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
