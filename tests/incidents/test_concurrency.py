"""Races that must have exactly one winner, run on real PostgreSQL connections."""

import threading
import time

import pytest
from django.db import connection

from common import clock
from common.errors import Conflict
from incidents.models import Event, Incident, MailMessage, Report, TimelineEntry
from incidents.services import intake, messages, records, triage
from incidents.services.timeline import timeline_verify
from tests.incidents.conftest import PHISH

pytestmark = pytest.mark.django_db(transaction=True)


RACE_SECONDS = 120  # a deadline, not a measure: on a loaded machine the threads are just slower


def _race(functions):
    """Run the functions at once, one thread (and database connection) each; their results, or
    the exception each raised. A thread still running after the deadline fails the test."""
    barrier = threading.Barrier(len(functions), timeout=RACE_SECONDS)
    results: list = [None] * len(functions)

    def run(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # collected, asserted by the caller
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(functions)]
    deadline = time.monotonic() + RACE_SECONDS
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), f"still running after {RACE_SECONDS}s"
    return results


def test_concurrent_reports_of_one_email_form_one_triage_item(organisation):
    def submit(n):
        data = intake.ReportInput(**PHISH, reporter_email=f"p{n}@example.com")
        return lambda: intake.report_submit(organisation=organisation, actor=None, data=data)

    results = _race([submit(n) for n in range(6)])
    assert all(isinstance(r, Report) for r in results), results
    assert Event.objects.count() == 1
    assert Event.objects.get().report_count == 6


def test_concurrent_first_reports_of_one_email_whose_sender_another_item_holds_form_one_item(
    organisation,
):
    """The sender alone does not match (a spoofed sender is common to many emails): the new
    item claims the keys no open item holds, and the concurrent first reports meet on those."""
    older = intake.report_submit(
        organisation=organisation,
        actor=None,
        data=intake.ReportInput(
            sender=PHISH["sender"], subject="別件のお知らせ", url="https://other.example/notice"
        ),
    )

    def submit(n):
        data = intake.ReportInput(**PHISH, reporter_email=f"s{n}@example.com")
        return lambda: intake.report_submit(organisation=organisation, actor=None, data=data)

    results = _race([submit(n) for n in range(6)])
    assert all(isinstance(r, Report) for r in results), results
    assert len({r.event_id for r in results}) == 1
    assert Event.objects.exclude(pk=older.event_id).get().report_count == 6


def test_concurrent_reports_after_promotion_join_the_one_incident(organisation, isms_office):
    first = intake.report_submit(
        organisation=organisation,
        actor=None,
        data=intake.ReportInput(**PHISH, reporter_email="a@example.com"),
    )
    triage.event_promote(event=first.event, actor=isms_office)

    def submit(n):
        data = intake.ReportInput(**PHISH, reporter_email=f"q{n}@example.com")
        return lambda: intake.report_submit(organisation=organisation, actor=None, data=data)

    results = _race([submit(n) for n in range(4)])
    assert {r.incident_id for r in results} == {Incident.objects.get().pk}
    assert Event.objects.count() == 1


def _both_creators_meet(monkeypatch):
    """Hold the first report about to create the incident's message until the second is about
    to create one too, or waits for a lock (the guard): without the guard both create, with it
    the second reads the first's message once the first committed."""
    first, second = threading.Event(), threading.Event()
    create = messages._create

    def meeting(incident, mail, seen_at):
        if first.is_set():
            second.set()
            return create(incident, mail, seen_at)
        first.set()
        deadline = time.monotonic() + RACE_SECONDS
        while not (second.is_set() or _a_lock_is_awaited()) and time.monotonic() < deadline:
            time.sleep(0.02)
        return create(incident, mail, seen_at)

    monkeypatch.setattr(messages, "_create", meeting)


def _a_lock_is_awaited() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        return bool(cursor.fetchone()[0])


def test_two_reports_joining_an_incident_without_a_message_at_once_make_one_message_and_a_valid_chain(  # noqa: E501
    organisation, isms_office, monkeypatch
):
    incident = records.incident_declare(
        organisation=organisation,
        actor=isms_office,
        title="標的型メール",
        category="TARGETED_EMAIL",
    )
    mail = messages.Mail(sender=PHISH["sender"], subject=PHISH["subject"], url=PHISH["url"])
    messages.mail_indicators_add(incident=incident, mail=mail, at=clock.now(), actor=isms_office)
    _both_creators_meet(monkeypatch)

    def submit(n):
        data = intake.ReportInput(**PHISH, reporter_email=f"m{n}@example.com")
        return lambda: intake.report_submit(organisation=organisation, actor=None, data=data)

    results = _race([submit(n) for n in range(2)])
    assert {r.incident_id for r in results if isinstance(r, Report)} == {incident.pk}, results
    assert MailMessage.objects.filter(incident=incident).count() == 1
    assert MailMessage.objects.get(incident=incident).deliveries.count() == 2
    attached = TimelineEntry.objects.filter(incident=incident, kind="report.attached")
    assert sorted(e.payload["report"] for e in attached) == sorted(r.number for r in results)
    assert timeline_verify(incident=incident).ok


def test_concurrent_reports_naming_their_pcs_join_the_incident_without_a_deadlock(
    organisation, isms_office
):
    """A PC's facts lock the incident: they are recorded after the report's number, in the
    order every report takes the locks (report counter, then incident)."""
    first = intake.report_submit(
        organisation=organisation,
        actor=None,
        data=intake.ReportInput(**PHISH, reporter_email="a@example.com"),
    )
    incident = triage.event_promote(event=first.event, actor=isms_office)

    def submit(n):  # every other reporter names a PC: the others go straight to their number
        label = f"PC-{n}" if n % 2 else ""
        data = intake.ReportInput(**PHISH, reporter_email=f"pc{n}@example.com", asset_label=label)
        return lambda: intake.report_submit(organisation=organisation, actor=None, data=data)

    results = _race([submit(n) for n in range(8)])
    assert all(isinstance(r, Report) for r in results), results
    for report in results:
        report.refresh_from_db()
        assert (report.incident_id, report.intake_problem) == (incident.pk, ""), report.matched
    assert incident.affected_assets.count() == 4
    assert timeline_verify(incident=incident).ok


def test_concurrent_triage_of_one_item_has_exactly_one_winner(
    organisation, isms_office, csirt_lead
):
    report = intake.report_submit(
        organisation=organisation,
        actor=None,
        data=intake.ReportInput(**PHISH, reporter_email="a@x.example"),
    )
    event = report.event
    results = _race(
        [
            lambda: triage.event_promote(event=event, actor=isms_office),
            lambda: triage.event_promote(event=event, actor=csirt_lead),
        ]
    )
    winners = [r for r in results if isinstance(r, Incident)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].code == "already_triaged"
    assert Incident.objects.count() == 1


def test_a_report_whose_incident_closes_between_its_match_and_its_lock_waits_with_its_mail(
    organisation, isms_office, monkeypatch
):
    """Another connection closes the matched incident and commits before the report locks it:
    the report is placed again, as if filed a moment later, and waits for triage in a new item
    claiming its mail's keys, not flagged as a report that could not be grouped."""
    first = intake.report_submit(
        organisation=organisation,
        actor=None,
        data=intake.ReportInput(**PHISH, reporter_email="a@example.com"),
    )
    incident = triage.event_promote(event=first.event, actor=isms_office)
    absorb = records.incident_absorb_report

    def closed_by_someone_else(**kwargs):
        closing = threading.Thread(target=_close_elsewhere, args=(incident.pk,))
        closing.start()
        closing.join(RACE_SECONDS)
        return absorb(**kwargs)

    monkeypatch.setattr(records, "incident_absorb_report", closed_by_someone_else)
    late = intake.report_submit(
        organisation=organisation,
        actor=None,
        data=intake.ReportInput(**PHISH, reporter_email="late@example.com"),
    )
    late.refresh_from_db()
    assert late.incident_id is None
    assert late.intake_problem == ""
    assert late.event.report_count == 1
    assert late.event.open_keys.filter(kind="URL").exists()
    assert late.seq is not None
    assert not incident.reports.filter(pk=late.pk).exists()


def _close_elsewhere(incident_id: int) -> None:
    try:
        Incident.objects.filter(pk=incident_id).update(status="CLOSED")
    finally:
        connection.close()
