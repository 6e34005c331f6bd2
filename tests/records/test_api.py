"""The records API: the incident report PDF for whoever sees the incident (written on its
timeline), the newest emergency kit PDF for whoever sees the roster; others get a JSON 404."""

from __future__ import annotations

from records import services


def test_the_report_pdf_is_a_pdf_and_its_download_is_on_the_timeline(client, handler, incident):
    client.force_login(handler)
    response = client.post(
        f"/api/v1/incidents/{incident.ref}/report-pdf/",
        {"tlp": "GREEN"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    entry = incident.timeline.order_by("-seq").first()
    assert entry.kind == "report.downloaded" and entry.payload["tlp"] == "GREEN"


def test_a_tlp_that_is_not_one_is_a_400_and_writes_nothing(client, handler, incident):
    client.force_login(handler)
    before = incident.timeline.count()
    response = client.post(
        f"/api/v1/incidents/{incident.ref}/report-pdf/",
        {"tlp": "PURPLE"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_choice"
    assert incident.timeline.count() == before


def test_the_newest_kit_is_a_pdf_for_the_isms_office_and_a_404_before_the_first(
    client, organisation, isms_office
):
    client.force_login(isms_office)
    assert client.get("/api/v1/emergency-kit/").status_code == 404
    kit, _made = services.kit_regenerate(organisation=organisation, reason="on_demand")
    response = client.get("/api/v1/emergency-kit/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"emergency-kit-v{kit.version}.pdf" in response["Content-Disposition"]
