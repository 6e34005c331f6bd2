"""bench/data.py (`make bench-data`) at a thousandth of the issue's size: the shape it promises."""

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture
def bench_data(monkeypatch):
    monkeypatch.setattr(sys, "path", [*sys.path, str(BENCH)])  # _lib, api_list; after the apps
    spec = importlib.util.spec_from_file_location("bench_data", BENCH / "data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bench_data_set_has_the_issues_shape_at_a_small_scale(db, bench_data):
    rows = bench_data.generate(0.001, log=lambda *_: None)
    # 100 generated incidents + the room; ten timeline entries, five indicators each …
    assert rows["incidents"] == 101
    assert rows["timeline entries"] == 100 * 10 + 2000
    assert rows["indicators"] == 500
    assert rows["reports"] == rows["triage items"] == 100
    assert rows["tasks"] == 300
    assert rows["people"] == 5
    assert rows["decisions"] >= 10 and rows["alerts"] >= 20


def test_the_bench_incidents_have_japanese_and_english_titles_and_long_descriptions(db, bench_data):
    from incidents.models import Incident

    bench_data.generate(0.001, log=lambda *_: None)
    generated = Incident.objects.exclude(ref__startswith="INC-2999")
    lengths = [len(d) for d in generated.values_list("description", flat=True)]
    assert min(lengths) >= 300 and max(lengths) <= 800
    titles = list(generated.values_list("title", flat=True))
    assert any(t.isascii() for t in titles) and any(not t.isascii() for t in titles)


@pytest.fixture
def bench_run(monkeypatch):
    monkeypatch.setattr(sys, "path", [*sys.path, str(BENCH)])
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(p95, queries, target_p95=20, target_queries=4):
    return {
        "p50": p95,
        "p95": p95,
        "queries": queries,
        "status": 200,
        "target_p95": target_p95,
        "target_queries": target_queries,
    }


def test_make_bench_says_by_how_much_a_figure_missed_and_shows_the_previous_run(bench_run):
    new = {
        "in_process_ms": {"list": _row(25.5, 6), "dashboard": _row(30.0, 12, 40, 12)},
        "explain": {"intake match": {"ms": 0.8, "indexes": ["ind_match"], "ok": True}},
    }
    old = {"in_process_ms": {"list": _row(31.0, 9)}}
    lines, missed = bench_run.table(new, old)
    assert missed == 1
    row = next(line for line in lines if line.startswith("| list |"))
    assert "31.0 / 9" in row and "p95 +5.5 ms over 20" in row and "+2 queries over" in row
    assert next(line for line in lines if line.startswith("| dashboard |")).endswith("| ok |")


def test_make_bench_says_when_the_intake_is_under_its_throughput_or_a_process_failed(bench_run):
    intake = {**_row(120.0, 14, 150, 15), "rps": 141.5, "target_rps": 150}
    new = {
        "in_process_ms": {},
        "processes": {"intake": intake, "burst": {"failed": "alerts.py exited 1"}},
        "explain": {},
    }
    lines, missed = bench_run.table(new, {})
    assert missed == 2
    row = next(line for line in lines if line.startswith("| intake |"))
    assert "141.5 req/s, 8.5 under" in row and "≥ 150/s" in row
    assert "alerts.py exited 1" in next(line for line in lines if line.startswith("| burst |"))


def test_a_report_filed_on_the_bench_data_takes_the_next_free_number(db, bench_data):
    from accounts.models import Organisation
    from incidents.models import Report
    from incidents.services import intake

    bench_data.generate(0.001, log=lambda *_: None)
    org = Organisation.objects.get(name="ベンチ株式会社")
    highest = Report.objects.filter(organisation=org).order_by("-seq").first()
    report = intake.report_submit(
        organisation=org,
        actor=None,
        data=intake.ReportInput(
            sender="x@evil.example",
            subject="counter",
            what_happened="OPENED_ATTACHMENT",
            reporter_email="r@example.com",
        ),
    )
    assert (report.year, report.seq) == (highest.year, highest.seq + 1)
