"""The responder form of IT and CSIRT staff."""

from incidents.models import Report, ReportKey

SHA = "a" * 64
FULL = {
    "category": "MALWARE_INFECTION",
    "channel": "PHONE",
    "impact": "MEDIUM",
    "what_happened": "OPENED_ATTACHMENT",
    "description": "営業部から電話: 添付を開いた",
    "sender": '"経理部" <keiri@evil.example>',
    "subject": "請求書",
    "url": "https://evil.example/a",
    "attachment_sha256": SHA.upper(),
    "asset_label": "PC-0456",
    "ind-TOTAL_FORMS": "3",
    "ind-INITIAL_FORMS": "0",
    "ind-0-kind": "URL",
    "ind-0-value": "https://evil.example/second",
    "ind-1-kind": "",
    "ind-1-value": "",
    "ind-2-kind": "",
    "ind-2-value": "",
}


def test_a_handler_files_a_full_report_with_extra_indicators(as_user, handler):
    response = as_user(handler).post("/reports/new/", FULL)
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.category, report.channel, report.attachment_sha256) == (
        "MALWARE_INFECTION",
        "PHONE",
        SHA,
    )
    assert report.event.impact == "MEDIUM"
    values = set(ReportKey.objects.filter(report=report).values_list("value", flat=True))
    assert "https://evil.example/second" in values


def test_the_triager_continues_on_the_triage_item(as_user, isms_office):
    response = as_user(isms_office).post("/reports/new/", FULL)
    report = Report.objects.get()
    assert response["Location"] == f"/triage/{report.event_id}/"


def test_malformed_input_is_refused_and_nothing_is_filed(as_user, handler):
    bad = {
        **FULL,
        "url": "javascript:alert(1)",
        "attachment_sha256": "xyz",
        "sender": "nobody",
        "category": "NOT_A_CATEGORY",
        "ind-0-kind": "FILE_SHA256",
        "ind-0-value": "not-a-hash",
    }
    response = as_user(handler).post("/reports/new/", bad)
    assert response.status_code == 400
    assert 'id="id_ind-0-value_error"' in response.text
    for field in ("url", "attachment_sha256", "sender", "category"):
        assert f'id="id_{field}_error"' in response.text
    assert Report.objects.count() == 0


def test_the_description_is_required(as_user, handler):
    response = as_user(handler).post("/reports/new/", {**FULL, "description": ""})
    assert response.status_code == 400
    assert Report.objects.count() == 0
