"""GET /metrics: Prometheus figures for the monitoring system, never for the public."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client

TOKEN = "scrape-token-for-tests"


@pytest.fixture
def scraper(settings):
    settings.METRICS_TOKEN = TOKEN
    return Client(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


def _value(text: str, name: str) -> float:
    line = next(x for x in text.splitlines() if x.startswith(name + " "))
    return float(line.split()[-1])


def test_anyone_without_the_token_or_staff_gets_nothing(settings, client, as_user, handler):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert Client(HTTP_AUTHORIZATION="Bearer wrong").get("/metrics").status_code == 404
    assert as_user(handler).get("/metrics").status_code == 404


def test_without_a_token_configured_a_bearer_header_opens_nothing(settings):
    settings.METRICS_TOKEN = ""
    assert Client(HTTP_AUTHORIZATION="Bearer ").get("/metrics").status_code == 404


def test_a_staff_user_may_read_the_metrics(as_user, handler):
    handler.is_staff = True
    handler.save(update_fields=["is_staff"])
    assert as_user(handler).get("/metrics").status_code == 200


def test_the_scraper_reads_latency_queues_outbox_and_sweep_figures(scraper, seed):
    scraper.get("/healthz")  # a request for the latency histogram
    response = scraper.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert 'isms_celery_queue_depth{queue="alerts"}' in text
    assert 'isms_celery_queue_depth{queue="default"}' in text
    assert _value(text, "isms_alert_outbox_backlog") == 0
    assert _value(text, "isms_alert_outbox_oldest_pending_seconds") == 0
    assert _value(text, "isms_decision_sweep_lateness_seconds") == 0
    assert _value(text, "isms_alert_escalation_lateness_seconds") == 0


def test_an_open_decision_past_due_and_not_swept_shows_as_sweep_lateness(scraper, seed):
    incident = seed.incidents(1, status="CONTAINING", level=2)
    seed.decisions(incident, due_at=seed.now - timedelta(minutes=3))
    late = _value(scraper.get("/metrics").content.decode(), "isms_decision_sweep_lateness_seconds")
    assert late >= 170


def test_an_alert_past_its_acknowledgement_deadline_and_not_escalated_shows_as_lateness(
    scraper, seed
):
    from notifications.models import Alert

    incident = seed.incidents(1, status="CONTAINING", level=2)[0]
    Alert.objects.create(
        organisation=seed.organisation,
        incident=incident,
        event="decision.opened",
        needs_ack=True,
        ack_seconds=600,
        ack_due_at=seed.now - timedelta(minutes=2),
        created_at=seed.now - timedelta(minutes=12),
    )
    text = scraper.get("/metrics").content.decode()
    assert _value(text, "isms_alert_escalation_lateness_seconds") >= 110


def test_the_last_full_timeline_verification_is_reported(scraper, seed):
    assert "\nisms_timeline_verify_broken " not in scraper.get("/metrics").content.decode()
    seed.incidents(1)
    call_command("verify_timeline", stdout=io.StringIO())
    text = scraper.get("/metrics").content.decode()
    assert _value(text, "isms_timeline_verify_broken") == 0
    assert _value(text, "isms_timeline_verify_age_seconds") >= 0
