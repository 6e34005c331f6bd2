"""The ISMS office lists, adds and disables alert sources; the secret is shown once."""

from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from incidents.models import AlertSource
from tests.factories import OrganisationFactory, RoleAssignmentFactory, UserFactory

PAGE = "/intake/sources/"
FORM = {
    "name": "Defender",
    "format": "DEFENDER",
    "replay_window_minutes": 5,
    "repeat_window_hours": 24,
}


def test_the_isms_office_adds_a_source_and_sees_its_address_and_secret_once(client, isms_office):
    client.force_login(isms_office)
    response = client.post(PAGE, FORM)
    assert response.status_code == 200
    source = AlertSource.objects.get()
    assert source.organisation_id == isms_office.organisation_id
    assert source.replay_window_seconds == 300 and source.repeat_window_seconds == 86400
    secret = response.context["secret"]
    assert secret in response.text
    assert reverse("incidents:alert_hook", args=[source.token]) in response.text
    assert secret not in source.secret_encrypted
    assert secret not in client.get(PAGE).text


def test_a_refused_source_is_400_and_adds_nothing(client, isms_office):
    client.force_login(isms_office)
    client.post(PAGE, FORM)
    response = client.post(PAGE, FORM)  # the same name again
    assert response.status_code == 400
    assert AlertSource.objects.count() == 1
    assert client.post(PAGE, {**FORM, "name": "x", "format": "SPLUNK"}).status_code == 400


def test_the_page_lists_sources_in_japanese(client, isms_office):
    client.force_login(isms_office)
    client.post(PAGE, FORM)
    with translation.override("ja"):
        text = client.get(PAGE, headers={"accept-language": "ja"}).text
    assert "検知アラートの送信元" in text
    assert "受信中" in text and "Receiving" not in text


def test_the_isms_office_disables_a_source(client, isms_office):
    client.force_login(isms_office)
    client.post(PAGE, FORM)
    source = AlertSource.objects.get()
    response = client.post(reverse("incidents:alert_source_disable", args=[source.pk]))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.disabled_at is not None


def test_a_worker_may_not_open_the_page(client, reporter):
    client.force_login(reporter)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, FORM).status_code == 403
    assert not AlertSource.objects.exists()


def test_another_organisations_isms_office_cannot_see_or_disable_our_source(client, isms_office):
    client.force_login(isms_office)
    client.post(PAGE, FORM)
    source = AlertSource.objects.get()
    other = OrganisationFactory(name="別会社")
    office = UserFactory(organisation=other, username="other-isms")
    RoleAssignmentFactory(organisation=other, user=office, role=Role.ISMS_OFFICE)
    client.force_login(office)
    assert "EDR 東京本社" not in client.get(PAGE).text
    response = client.post(reverse("incidents:alert_source_disable", args=[source.pk]))
    assert response.status_code == 404
    source.refresh_from_db()
    assert source.disabled_at is None
