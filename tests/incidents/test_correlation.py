"""Issue 22, correlation: normalised values, and "seen in INC-…, R-…" in the room, at triage
and in the API, read in one query per page."""

import pytest
from rest_framework.test import APIClient

from incidents import correlation, normalize
from incidents.services import indicators, triage

SECOND = {
    "sender": "KEIRI@Evil.Example.",  # the first incident's sender, written differently
    "subject": "【再送】お支払いのお願い",
    "url": "https://other-evil.example/pay",
    "what_happened": "RECEIVED_ONLY",
}


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("DOMAIN", "Example.COM", "example.com"),
        ("DOMAIN", "example.com.", "example.com"),
        ("DOMAIN", "例え.JP", "xn--r8jz45g.jp"),
        ("C2_DOMAIN", "evil[.]example", "evil.example"),
        ("URL", "hxxp://example[.]com/a", "http://example.com/a"),
        (
            "URL",
            "https://EXAMPLE.com:443/a?id=3&utm_source=mail&fbclid=x#top",
            "https://example.com/a?id=3",
        ),
        ("URL", "https://例え.jp/", "https://xn--r8jz45g.jp/"),
        ("SENDER_ADDRESS", '"経理部" <Keiri@Invoice.Example.>', "keiri@invoice.example"),
        ("SENDER_ADDRESS", "keiri[@]invoice[.]example", "keiri@invoice.example"),
        ("IP", "192[.]0[.]2[.]1", "192.0.2.1"),
        ("C2_IP", "2001:DB8:0:0::1", "2001:db8::1"),
        ("FILE_SHA256", "SHA256:" + "AB" * 32, "ab" * 32),
    ],
)
def test_normalisation_gives_one_key_for_each_way_of_writing_a_value(kind, value, expected):
    assert normalize.normalise(kind, value) == expected


def test_an_ip_indicator_that_is_no_address_normalises_to_nothing():
    assert normalize.normalise("IP", "not-an-ip") == ""


@pytest.fixture
def second(file_report, incident):
    """A later report whose sender only matches the first incident: it waits for triage."""
    report = file_report(reporter_email="sato@example.com", **SECOND)
    assert report.incident is None and report.event is not None
    return report


def test_triage_flags_a_report_whose_sender_an_incident_already_names(
    client, isms_office, incident, second
):
    client.force_login(isms_office)
    page = client.get(f"/triage/{second.event.pk}/").content.decode()
    assert "known-indicator" in page
    assert f'href="/incidents/{incident.ref}/"' in page
    queue = client.get("/triage/").content.decode()
    assert queue.count("known-indicator-badge") == 1


def test_the_second_incident_shows_its_sender_was_seen_in_the_first(
    client, isms_office, incident, second
):
    later = triage.event_promote(event=second.event, actor=isms_office)
    client.force_login(isms_office)
    page = client.get(f"/incidents/{later.ref}/").content.decode()
    assert "seen-in" in page and f'href="/incidents/{incident.ref}/"' in page
    first_page = client.get(f"/incidents/{incident.ref}/").content.decode()
    assert f'href="/incidents/{later.ref}/"' in first_page


def test_the_api_indicator_says_where_else_its_value_was_seen(isms_office, incident, second):
    later = triage.event_promote(event=second.event, actor=isms_office)
    api = APIClient()
    api.force_authenticate(isms_office)
    rows = api.get(f"/api/v1/incidents/{later.ref}/indicators/").json()["results"]
    sender = next(r for r in rows if r["kind"] == "SENDER_ADDRESS")
    assert {"ref": incident.ref, "is_incident": True} in sender["seen_in"]
    url = next(r for r in rows if r["kind"] == "URL")
    assert url["seen_in"] == []


def test_a_c2_domain_matches_the_same_domain_recorded_as_a_domain(
    isms_office, handler, incident, second
):
    later = triage.event_promote(event=second.event, actor=isms_office)
    indicators.indicator_add(incident=incident, actor=handler, kind="DOMAIN", value="cdn.example")
    mine = indicators.indicator_add(
        incident=later, actor=handler, kind="C2_DOMAIN", value="CDN[.]example."
    )
    (found,) = correlation.annotate_indicators(isms_office, later, [mine])
    assert [p.label for p in found.seen_in] == [incident.ref]


def test_correlation_reads_one_query_however_many_values_a_page_holds(
    isms_office, handler, incident, second, django_assert_max_num_queries
):
    later = triage.event_promote(event=second.event, actor=isms_office)

    def add(start, n):
        for i in range(start, start + n):
            indicators.indicator_add(
                incident=incident, actor=handler, kind="DOMAIN", value=f"d{i}.example"
            )
            indicators.indicator_add(
                incident=later, actor=handler, kind="DOMAIN", value=f"D{i}.example."
            )

    add(0, 1)
    rows = list(later.indicators.all())
    # One UNION of indicators and report keys, and the visibility check of the person (is
    # this an outside responder?), which does not depend on the rows.
    with django_assert_max_num_queries(2) as few:
        correlation.annotate_indicators(isms_office, later, rows)
    add(1, 12)
    rows = list(later.indicators.all())
    with django_assert_max_num_queries(len(few.captured_queries)):
        correlation.annotate_indicators(isms_office, later, rows)
    assert sum(1 for r in rows if r.seen_in) == 14  # 13 domains and the sender


def test_a_person_sees_only_the_places_they_may_see(reporter, incident, second, isms_office):
    later = triage.event_promote(event=second.event, actor=isms_office)
    sender = later.indicators.get(kind="SENDER_ADDRESS")
    # A reporter sees no incident and only their own reports.
    (found,) = correlation.annotate_indicators(reporter, later, [sender])
    assert [p.label for p in found.seen_in] == [incident.reports.get(reporter=reporter).number]
