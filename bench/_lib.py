"""Shared pieces of the benchmarks: a throw-away PostgreSQL database, gunicorn, a load client.

Benchmarks talk only to this machine (127.0.0.1). Every loop is bounded in count and time.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def bench_env(name: str) -> dict[str, str]:
    """The environment of a production-like app on a database of its own."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": f"{PG}/isms_bench_{name}",
            # BENCH_BROKER_URL / BENCH_CACHE_URL: other Redis databases on a shared machine.
            "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/3"),
            "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/2"),
            "ISMS_VAR_DIR": str(ROOT / "var" / f"bench-{name}"),
            "LOG_LEVEL": "WARNING",
            # A fixed key of the bench's own (required without DEBUG; 32 bytes, base64).
            "TIMELINE_HMAC_KEYS": "bench:" + "YmVuY2g" * 6 + "YQ==",
        }
    )
    return env


def _admin(*statements: str) -> None:
    """Statements on the server's ``postgres`` database, outside a transaction (CREATE/DROP
    DATABASE)."""
    import psycopg2

    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        for statement in statements:
            cur.execute(statement)
    conn.close()


def copy_database(source: str, name: str) -> None:
    """``isms_bench_<name>`` anew as a copy of ``isms_bench_<source>`` (no one may be connected
    to the source: close this process's connections first)."""
    _admin(
        f"DROP DATABASE IF EXISTS isms_bench_{name} WITH (FORCE)",
        f"CREATE DATABASE isms_bench_{name} TEMPLATE isms_bench_{source}",
    )


def drop_database(name: str) -> None:
    _admin(f"DROP DATABASE IF EXISTS isms_bench_{name} WITH (FORCE)")


def recreate_database(name: str) -> None:
    _admin(
        f"DROP DATABASE IF EXISTS isms_bench_{name} WITH (FORCE)",
        f"CREATE DATABASE isms_bench_{name}",
    )


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "isms_csirt.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(
        self, env: dict[str, str], workers: int = 2, threads: int = 4, worker_class: str = ""
    ) -> None:
        self.port = free_port()
        # threads > 1 makes gunicorn's worker class gthread; "sync" is one request at a time.
        chosen = ["--worker-class", worker_class] if worker_class else []
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "isms_csirt.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                *chosen,
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 90  # a loaded machine imports Django slowly
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict[str, float]:
        lat = sorted(self.latencies_ms)
        ok = sum(n for code, n in self.statuses.items() if code < 400)
        return {
            "requests": len(lat),
            "ok": ok,
            "errors": len(lat) - ok + len(self.errors),
            "rps": round(len(lat) / self.seconds, 1) if self.seconds else 0.0,
            "p50": pct(lat, 50),
            "p95": pct(lat, 95),
            "p99": pct(lat, 99),
            "mean": round(statistics.fmean(lat), 1) if lat else 0.0,
        }


def pct(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return round(sorted_values[k], 1)


Request = tuple[str, str, bytes | None, dict[str, str]]  # method, path, body, headers


def run_load(
    port: int, requests: list[Request], clients: int, timeout_s: float = 300
) -> LoadResult:
    """Send the requests from ``clients`` keep-alive connections; bounded by ``timeout_s``."""
    result = LoadResult()
    lock = threading.Lock()
    queue = list(reversed(requests))
    started = time.monotonic()

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() - started < timeout_s:
            with lock:
                if not queue:
                    break
                method, path, body, headers = queue.pop()
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    result.errors.append(repr(exc))
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                result.latencies_ms.append(elapsed)
                result.statuses[status] = result.statuses.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - started
    return result


def time_calls(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    lat = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    return {"n": repeat, "p50": pct(lat, 50), "p95": pct(lat, 95), "p99": pct(lat, 99)}


def write_result(name: str, payload: dict) -> Path:
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    return path
