"""The incident search: every record that names an incident finds it, in the list and the API;
on PostgreSQL each part is read from its trigram index."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents import selectors
from incidents.models import AffectedAsset, Asset, Incident, Indicator, MailMessage, Report
from tests.dashboard.conftest import Seed


def _found(q: str) -> set[str]:
    return set(Incident.objects.filter(selectors.incident_search(q)).values_list("ref", flat=True))


@pytest.fixture
def named(organisation):
    """One incident per kind of record that names it, and one that nothing names."""
    now = timezone.now()
    seed = Seed(organisation)
    title, mail, report, reporter, indicator, asset, other = seed.incidents(7)
    Incident.objects.filter(pk=title.pk).update(title="Emotet の感染", description="添付を開いた")
    MailMessage.objects.create(
        incident=mail,
        sender="Keiri <keiri@evil.example>",
        subject="【至急】請求書の件",
        first_seen=now,
        last_seen=now,
    )
    Report.objects.create(
        organisation=organisation,
        year=now.year,
        seq=1,
        incident=report,
        channel="ONE_TAP",
        received_at=now,
        sender="billing@evil.example",
        subject="Invoice 4711",
    )
    Report.objects.create(
        organisation=organisation,
        year=now.year,
        seq=2,
        incident=reporter,
        channel="ONE_TAP",
        received_at=now,
        reporter_name="山田 花子",
        reporter_email="hanako.yamada@example.co.jp",
    )
    Indicator.objects.create(
        organisation=organisation,
        incident=indicator,
        kind="DOMAIN",
        value="c2.bad-host.example",
        normalized="c2.bad-host.example",
        digest="0" * 64,
        first_seen=now,
        last_seen=now,
    )
    pc = Asset.objects.create(
        organisation=organisation, asset_tag="PC-SOUMU-0042", hostname="soumu42"
    )
    AffectedAsset.objects.create(incident=asset, asset=pc)
    Report.objects.create(
        organisation=organisation,
        year=now.year,
        seq=3,
        channel="ONE_TAP",
        received_at=now,
        sender="x@evil.example",
    )
    return {
        "title": title,
        "mail": mail,
        "report": report,
        "reporter": reporter,
        "indicator": indicator,
        "asset": asset,
        "other": other,
    }


@pytest.mark.parametrize(
    ("q", "names"),
    [
        ("emotet", ["title"]),
        ("添付を開", ["title"]),
        ("keiri@evil.example", ["mail"]),
        ("EVIL.EXAMPLE", ["mail", "report"]),  # every incident where the sender appears
        ("請求書", ["mail"]),
        ("invoice 4711", ["report"]),
        ("山田", ["reporter"]),
        ("hanako.yamada@", ["reporter"]),
        ("bad-host", ["indicator"]),
        ("pc-soumu-0042", ["asset"]),
        ("soumu42", ["asset"]),
        ("nothing-names-this", []),
    ],
)
def test_the_search_finds_an_incident_by_any_record_that_names_it(named, q, names):
    assert _found(q) == {named[name].ref for name in names}


@pytest.mark.parametrize(
    ("q", "names"),
    [("EVIL.EXAMPLE", ["mail", "report"]), ("山田", ["reporter"]), ("soumu42", ["asset"])],
)
def test_a_text_found_in_many_rows_is_searched_by_sub_queries_with_the_same_answer(
    named, monkeypatch, q, names
):
    monkeypatch.setattr(selectors, "SEARCH_IDS_LIMIT", 0)
    assert _found(q) == {named[name].ref for name in names}


def test_the_search_finds_an_incident_by_its_reference(named):
    assert _found(named["other"].ref.lower()) == {named["other"].ref}


def test_an_empty_search_filters_nothing(named):
    assert _found("   ") == {incident.ref for incident in named.values()}


def test_the_incident_list_searches_senders_and_reporters(client, isms_office, named):
    client.force_login(isms_office)
    response = client.get("/dashboard/incidents/", {"q": "evil.example"})
    assert {i.ref for i in response.context["page"].rows} == {
        named["mail"].ref,
        named["report"].ref,
    }


def test_the_api_list_searches_senders_and_reporters(client, isms_office, named):
    client.force_login(isms_office)
    response = client.get("/api/v1/incidents/", {"q": "hanako.yamada"})
    assert response.status_code == 200
    assert [row["ref"] for row in response.json()["results"]] == [named["reporter"].ref]


def test_a_text_found_in_many_rows_checks_the_incidents_own_text_on_the_rows_the_list_walks(
    named, monkeypatch
):
    # A word of most descriptions: the incident's reference, title and description are tested
    # on each row of the keyset walk (stopping at a full page), not read as a sub-query of
    # every matching incident that is then sorted (1.4 s at 100 000 matches).
    monkeypatch.setattr(selectors, "SEARCH_IDS_LIMIT", 0)
    rows = Incident.objects.filter(selectors.incident_search("添付を開")).order_by("-id")
    sql = str(rows.query).lower()
    assert sql.count('from "incidents_incident"') == 1
    assert ("strpos" if connection.vendor == "postgresql" else "instr") in sql
    assert [row.ref for row in rows] == [named["title"].ref]


def test_a_text_in_many_of_the_newest_incidents_goes_to_the_walk_without_reading_the_indexes(
    named, monkeypatch
):
    # One read of the newest incidents decides: reading a word of most descriptions from the
    # trigram index would first build a bitmap of every match (the 1.4 s of bench/README.md).
    monkeypatch.setattr(selectors, "SEARCH_DENSE", 1)
    with CaptureQueriesContext(connection) as reads:
        condition = selectors.incident_search("添付を開")
    # The sample, then the other records' matches (issue 20: read once here, not as sub-queries
    # of the walk, where the planner scanned every asset for the host name).
    assert len(reads) == 2
    assert 'from "incidents_incident"' not in reads[1]["sql"].lower()
    rows = Incident.objects.filter(condition)
    sql = str(rows.query).lower()
    assert ("strpos" if connection.vendor == "postgresql" else "instr") in sql
    assert sql.count("select") == 1
    assert {row.ref for row in rows} == {named["title"].ref}
    # On the walk, the other records still name their incidents.
    monkeypatch.setattr(selectors, "_dense", lambda text: True)
    assert _found("EVIL.EXAMPLE") == {named["mail"].ref, named["report"].ref}


def test_a_text_rare_among_the_newest_incidents_is_read_from_the_indexes(named):
    with CaptureQueriesContext(connection) as reads:
        condition = selectors.incident_search("添付を開")
    assert len(reads) == 2
    assert "union" in reads[1]["sql"].lower()
    assert {row.ref for row in Incident.objects.filter(condition)} == {named["title"].ref}


SEARCH_INDEXES = {
    "inc_search_title",
    "mail_search_sender",
    "report_search_sender",
    "report_search_reporter_email",
    "ind_search_value",
    "asset_search_tag",
    "asset_search_hostname",
}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
@pytest.mark.parametrize("ids_limit", [selectors.SEARCH_IDS_LIMIT, 0])
def test_on_postgresql_the_search_reads_its_trigram_indexes(named, monkeypatch, ids_limit):
    # The first read (the matching ids), and the sub-queries of a text found in many rows.
    monkeypatch.setattr(selectors, "SEARCH_IDS_LIMIT", ids_limit)
    if ids_limit:
        rows = selectors.search_matches("evil.example")[: ids_limit + 1]
    else:
        rows = Incident.objects.filter(selectors.incident_search("evil.example"))
    with connection.cursor() as cursor:
        # A test's tables are tiny: make the planner show which index it would read at scale.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = rows.explain()
    # Above the limit the incident's own text is checked on the walked rows, not indexed.
    indexed = SEARCH_INDEXES if ids_limit else SEARCH_INDEXES - {"inc_search_title"}
    assert {name for name in SEARCH_INDEXES if name in plan} == indexed


@pytest.fixture
def senders(organisation):
    """Three incidents named by senders that share the identifier ``billing4711``."""
    now = timezone.now()
    exact, other_domain, longer = Seed(organisation).incidents(3)
    for incident, sender in (
        (exact, "Billing <BILLING4711@evil.example>"),
        (other_domain, "billing4711@other.example"),
        (longer, "billing47110@evil.example"),
    ):
        MailMessage.objects.create(
            incident=incident, sender=sender, subject="x", first_seen=now, last_seen=now
        )
    return {"exact": exact, "other_domain": other_domain, "longer": longer}


@pytest.mark.parametrize("ids_limit", [selectors.SEARCH_IDS_LIMIT, 0])
def test_an_address_read_by_its_identifier_finds_only_the_rows_that_contain_all_of_it(
    senders, monkeypatch, ids_limit
):
    # Issue 20: the indexes are read for "billing4711"; the whole address is checked on the
    # rows they give, so a row with the identifier alone is not found.
    monkeypatch.setattr(selectors, "SEARCH_IDS_LIMIT", ids_limit)
    assert _found("billing4711@EVIL.example") == {senders["exact"].ref}
    assert _found("billing4711") == {incident.ref for incident in senders.values()}


def test_the_trigram_indexes_are_read_for_the_identifier_of_an_address_not_its_domain():
    sql = str(selectors.search_matches("billing4711@evil.example").query).lower()
    assert "%billing4711%" in sql
    assert "%billing4711@evil.example%" not in sql
    assert selectors.search_fragment("請求書を装う） 4242") is None  # digits alone: a year too
    assert selectors.search_fragment("CVE-2026-1234") is None
    assert selectors.search_fragment("srv0042.corp.example") == "srv0042"
