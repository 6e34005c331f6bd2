"""Every role × every endpoint of /api/v1/, with the status each must get.

Reading: what you may not see is 404 (never 403, which would confirm it exists); what you may
see but not change is 403; anonymous is 401; a read-only API key writing is 403.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.models import Report
from incidents.services import records, triage
from tests.incidents.api.conftest import API, ROLES, wrong_answers

# {inc} is /incidents/<ref>. Statuses in the order of ROLES: reporter, handler, isms_office,
# csirt_lead, decision_maker, outsider, anonymous, key_read, key_write.
MATRIX = [
    ("GET", "/reports/", None, (200, 200, 200, 200, 200, 200, 401, 200, 200)),
    ("GET", "/reports/{report}/", None, (200, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("POST", "/reports/", "report", (201, 201, 201, 201, 201, 201, 401, 403, 201)),
    ("GET", "/events/", None, (200, 200, 200, 200, 200, 200, 401, 200, 200)),
    ("GET", "/events/{event}/", None, (404, 404, 200, 200, 404, 404, 401, 404, 404)),
    ("POST", "/events/{event}/promote/", {}, (404, 404, 201, 201, 404, 404, 401, 403, 404)),
    ("POST", "/events/{event}/attach/", "attach", (404, 404, 200, 200, 404, 404, 401, 403, 404)),
    ("POST", "/events/{event}/close/", "close", (404, 404, 200, 200, 404, 404, 401, 403, 404)),
    ("GET", "/incidents/", None, (200, 200, 200, 200, 200, 200, 401, 200, 200)),
    ("GET", "{inc}/", None, (404, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("PATCH", "{inc}/", "patch", (404, 200, 200, 200, 403, 404, 401, 403, 200)),
    ("POST", "{inc}/transition/", "go", (404, 200, 200, 200, 403, 404, 401, 403, 403)),
    ("POST", "{inc}/assign/", "assign", (404, 200, 200, 200, 403, 404, 401, 403, 200)),
    ("GET", "{inc}/affected-assets/", None, (404, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("POST", "{inc}/affected-assets/", "asset", (404, 201, 201, 201, 403, 404, 401, 403, 201)),
    ("PATCH", "{inc}/affected-assets/{asset}/", "remediate",
        (404, 200, 200, 200, 403, 404, 401, 403, 200)),
    ("GET", "{inc}/mail-deliveries/", None, (404, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("POST", "{inc}/mail-deliveries/", "delivery", (404, 201, 201, 201, 403, 404, 401, 403, 201)),
    ("PATCH", "{inc}/mail-deliveries/{delivery}/", "clicked",
        (404, 200, 200, 200, 403, 404, 401, 403, 200)),
    ("GET", "{inc}/mail-messages/", None, (404, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("POST", "{inc}/mail-messages/", "message", (404, 201, 201, 201, 403, 404, 401, 403, 201)),
    ("GET", "{inc}/relations/", None, (404, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("POST", "{inc}/relations/", "relate", (404, 201, 201, 201, 403, 404, 401, 403, 201)),
    ("GET", "{inc}/indicators/", None, (404, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("POST", "{inc}/indicators/", "indicator", (404, 201, 201, 201, 403, 404, 401, 403, 201)),
    ("POST", "{inc}/indicators/{indicator}/block/", "block",
        (404, 200, 200, 200, 403, 404, 401, 403, 200)),
    ("GET", "{inc}/tasks/", None, (404, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("POST", "{inc}/tasks/", "task", (404, 201, 201, 201, 403, 404, 401, 403, 201)),
    ("POST", "{inc}/tasks/{task}/finish/", "done", (404, 200, 200, 200, 403, 404, 401, 403, 200)),
    ("GET", "{inc}/evidence/", None, (404, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("GET", "{inc}/evidence/{evidence}/", None, (404, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("POST", "{inc}/evidence/", "upload", (404, 201, 201, 201, 403, 404, 401, 403, 201)),
    ("GET", "{inc}/evidence/{evidence}/download/", None,
        (404, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("POST", "{inc}/evidence/{evidence}/custody/", "custody",
        (404, 201, 201, 201, 403, 404, 401, 403, 201)),
    ("GET", "{inc}/timeline/", None, (404, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("GET", "{inc}/timeline/verify/", None, (404, 200, 200, 200, 200, 404, 401, 200, 200)),
]  # fmt: skip

ROWS = [
    pytest.param(method, path, body, statuses, id=f"{method}-{path}")
    for method, path, body, statuses in MATRIX
]


def _bodies(world):
    return {
        "report": {"subject": "不審なメール", "sender": "x@spam.example"},
        "attach": {"incident": world["ref"]},
        "close": {"status": "NOT_INCIDENT", "disposition": "not-an-incident:refuted"},
        "patch": {"title": "請求書を装った標的型メール"},
        "go": {"target": "CONTAINING"},
        "assign": {"handlers": [world["handler_id"]]},
        "asset": {"asset_tag": "PC-99", "infection_state": "SUSPECTED"},
        "remediate": {"remediation_state": "REIMAGED"},
        "delivery": {"recipient_name": "営業部 山田", "recipient_email": "yamada@example.com"},
        "clicked": {"link_clicked_at": "2026-01-05T09:00:00+09:00"},
        "indicator": {"kind": "DOMAIN", "value": "evil.example"},
        "message": {"subject": "請求書（再送）"},
        "relate": {"incident": world["other"], "kind": "RELATED"},
        "block": {"blocked_by": "PROXY"},
        "task": {"title": "全社に注意喚起を送る"},
        "done": {"status": "DONE", "note": "送信済み"},
        "upload": {"file": SimpleUploadedFile("x.txt", b"log line\n")},
        "custody": {"action": "STORED", "location": "金庫"},
    }


@pytest.fixture
def world(incident, waiting_event, task, evidence_item, reporter, handler, isms_office):
    return {
        "ref": incident.ref,
        "event": waiting_event.pk,
        "report": Report.objects.filter(reporter=reporter).order_by("id").first().pk,
        "asset": incident.affected_assets.get().pk,
        "delivery": incident.mail_messages.get().deliveries.get().pk,
        "indicator": incident.indicators.order_by("id").first().pk,
        "task": task.pk,
        "evidence": evidence_item.pk,
        "handler_id": handler.pk,
        "other": records.incident_declare(
            organisation=incident.organisation,
            actor=isms_office,
            title="関連する別件",
            category="DATA_LEAK",
        ).ref,
    }


@pytest.mark.parametrize(("method", "path", "body", "statuses"), ROWS)
def test_every_role_gets_the_status_of_the_matrix(client_for, world, method, path, body, statuses):
    url = API + path.format(inc=f"/incidents/{world['ref']}", **world)
    fmt = "multipart" if body == "upload" else "json"

    def send(client):
        payload = _bodies(world)[body] if isinstance(body, str) else body
        return getattr(client, method.lower())(url, payload, format=fmt)

    assert wrong_answers(client_for, zip(ROLES, statuses, strict=True), send) == []


def test_a_read_only_key_that_writes_is_told_its_scope_is_insufficient(client_for, world):
    response = client_for("key_read").post(f"{API}/reports/", {"subject": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert Report.objects.filter(subject="x").count() == 0


def test_outsider_lists_are_empty_not_forbidden(client_for, world):
    for path in ("/reports/", "/events/", "/incidents/"):
        response = client_for("outsider").get(API + path)
        assert response.status_code == 200
        assert response.json()["results"] == []


def test_reporter_sees_only_their_own_reports(client_for, world, file_report, handler):
    someone_elses = file_report(actor=handler, subject="別件", sender="z@z.example")
    client = client_for("reporter")
    listed = {r["id"] for r in client.get(f"{API}/reports/").json()["results"]}
    assert world["report"] in listed
    assert someone_elses.pk not in listed
    assert client.get(f"{API}/reports/{someone_elses.pk}/").status_code == 404


def test_an_assigned_handler_without_a_viewing_role_sees_only_their_incident(
    client_for, world, incident, isms_office, reporter, file_report
):
    other = file_report(
        actor=reporter, subject="別の件", sender="q@q.example", url="https://q.example/"
    )
    triage.event_promote(event=other.event, actor=isms_office)
    records.incident_assign(incident=incident, actor=isms_office, handlers=[reporter])
    refs = [i["ref"] for i in client_for("reporter").get(f"{API}/incidents/").json()["results"]]
    assert refs == [incident.ref]
