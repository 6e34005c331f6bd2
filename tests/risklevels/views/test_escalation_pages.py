from bcp.models import Decision
from risklevels.models import EscalationParams
from tests.conftest import PASSWORD, refused  # noqa: F401 - the cast logs in with it


def test_marking_a_second_pc_infected_shows_the_level_2_recommendation_and_its_reason(
    client, incident, handler, csirt_lead, decision_maker
):
    client.force_login(handler)
    response = client.post(
        f"/incidents/{incident.ref}/findings/",
        {
            "kind": "infection",
            "asset_tag": "PC-30",
            "asset_kind": "PC",
            "state": "SUSPECTED",
            "via": "MAIL",
            "status": "SUSPECTED",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "[L2-a]" in page
    assert "2 拡散" in page  # the recommended level by name, in Japanese
    escalation = Decision.objects.get(incident=incident, type="ESCALATE_LEVEL")
    client.force_login(csirt_lead)
    inbox = client.get("/decisions/").content.decode()
    assert incident.ref in inbox
    assert escalation.assignee == csirt_lead


def test_an_infection_without_an_asset_is_refused_and_records_nothing(client, incident, handler):
    client.force_login(handler)
    response = client.post(
        f"/incidents/{incident.ref}/findings/",
        {
            "kind": "infection",
            "asset_kind": "PC",
            "state": "SUSPECTED",
            "via": "MAIL",
            "status": "SUSPECTED",
        },
    )
    text = refused(client, response, f"/incidents/{incident.ref}/")
    assert '<details class="add-form" open>' in text
    assert incident.affected_assets.count() == 1


def test_reporter_cannot_record_findings(client, incident, reporter):
    client.force_login(reporter)
    response = client.post(
        f"/incidents/{incident.ref}/findings/",
        {"kind": "leak", "asset_kind": "PC", "state": "NONE", "via": "MAIL", "status": "SUSPECTED"},
    )
    assert response.status_code == 404


def test_html_in_a_finding_is_escaped(client, incident, handler):
    client.force_login(handler)
    client.post(
        f"/incidents/{incident.ref}/findings/",
        {
            "kind": "infection",
            "asset_tag": "<b>x</b>",
            "asset_kind": "PC",
            "state": "SUSPECTED",
            "via": "MAIL",
            "status": "SUSPECTED",
        },
    )
    page = client.get(f"/incidents/{incident.ref}/").content.decode()
    assert "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page


def test_settings_page_is_for_the_isms_office_and_versions_parameters(client, isms_office, handler):
    client.force_login(handler)
    assert client.get("/escalation/settings/").status_code == 403
    client.force_login(isms_office)
    page = client.get("/escalation/settings/").content.decode()
    assert "L1-01" in page and "隔離" in page
    response = client.post(
        "/escalation/settings/",
        {
            "infected_threshold": 3,
            "trend_rule": "on",
            "external_comm_trigger": "SUSPECTED",
            "leak_trigger": "SUSPECTED",
            "personal_data_store_rule": "on",
        },
    )
    assert response.status_code == 302
    assert EscalationParams.objects.order_by("-version").first().infected_threshold == 3
    bad = client.post(
        "/escalation/settings/",
        {
            "infected_threshold": 0,
            "external_comm_trigger": "SUSPECTED",
            "leak_trigger": "SUSPECTED",
        },
    )
    assert bad.status_code == 400


def test_timeline_shows_labels_for_entries_other_apps_write(client, incident, handler, csirt_lead):
    client.force_login(handler)
    client.post(
        f"/incidents/{incident.ref}/findings/",
        {
            "kind": "infection",
            "asset_tag": "PC-31",
            "asset_kind": "PC",
            "state": "SUSPECTED",
            "via": "MAIL",
            "status": "SUSPECTED",
        },
    )
    page = client.get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Recommended level changed" in page
    assert "Decision opened" in page
    assert "level.recommended" not in page
