"""Acceptance (issue 6) on the embedded stack, as `make run` starts it: SQLite, the filesystem
broker, `manage.py runstack` (web, worker, beat) and the console email backend.

Opening a decision mails the decision maker an acknowledge link; with nobody acknowledging,
the deadline (4 s here) escalates it to the deputy; the deputy's link acknowledges it.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.common.stack import (
    REPO_ROOT,
    embedded_env,
    free_port,
    manage,
    migrate_embedded,
    stop,
    wait_for_line,
    wait_until,
)

pytestmark = pytest.mark.integration

OPEN_A_DECISION = """
from accounts.models import User
from bcp.services.decisions import decision_open
from incidents.services import intake, triage

office = User.objects.get(username="isms")
data = intake.ReportInput(
    sender="keiri@evil.example", subject="【至急】請求書", url="https://evil.example/x",
    what_happened="OPENED_ATTACHMENT", reporter_email="staff@example.com",
)
report = intake.report_submit(organisation=office.organisation, actor=None, data=data)
incident = triage.event_promote(event=report.event, actor=office)
decision = decision_open(incident=incident, decision_type="ESTABLISH_IRT")
print("assignee", decision.assignee.username)
"""
MAIL_SECONDS = 120  # a deadline: beat, the filesystem broker and the worker, on a loaded machine
ACK_LINK = re.compile(r"http://127\.0\.0\.1:\d+/notifications/ack/[^\s\"<]+/")


def _mails(log: Path) -> list[str]:
    """The messages the console email backend printed (separated by a line of dashes)."""
    return [m for m in re.split(r"\n-{79}\n", log.read_text(errors="replace")) if "To: " in m]


def _mail_to(log: Path, address: str) -> str:
    def mail() -> str | None:
        return next((m for m in _mails(log) if f"To: {address}" in m and ACK_LINK.search(m)), None)

    wait_until(mail, timeout=MAIL_SECONDS, interval=0.5, what=f"an acknowledge link to {address}")
    return mail()  # type: ignore[return-value]


def _request(method: str, port: int, url: str) -> tuple[int, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, url.split(str(port), 1)[-1])
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    return response.status, response.getheader("Location") or "", body


def test_a_decision_mails_its_maker_and_escalates_to_the_deputy_when_unacknowledged(tmp_path):
    port = free_port()
    env = embedded_env(tmp_path)
    env.update(
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        ALERT_ACK_SECONDS="4",
        ALERT_SWEEP_SECONDS="1",
        ALERT_LINK_BASE_URL=f"http://127.0.0.1:{port}",
    )
    migrate_embedded(env)
    manage("seed_demo", env=env)
    log = tmp_path / "runstack.log"
    with log.open("wb") as out:
        stack = subprocess.Popen(
            [sys.executable, "manage.py", "runstack", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_line(log, "Ctrl-C stops the web server", stack, timeout=180)  # the box, once ready
        opened = manage("shell", "-c", OPEN_A_DECISION, env=env)
        assert "assignee president" in opened.stdout

        to_president = _mail_to(log, "president@example.com")
        assert "Subject: " in to_president
        to_deputy = _mail_to(log, "deputy@example.com")  # after the 4 s deadline
        link = ACK_LINK.search(to_deputy).group(0)  # type: ignore[union-attr]
        status, location, _ = _request("POST", port, link)
        # Post/redirect/get: the press answers with a redirect to the same link, which then
        # reads as acknowledged.
        assert status == 302 and location.endswith(link.split(str(port), 1)[1]), (status, location)
        status, _, page = _request("GET", port, link)
        assert status == 200 and "status-ok" in page, page
    finally:
        os.killpg(stack.pid, signal.SIGINT)
        stop({"runstack": stack})
