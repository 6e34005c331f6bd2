"""bench/run: `make bench` — the in-process benchmarks on the data set of `make bench-data`.

    .venv-bench/bin/python bench/run.py [--name data] [--repeat 60] [--save-baseline]

Reads ``isms_bench_<name>`` (bench/data.py; never generates it), then: EXPLAINs the intake's
incident match and the search (which index each uses, the time in the plan), and times the
dashboard, the lists, the search, statistics and the incident room in-process (Django's test
client, the ISMS office logged in), with each request's queries. Prints one table with the
previous run's figures beside the new (``bench/results/bench-*.json``, else the committed
``bench/baseline.json``) and exits 1 when a figure misses its target, saying by how much. Then
(unless --in-process-only) runs bench/others: the intake over HTTP on the same data set, the
re-evaluation and the alert burst, as processes. Each run records its commit, the load average
at its start and the interpreter with its loop time (``interpreter``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import _lib

BENCH = Path(__file__).resolve().parent
# name: (path, p95 target ms, query target) — issue 20's targets.
LIST = (20, 4)
SEARCH = (30, None)
TARGETS = {
    "dashboard": ("/", 40, 12),
    "incidents, open, first page": ("/dashboard/incidents/?status=open", *LIST),
    "incidents, level 3 + ransomware": ("/dashboard/incidents/?level=3&category=RANSOMWARE", *LIST),
    "reports, waiting for triage": ("/dashboard/reports/?state=waiting", *LIST),
    "decisions, open": ("/dashboard/decisions/?status=open", *LIST),
    "tasks, overdue": ("/dashboard/tasks/?status=overdue", *LIST),
    "alerts, unacknowledged": ("/dashboard/alerts/?state=flagged", *LIST),
    "search, Japanese title (1 incident)": ("/dashboard/incidents/?q=請求書を装う） 4242", *SEARCH),
    "search, English title (1 incident)": ("/dashboard/incidents/?q=file server 4243", *SEARCH),
    "search, sender (20 incidents)": (
        "/dashboard/incidents/?q=billing4242@vendor.example",
        *SEARCH,
    ),
    "search, description word (most incidents)": (
        "/dashboard/incidents/?q=command-and-control",
        *SEARCH,
    ),
    "statistics, 12 months": ("/statistics/", 50, None),
    "incident room": ("/incidents/INC-2999-00001/", 60, None),
}


WARM_UP = 3  # rounds over every page before the first is timed
ROUNDS = 5  # the timed requests of each page, in rounds interleaved with the other pages'


def _plan(sql: str, params) -> dict:  # type: ignore[no-untyped-def]
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        return cur.fetchone()[0][0]


def _indexes(node: dict) -> set[str]:
    found = {node["Index Name"]} if "Index Name" in node else set()
    for child in node.get("Plans", []):
        found |= _indexes(child)
    return found


def explain() -> dict[str, dict]:
    """The plans the issue names: the intake's match and the search's index reads."""
    from accounts.models import Organisation
    from incidents import normalize, selectors
    from incidents.models import Indicator
    from incidents.services import records

    org = Organisation.objects.get(name="ベンチ株式会社")
    keys = [
        ("SENDER_ADDRESS", "billing4242@vendor.example"),
        ("SUBJECT", "請求書の送付 4242"),
        ("URL", "https://invoice-4242.example/login"),
    ]
    match = Indicator.objects.filter(
        organisation=org,
        kind__in=sorted(k for k, _ in keys),
        digest__in=[normalize.digest(k, v) for k, v in keys],
        incident__status__in=records.OPEN_STATUSES,
    ).values_list("incident_id", "kind")
    out = {}
    for name, qs, want in (
        ("intake match (500 000 indicators)", match, "ind_match"),
        (
            "search ids, Japanese title",
            selectors.search_matches("請求書を装う） 4242"),
            "inc_search_title",
        ),
        (
            "search ids, English title",
            selectors.search_matches("file server 4243"),
            "inc_search_title",
        ),
    ):
        sql, params = qs.query.sql_with_params()
        plan = _plan(sql, params)
        used = sorted(_indexes(plan["Plan"]))
        out[name] = {"ms": round(plan["Execution Time"], 1), "indexes": used, "ok": want in used}
    return out


def in_process(repeat: int) -> dict[str, dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="ja")
    client.force_login(User.objects.get(username="office"))
    # Steady state, as a server in use has it: every page's rows and indexes read once before
    # any is timed (after an idle spell the machine's page cache may have let them go).
    for _ in range(WARM_UP):
        for path, _p95, _queries in TARGETS.values():
            client.get(path)
    out = {}
    for name, (path, p95, queries) in TARGETS.items():
        status = client.get(path).status_code
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        out[name] = {"queries": len(ctx), "status": status, "target_p95": p95}
        out[name]["target_queries"] = queries
    # Interleaved rounds: a spell when the machine is slower (a virtual machine's neighbours)
    # falls on every page a little, not on whichever page was being timed then.
    latencies: dict[str, list[float]] = {name: [] for name in TARGETS}
    for round_ in range(ROUNDS):
        for name, (path, _p95, _queries) in TARGETS.items():
            size = repeat // ROUNDS + (round_ < repeat % ROUNDS)
            for _ in range(size):
                t0 = time.perf_counter()
                client.get(path)
                latencies[name].append((time.perf_counter() - t0) * 1000)
    for name, lat in latencies.items():
        lat.sort()
        out[name] |= {"n": len(lat), **{f"p{p}": _lib.pct(lat, p) for p in (50, 95, 99)}}
    return out


def interpreter() -> dict:
    """Which Python ran the pages, and how fast it is: the figures depend on both.

    ``loop_s`` is the time of 10 000 000 additions in pure Python: it lets a reader compare runs
    on different machines and interpreters (a build without PGO, such as pyenv's default, takes
    ~1.4x longer than Debian's or the image's; bench/README.md, "How `make bench` measures").
    """
    import platform

    t0 = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return {
        "executable": sys.executable,
        "version": platform.python_version(),
        "loop_s": round(time.perf_counter() - t0, 3),
    }


def commit() -> str:
    """The checkout measured: its commit, and "+changes" when the work tree differs from it."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=_lib.ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    dirty = " +changes" if git("status", "--porcelain") else ""
    return git("rev-parse", "--short", "HEAD") + dirty


def misses(row: dict) -> list[str]:
    if "failed" in row:
        return [row["failed"]]
    said = []
    if row.get("target_rps") is not None and row["rps"] < row["target_rps"]:
        said.append(f"{row['rps']} req/s, {row['target_rps'] - row['rps']:.1f} under")
    if row.get("status", 200) != 200:
        said.append(f"status {row['status']}")
    if row["p95"] > row["target_p95"]:
        said.append(f"p95 {row['p95'] - row['target_p95']:+.1f} ms over {row['target_p95']}")
    if row.get("target_queries") is not None and row["queries"] > row["target_queries"]:
        said.append(f"{row['queries'] - row['target_queries']:+d} queries over")
    return said


BASELINE = BENCH / "baseline.json"


def previous() -> dict:
    """Each row's figure from this checkout's last run that has it (an --in-process-only run
    has no intake rows), else from the committed baseline (the run bench/README.md shows): a
    new machine compares with that instead of with nothing."""
    runs = [json.loads(p.read_text()) for p in sorted(BENCH.glob("results/bench-*.json"))]
    if BASELINE.exists():
        runs.insert(0, json.loads(BASELINE.read_text()))
    merged: dict = {"in_process_ms": {}, "processes": {}, "explain": {}}
    for run in runs:  # oldest first: a later run's row replaces an earlier one's
        for part in merged:
            merged[part].update(run.get(part, {}))
    return merged


def table(new: dict, old: dict) -> tuple[list[str], int]:
    lines = [
        "| measure | target | previous p95 ms / queries | new p50 / p95 ms | queries | verdict |",
        "|---|---|---|---|---|---|",
    ]
    missed = 0
    rows = {**new["in_process_ms"], **new.get("processes", {})}
    was_rows = {**old.get("in_process_ms", {}), **old.get("processes", {})}
    for name, row in rows.items():
        said = misses(row)
        missed += bool(said)
        verdict = "MISSED: " + "; ".join(said) if said else "ok"
        if "failed" in row:
            lines.append(f"| {name} | — | — | — | — | {verdict} |")
            continue
        was = was_rows.get(name)
        before = f"{was['p95']} / {was['queries']}" if was and "p95" in was else "—"
        target = f"≤ {row['target_p95']} ms" + (
            f", ≤ {row['target_queries']} q" if row.get("target_queries") is not None else ""
        )
        if row.get("target_rps") is not None:
            target += f", ≥ {row['target_rps']}/s"
            row = {**row, "p95": f"{row['p95']} ({row['rps']}/s)"}
        lines.append(
            f"| {name} | {target} | {before} | {row['p50']} / {row['p95']} | "
            f"{row['queries']} | {verdict} |"
        )
    for name, row in new["explain"].items():
        was = old.get("explain", {}).get(name)
        missed += not row["ok"]
        lines.append(
            f"| EXPLAIN {name} | index | {was['ms'] if was else '—'} ms | {row['ms']} ms (plan) "
            f"| — | {'ok' if row['ok'] else 'MISSED'}: {', '.join(row['indexes']) or 'no index'} |"
        )
    return lines, missed


def main() -> int:
    sys.path[:] = [*(p for p in sys.path if p not in (str(BENCH), "")), str(BENCH)]
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--name", default="data", help="database isms_bench_<name> (make bench-data)"
    )
    parser.add_argument("--repeat", type=int, default=60, help="timed requests per page")
    parser.add_argument(
        "--in-process-only",
        action="store_true",
        help="skip the benchmarks that run as processes (intake over HTTP, evaluate, alerts)",
    )
    parser.add_argument(
        "--save-baseline",
        action="store_true",
        help="also write this run to bench/baseline.json (commit it with bench/README.md)",
    )
    args = parser.parse_args()
    env = _lib.bench_env(args.name)
    _lib.manage(env, "migrate", "--noinput", "-v0")  # the data set may predate a migration
    _lib.manage(env, "collectstatic", "--noinput", "-v0")  # DEBUG=0: a copy's own var dir
    _lib.django_setup(env)
    import os

    new = {
        "bench": "bench",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": commit(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "interpreter": interpreter(),
        "in_process_ms": in_process(args.repeat),
        "explain": explain(),  # after the pages: on the warm indexes they read too
    }
    if not args.in_process_only:
        import others

        new["processes"] = {
            **others.intake(args.name),
            **others.evaluate(),
            **others.alert_burst(),
        }
    old = previous()
    lines, missed = table(new, old)
    print("\n".join(lines))
    raw = _lib.write_result("bench", new)
    print("raw:", raw, "commit:", new["commit"])
    if args.save_baseline:
        BASELINE.write_text(raw.read_text())
    print("load average at the start:", new["load_average"])
    print("interpreter:", ", ".join(f"{k} {v}" for k, v in new["interpreter"].items()))
    if missed:
        print(f"{missed} figure(s) missed their target.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
