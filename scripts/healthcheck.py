#!/usr/bin/env python3
"""Container health checks with nothing but the standard library (the slim image has no curl).

  healthcheck.py http URL                 exit 0 when URL answers 2xx
  healthcheck.py fresh GLOB MAX_AGE_SECS  exit 0 when a file matching GLOB changed recently

`http` sends a Host header Django accepts (the first of DJANGO_ALLOWED_HOSTS), so the probe
works with the production host list; it does not follow redirects.
"""

from __future__ import annotations

import glob
import os
import sys
import time
import urllib.error
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def probe_host() -> str:
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    first = hosts[0].lstrip(".") if hosts else ""
    return "localhost" if first in {"", "*"} else first


def check_http(url: str) -> int:
    request = urllib.request.Request(url, headers={"Host": probe_host()})  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            status = response.status
    except (urllib.error.URLError, OSError) as exc:
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return 1
    return 0 if 200 <= status < 300 else 1


def check_fresh(pattern: str, max_age: float) -> int:
    mtimes = [os.path.getmtime(path) for path in glob.glob(pattern)]
    if not mtimes:
        print(f"unhealthy: nothing matches {pattern}", file=sys.stderr)
        return 1
    age = time.time() - max(mtimes)
    if age > max_age:
        print(f"unhealthy: {pattern} last changed {age:.0f}s ago", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "http":
        return check_http(argv[1])
    if len(argv) == 3 and argv[0] == "fresh":
        return check_fresh(argv[1], float(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
