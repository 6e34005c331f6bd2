"""Advisory feeds polled from URLs (issue 23, step 2): the fetch is the one boundary the tests
replace (nothing is downloaded); two polls of one body are one import, two beats at once are one
poll, and a failing feed alerts the ISMS office once, not on every poll."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from notifications.models import Alert
from vulns.fetch import FetchError, fetch
from vulns.models import Advisory, AdvisoryVersion, FeedSource
from vulns.services import feeds
from vulns.tasks import poll_feeds

from .conftest import sample

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
URL = "https://nvd.example.invalid/feeds/json/cve/2.0/nvdcve-2.0-modified.json"


@pytest.fixture
def feed(organisation, handler):
    return feeds.feed_add(organisation=organisation, actor=handler, kind="nvd", url=URL)


@pytest.fixture
def served(monkeypatch):
    """The feed's server: what each fetch returns (bytes) or raises (an exception)."""
    answers: list[object] = []
    fetched: list[str] = []

    def fake(url):
        fetched.append(url)
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(feeds, "fetch", fake)
    return answers, fetched


@pytest.mark.django_db
def test_polling_a_feed_twice_imports_it_once(feed, served):
    answers, fetched = served
    answers.append(sample("nvd-cve-2.0.json"))
    first = poll_feeds()
    second = poll_feeds()
    assert first == {"imported": 1} and second == {"unchanged": 1}
    assert len(fetched) == 2 and Advisory.objects.count() == 3
    assert AdvisoryVersion.objects.count() == 3
    feed.refresh_from_db()
    assert feed.last_success_at is not None and feed.last_error == ""


@pytest.mark.django_db
def test_a_second_beat_finds_the_feed_claimed_and_skips_it(feed, served):
    answers, fetched = served
    answers.append(sample("nvd-cve-2.0.json"))
    assert feeds._claim(feed.pk)  # the first beat holds it
    assert feeds.feed_poll(feed.pk).outcome == "busy"
    assert fetched == [] and not Advisory.objects.exists()


@pytest.mark.django_db
def test_a_failing_feed_alerts_the_isms_office_once_not_on_every_poll(feed, served, isms_office):
    answers, _fetched = served
    answers.extend(
        [FetchError("timed out"), FetchError("timed out"), sample("nvd-cve-2.0.json"), b"{not json"]
    )

    def hourly_poll(hour):  # the beat's polls, an hour apart
        with time_machine.travel(START + timedelta(hours=hour), tick=False):
            return poll_feeds()

    assert hourly_poll(0) == {"failed": 1}
    assert hourly_poll(1) == {"failed": 1}
    assert Alert.objects.filter(event="vulnerability.feed_failed").count() == 1
    feed.refresh_from_db()
    assert feed.last_error == "timed out" and feed.last_error_at is not None
    assert hourly_poll(2) == {"imported": 1}  # it works again: the next failure alerts again
    assert hourly_poll(3) == {"failed": 1}
    assert Alert.objects.filter(event="vulnerability.feed_failed").count() == 2
    feed.refresh_from_db()
    assert "line 1" in feed.last_error


@pytest.mark.django_db
def test_a_paused_feed_is_not_polled(feed, served, handler):
    answers, fetched = served
    answers.append(sample("nvd-cve-2.0.json"))
    feeds.feed_set_enabled(feed=feed, actor=handler, enabled=False)
    assert poll_feeds() == {} and fetched == []


@pytest.mark.django_db
def test_only_https_feeds_are_configured(organisation, handler):
    from common.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        feeds.feed_add(organisation=organisation, actor=handler, kind="kev", url="http://x.test/a")
    assert refused.value.code == "feed_not_https" and not FeedSource.objects.exists()


def test_the_fetch_refuses_plain_http_before_any_connection():
    with pytest.raises(FetchError):
        fetch("http://127.0.0.1:9/feed.json")


@pytest.mark.django_db
def test_the_settings_page_shows_the_last_success_and_the_last_error(
    client, csirt_lead, feed, served
):
    answers, _fetched = served
    answers.append(FetchError("The server answered 503."))
    poll_feeds()
    client.force_login(csirt_lead)
    page = client.get("/vulnerabilities/feeds/").content.decode()
    assert "The server answered 503." in page and "nvd.example.invalid" in page
    response = client.post(
        "/vulnerabilities/feeds/",
        {"action": "add", "kind": "kev", "url": "http://insecure.test/kev.json"},
    )
    assert response.status_code == 400 and FeedSource.objects.count() == 1
