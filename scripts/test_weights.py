"""Write tests/file_weights.json from a JUnit XML report of the suite (CI time, issue 20).

    .venv/bin/python scripts/test_weights.py var/test/junit.xml

pytest-xdist hands whole files to its workers (``--dist loadfile``); started in collection order
with ``--no-loadscope-reorder``, the files that take longest go first (tests/conftest.py orders
them by these weights), so the run does not end with one worker alone on a long browser or stack
file. Weights are each file's seconds relative to the whole run; only their order matters.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from defusedxml.ElementTree import parse

OUT = Path(__file__).resolve().parent.parent / "tests" / "file_weights.json"


def file_of(classname: str) -> str:
    """tests.browser.test_closure(.TestSomething) → tests/browser/test_closure.py"""
    parts = [part for part in classname.split(".") if not part[:1].isupper()]
    return "/".join(parts) + ".py"


def weights(report: Path) -> dict[str, float]:
    seconds: Counter[str] = Counter()
    for case in parse(report).getroot().iter("testcase"):
        seconds[file_of(case.get("classname", ""))] += float(case.get("time", 0))
    total = sum(seconds.values()) or 1.0
    return {name: round(1000 * spent / total, 2) for name, spent in seconds.most_common()}


if __name__ == "__main__":
    OUT.write_text(json.dumps(weights(Path(sys.argv[1])), indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}")
