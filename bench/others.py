"""The benchmarks that `make bench` runs as their own processes, with their targets (issue 20).

Each runs its script (a subprocess, so gunicorn, Celery and the settings are their own) and
turns the JSON it writes into rows of bench/run's table: the intake over HTTP on the realistic
data set (both paths), the escalation re-evaluation at 10 000 assets and the alert burst.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import _lib

BENCH = Path(__file__).resolve().parent


def _run(script: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        cwd=_lib.ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    raw = [line for line in done.stdout.splitlines() if line.startswith(("raw:", "results:"))]
    if not raw:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-4000:])
        return {"failed": f"{script} exited {done.returncode} without a result"}
    payload = json.loads(Path(raw[-1].split(":", 1)[1].strip()).read_text())
    payload["exit"] = done.returncode
    return payload


def _row(p50: float, p95: float, target_p95: float, **extra: object) -> dict:
    return {"p50": p50, "p95": p95, "target_p95": target_p95, "queries": "—", **extra}


def intake(name: str) -> dict[str, dict]:
    """500 reports from 8 clients, before triage and after promotion (≥ 150/s, p95 ≤ 150 ms).

    On a copy of the data set, dropped after: the reports it files would otherwise stay in the
    data set, and the next run's lists, searches and dashboard would read a different one (its
    trigram indexes' pending entries made the searches 3× slower on the second run)."""
    from django.db import connections

    connections.close_all()  # the copy needs the data set without connections
    copy = f"{name}_intake"
    _lib.copy_database(name, copy)
    try:
        return _intake_rows(copy)
    finally:
        _lib.drop_database(copy)


def _intake_rows(name: str) -> dict[str, dict]:
    rows = {}
    for label, extra in (("before triage", ()), ("after promotion", ("--after-promotion",))):
        out = _run("intake.py", "--data", name, *extra)
        if "failed" in out:
            rows[f"intake over HTTP, {label}"] = {"failed": out["failed"]}
            continue
        s = out["summary"]
        rows[f"intake over HTTP, {label}"] = _row(
            s["p50"],
            s["p95"],
            150,
            queries=out["queries_per_report"],
            target_queries=15,
            rps=s["rps"],
            target_rps=150,
            status=200 if out["ok"] else 500,
        )
    return rows


def evaluate() -> dict[str, dict]:
    """One fact change and its re-evaluation at 10 000 assets (p95 ≤ 20 ms)."""
    out = _run("evaluate.py")
    if "failed" in out:
        return {"re-evaluation, 10 000 assets": {"failed": out["failed"]}}
    t = out["database"]["fact_change_with_reevaluation_ms"]
    row = _row(t["p50"], t["p95"], 20, queries=out["database"]["reevaluation_queries"])
    return {"re-evaluation, 10 000 assets": row}


def alert_burst(*extra: str) -> dict[str, dict]:
    """1 000 alerts opened in one transaction, all delivered in ≤ 10 s (the last one's arrival)."""
    out = _run("alerts.py", "--alerts", "0", "--burst", "1000", "--faults", "0", *extra)
    name = "alert burst of 1 000, ms to the last"
    if "failed" in out:
        return {name: {"failed": out["failed"]}}
    burst = out["burst"]
    last_ms = round(burst["seconds_to_last"] * 1000)
    return {name: _row(burst["p50_ms"], last_ms, 10_000, received=burst["received"])}
