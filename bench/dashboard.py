"""bench/dashboard: the dashboard, the lists, statistics and an incident room at 100 000 incidents.

    .venv/bin/python bench/dashboard.py [--incidents 100000] [--timeline 1000000] [--reuse]
                                        [--keep-old-open]

Data: the incidents and timeline of bench/api_list (its generator SQL), moved so the newest
incident is today; incidents older than 30 days are closed, as an organisation closes them
(``--keep-old-open`` keeps the generator's mix for all: three quarters open, a stress case); per
incident a triage item with its report and three tasks; 20 000 affected
assets on the newest incidents; a decision per ten incidents (30 still open); an alert per five
(50 unacknowledged at the end of their chain); one campaign email per incident, each sender in
20 incidents (the search by sender). One more incident is the room: 300 mail
deliveries, 2 000 timeline entries with a valid hash chain (the room verifies it), 200 trend
points, open decisions. Measured in-process (Django's test client, the ISMS office logged in:
server time, no network), with the number of queries of each request. Target: p95 ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path

import _lib
from api_list import GENERATE_INCIDENTS, GENERATE_TIMELINE

BENCH = str(Path(__file__).resolve().parent)
NAME = "dash"
ROOM_REF = "INC-2999-00001"
# The generator declares incident i at 2020-01-01 + i × 17 min; move them so the newest is now,
# and give the closed ones a containment and closing time (MTTR).
SHIFT_TO_NOW = """
UPDATE incidents_incident SET
  declared_at = declared_at + (now() - (SELECT max(declared_at) FROM incidents_incident)),
  peak_level = level
"""
# An organisation closes its incidents: only the last 30 days keep the generator's status mix
# (``--keep-old-open`` keeps it for all of them, three quarters open: a stress case).
CLOSE_OLD = """
UPDATE incidents_incident SET status = 'CLOSED'
WHERE declared_at < now() - interval '30 days' AND organisation_id = %(org)s
"""
# One campaign email per incident; each sender appears in 20 incidents (id mod 5 000), so a search
# by sender has a known answer: every incident where it appears.
MAIL = """
INSERT INTO incidents_mailmessage (created_at, updated_at, incident_id, message_id, sender,
  subject, attachment_name, sha256, url, first_seen, last_seen)
SELECT now(), now(), id, '', 'billing' || (id %% 5000) || '@vendor.example', '請求書 ' || id,
  '', '', '', declared_at, declared_at
FROM incidents_incident WHERE organisation_id = %(org)s
"""
SENDER = "billing4242@vendor.example"
CLOSE = """
UPDATE incidents_incident SET contained_at = declared_at + (id %% 12) * interval '1 hour',
  closed_at = declared_at + (24 + id %% 96) * interval '1 hour'
WHERE status = 'CLOSED' AND organisation_id = %(org)s
"""


def _organisation():  # type: ignore[no-untyped-def]
    from accounts import services as accounts
    from accounts.models import Organisation
    from accounts.roles import Role

    org = Organisation.objects.filter(name="ベンチ株式会社").first()
    if org is not None:
        return org, False
    org = accounts.organisation_create(name="ベンチ株式会社")
    office = accounts.user_create(organisation=org, username="office", password=None)
    accounts.role_assign(organisation=org, role=Role.ISMS_OFFICE, user=office)
    lead = accounts.user_create(organisation=org, username="lead", password=None)
    accounts.role_assign(organisation=org, role=Role.CSIRT_LEAD, user=lead)
    boss = accounts.user_create(organisation=org, username="boss", password=None)
    accounts.role_assign(organisation=org, role=Role.DECISION_MAKER, user=boss)
    return org, True


def _intake(org) -> None:  # type: ignore[no-untyped-def]
    """A triage item and its report per incident; the newest 20 still wait for triage."""
    from incidents.models import Event, Incident, Report

    rows = list(Incident.objects.filter(organisation=org).values_list("id", "declared_at"))
    newest = {pk for pk, _ in sorted(rows, key=lambda r: r[1])[-20:]}
    events = []
    for pk, at in rows:
        waiting, rejected = pk in newest, pk % 5 == 0
        events.append(
            Event(
                organisation=org,
                summary=f"不審メール {pk}",
                channel="ONE_TAP",
                received_at=at - timedelta(minutes=30),
                report_count=1,
                status="RECEIVED" if waiting else "NOT_INCIDENT" if rejected else "PROMOTED",
                disposition="not-an-incident:refuted" if rejected and not waiting else "",
                triaged_at=None if waiting else at - timedelta(minutes=pk % 29),
                incident_id=None if waiting or rejected else pk,
            )
        )
    events = Event.objects.bulk_create(events, batch_size=5000)
    Report.objects.bulk_create(
        (
            Report(
                organisation=org,
                event=e,
                incident_id=e.incident_id,
                channel="ONE_TAP",
                received_at=e.received_at,
                year=e.received_at.year,
                seq=e.pk,
                reporter_email=f"user{e.pk}@example.com",
                sender="keiri@evil.example",
                subject=f"【至急】請求書の送付 {e.pk}",
            )
            for e in events
        ),
        batch_size=5000,
    )


def _work(org, assets: int) -> None:  # type: ignore[no-untyped-def]
    """Tasks, infected assets, decisions and alerts in the proportions of the docstring."""
    from accounts.models import User
    from bcp.models import Decision
    from incidents.models import AffectedAsset, Asset, Incident, Task
    from notifications.models import Alert

    office, lead = User.objects.get(username="office"), User.objects.get(username="lead")
    incidents = list(Incident.objects.filter(organisation=org).order_by("declared_at"))
    Task.objects.bulk_create(
        (
            Task(
                incident=i,
                code=f"L1-{k:02d}",
                level=1,
                title=f"初動の作業 {k}",
                due_at=i.declared_at + timedelta(hours=4 * (k + 1)),
                status="DONE" if i.status == "CLOSED" else "OPEN",
                completed_at=i.closed_at,
            )
            for i in incidents
            for k in range(3)
        ),
        batch_size=10000,
    )
    tags = Asset.objects.bulk_create(
        (Asset(organisation=org, asset_tag=f"PC-{n:06d}") for n in range(assets)), batch_size=5000
    )
    infected = incidents[-(assets // 4) :]
    AffectedAsset.objects.bulk_create(
        (
            AffectedAsset(
                incident=infected[n // 4],
                asset=tag,
                infection_state="CONFIRMED" if n % 2 else "SUSPECTED",
                infection_observed_at=infected[n // 4].declared_at + timedelta(minutes=10),
                containment_state="ISOLATED" if n % 4 else "NOT_CONTAINED",
                isolated_at=infected[n // 4].declared_at + timedelta(minutes=10 + 7 * (n % 4))
                if n % 4
                else None,
            )
            for n, tag in enumerate(tags[: len(infected) * 4])
        ),
        batch_size=5000,
    )
    decided = incidents[::10]
    Decision.objects.bulk_create(
        (
            Decision(
                organisation=org,
                incident=i,
                type="ESCALATE_LEVEL",
                required_role="CSIRT_LEAD",
                opened_at=i.declared_at + timedelta(minutes=30),
                due_at=i.declared_at + timedelta(minutes=45),
                assignee=lead,
                **(
                    {}
                    if n >= len(decided) - 30
                    else {
                        "status": "DECIDED",
                        "outcome": "APPROVED",
                        "rationale": "感染拡大のため",
                        "decided_by": lead,
                        "decider_rank": 1,
                        "decided_at": i.declared_at + timedelta(minutes=30 + n % 40),
                    }
                ),
            )
            for n, i in enumerate(decided)
        ),
        batch_size=5000,
    )
    alerted = incidents[::5]
    Alert.objects.bulk_create(
        (
            Alert(
                organisation=org,
                incident=i,
                event="decision.opened",
                needs_ack=True,
                ack_seconds=600,
                ack_due_at=i.declared_at + timedelta(minutes=40),
                created_at=i.declared_at + timedelta(minutes=30),
                **(
                    {"exhausted_at": i.declared_at + timedelta(hours=1)}
                    if n >= len(alerted) - 50
                    else {
                        "acknowledged_at": i.declared_at + timedelta(minutes=33),
                        "acknowledged_by": office,
                        "acknowledged_via": "APP",
                    }
                ),
            )
            for n, i in enumerate(alerted)
        ),
        batch_size=5000,
    )


def _room(org) -> str:  # type: ignore[no-untyped-def]
    """The incident room: 300 deliveries, 2 000 chained timeline entries, trend, decisions."""
    from accounts.models import User
    from bcp.models import Decision
    from common import clock
    from incidents import chain
    from incidents.models import Incident, MailDelivery, MailMessage, TimelineEntry
    from risklevels.models import TrendPoint

    now = clock.now()
    lead = User.objects.get(username="lead")
    incident = Incident.objects.create(
        organisation=org,
        ref=ROOM_REF,
        year=2999,
        seq=1,
        title="【至急】請求書の送付（300名に配信）",
        category="TARGETED_EMAIL",
        status="CONTAINING",
        level=2,
        recommended_level=3,
        peak_level=2,
        declared_at=now - timedelta(hours=6),
    )
    message = MailMessage.objects.create(
        incident=incident, subject="【至急】請求書の送付", first_seen=now, last_seen=now
    )
    MailDelivery.objects.bulk_create(
        MailDelivery(
            message=message,
            recipient_name=f"社員 {n}",
            recipient_email=f"staff{n}@example.com",
            delivered_at=now - timedelta(hours=6),
            reported_at=now - timedelta(hours=5) if n % 3 == 0 else None,
            executed=n % 50 == 0,
        )
        for n in range(300)
    )
    entries, previous = [], chain.GENESIS
    for seq in range(1, 2001):
        entry = TimelineEntry(
            incident=incident,
            seq=seq,
            at=now - timedelta(seconds=2001 - seq),
            actor_label="bench",
            kind="asset.updated",
            payload={"asset": seq, "state": "ISOLATED"},
            prev_hash=previous,
        )
        chain.seal(entry)
        previous = entry.hash
        entries.append(entry)
    TimelineEntry.objects.bulk_create(entries, batch_size=1000)
    TrendPoint.objects.bulk_create(
        TrendPoint(
            incident=incident,
            at=now - timedelta(minutes=200 - n),
            effective=n // 2,
            confirmed=n // 3,
            isolated=n // 4,
        )
        for n in range(200)
    )
    Decision.objects.bulk_create(
        Decision(
            organisation=org,
            incident=incident,
            type=kind,
            required_role="DECISION_MAKER",
            opened_at=now - timedelta(minutes=5),
            due_at=now + timedelta(minutes=25),
            assignee=lead,
        )
        for kind in ("ESCALATE_LEVEL", "ACTIVATE_CYBER_BCP", "CUT_ALL_EXTERNAL_NETWORK")
    )
    return incident.ref


def setup(env: dict[str, str], name: str, args: argparse.Namespace) -> None:
    if not args.reuse:
        _lib.recreate_database(name)
    _lib.manage(env, "migrate", "--noinput", "-v0")
    _lib.manage(env, "collectstatic", "--noinput", "-v0")  # DEBUG=0: the hashed manifest
    _lib.django_setup(env)
    from django.db import connection

    org, fresh = _organisation()
    if not fresh:
        return
    n, timeline = args.incidents, args.timeline
    with connection.cursor() as cur:
        cur.execute(GENERATE_INCIDENTS, {"org": org.pk, "n": n})
        per = max(1, timeline // n)
        cur.execute(GENERATE_TIMELINE, {"incidents": min(n, timeline // per), "per": per})
        cur.execute(SHIFT_TO_NOW)
        if not args.keep_old_open:
            cur.execute(CLOSE_OLD, {"org": org.pk})
        cur.execute(CLOSE, {"org": org.pk})
        cur.execute(MAIL, {"org": org.pk})
    _intake(org)
    _work(org, args.assets)
    _room(org)
    with connection.cursor() as cur:
        # VACUUM as autovacuum would: it also moves the rows just bulk-inserted out of the GIN
        # indexes' pending lists (fastupdate), which every search would otherwise read through.
        cur.execute("VACUUM ANALYZE")


def targets() -> dict[str, str]:
    from dashboard import keyset
    from dashboard.selectors.lists import INCIDENTS
    from incidents.models import Incident

    open_rows = Incident.objects.open().order_by(*INCIDENTS.order_by())
    deep = open_rows[int(open_rows.count() * 0.9)]
    cursor = keyset.encode(Incident, INCIDENTS, deep)
    return {
        "dashboard": "/",
        "incidents, open, first page": "/dashboard/incidents/?status=open",
        "incidents, open, page at 90 %": f"/dashboard/incidents/?status=open&after={cursor}",
        "incidents, level 3 + ransomware": "/dashboard/incidents/?level=3&category=RANSOMWARE",
        "incidents, title search (rare)": "/dashboard/incidents/?q=攻撃メール 4242",
        "incidents, search by sender (20 incidents)": f"/dashboard/incidents/?q={SENDER}",
        "incidents, search by the sender of every report (about 80 000 incidents)": (
            "/dashboard/incidents/?q=keiri@evil.example"
        ),
        "incidents, waiting on a decision": "/dashboard/incidents/?waiting=on",
        "reports, waiting for triage": "/dashboard/reports/?state=waiting",
        "decisions, open": "/dashboard/decisions/?status=open",
        "tasks, overdue": "/dashboard/tasks/?status=overdue",
        "alerts, unacknowledged": "/dashboard/alerts/?state=flagged",
        "statistics, 12 months": "/statistics/",
        "incident room (page)": f"/incidents/{ROOM_REF}/",
        "incident room, live panel": f"/incidents/{ROOM_REF}/live/",
    }


def check_search() -> int:
    """The search by sender finds every incident where the sender appears (and only those)."""
    from django.db.models import Q

    from incidents import selectors
    from incidents.models import Incident

    expected = set(
        Incident.objects.filter(
            Q(mail_messages__sender=SENDER) | Q(reports__sender=SENDER)
        ).values_list("pk", flat=True)
    )
    found = set(
        Incident.objects.filter(selectors.incident_search(SENDER)).values_list("pk", flat=True)
    )
    assert found == expected and expected, (len(found), len(expected))
    return len(found)


def in_process(paths: dict[str, str], repeat: int) -> dict[str, dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from dashboard.selectors.room import room_version
    from incidents.models import Incident

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="ja")
    client.force_login(User.objects.get(username="office"))
    version = room_version(Incident.objects.get(ref=ROOM_REF))
    live = paths["incident room, live panel"]
    paths = {**paths, "incident room, live panel unchanged (204)": f"{live}?v={version}"}
    out = {}
    for name, path in paths.items():
        status = client.get(path).status_code
        assert status in (200, 204), (path, status)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        count = len(queries)  # read before the next request resets the log
        timing = _lib.time_calls(lambda p=path: client.get(p), repeat)
        out[name] = {**timing, "queries": count, "status": status}
    return out


def _project_first() -> None:
    """This script is bench/dashboard.py: with bench/ on the path, ``import dashboard`` (Django's
    app registry) would import the script instead of the project's app of that name."""
    sys.path[:] = [p for p in sys.path if p not in (BENCH, "")]


def main() -> int:
    _project_first()
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--timeline", type=int, default=1_000_000)
    parser.add_argument("--assets", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="keep the generated database")
    parser.add_argument(
        "--keep-old-open", action="store_true", help="every incident keeps the generator's mix"
    )
    args = parser.parse_args()
    name = NAME + ("_stress" if args.keep_old_open else "")
    env = _lib.bench_env(name)
    setup(env, name, args)
    found = check_search()
    figures = in_process(targets(), args.repeat)
    payload = {
        "bench": "dashboard",
        "args": vars(args),
        "search_by_sender_found": found,
        "in_process_ms": figures,
    }
    print(json.dumps(payload, indent=2, ensure_ascii=False))
    print("raw:", _lib.write_result("dashboard", payload))
    for name, row in figures.items():
        print(f"| {name} | {row['p50']} / {row['p95']} / {row['p99']} | {row['queries']} |")
    return 0 if all(row["p95"] <= 150 for row in figures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
