"""The bell, the list page, acknowledging in the app and by the email's signed link."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from notifications import acklink, links
from notifications.models import Alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(open_decision, decision_maker, deputy):
    open_decision("ESTABLISH_IRT")
    return Alert.objects.get(event="decision.opened")


def test_the_bell_counts_alerts_waiting_for_the_user(client, alert, decision_maker, deputy):
    client.force_login(decision_maker)
    page = client.get(reverse("notifications:list"))
    assert page.status_code == 200
    assert '<span class="badge">1</span>' in page.content.decode()
    client.force_login(deputy)
    assert 'class="badge"' not in client.get(reverse("notifications:list")).content.decode()


def test_acknowledging_in_the_app(client, alert, decision_maker):
    client.force_login(decision_maker)
    response = client.post(reverse("notifications:acknowledge", args=[alert.pk]))
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == decision_maker and alert.acknowledged_via == "APP"
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'class="badge"' not in page


def test_someone_else_cannot_acknowledge_in_the_app(client, alert, deputy):
    client.force_login(deputy)
    response = client.post(reverse("notifications:acknowledge", args=[alert.pk]))
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_the_link_shows_a_button_and_only_the_post_acknowledges(client, alert, decision_maker):
    url = reverse(
        "notifications:ack_link",
        args=[acklink.token_for(alert_id=alert.pk, user_id=decision_maker.pk)],
    )
    page = client.get(url)
    assert page.status_code == 200 and "<form" in page.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_at is None  # a mail scanner's GET changes nothing
    done = client.post(url)
    assert (done.status_code, done["Location"]) == (302, url)  # a reload does not post again
    alert.refresh_from_db()
    assert alert.acknowledged_by == decision_maker and alert.acknowledged_via == "LINK"


def test_the_acknowledge_page_leads_on_to_the_decision(client, alert, decision_maker):
    url = reverse(
        "notifications:ack_link",
        args=[acklink.token_for(alert_id=alert.pk, user_id=decision_maker.pk)],
    )
    client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Acknowledged." in page
    assert f'href="/decisions/{alert.payload["decision"]}/"' in page
    assert "Open the decision" in page


def test_the_open_link_leads_to_the_decision_after_signing_in(client, alert, decision_maker):
    url = reverse(
        "notifications:open_link",
        args=[links.token_for(alert_id=alert.pk, user_id=decision_maker.pk)],
    )
    assert client.get(url)["Location"].startswith("/accounts/login/?next=/notifications/open/")
    client.force_login(decision_maker)
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (
        302,
        f"/decisions/{alert.payload['decision']}/",
    )


def test_a_forged_open_link_leads_nowhere(client, alert, decision_maker):
    client.force_login(decision_maker)
    forged = reverse("notifications:open_link", args=[f"{alert.pk}:x"])
    assert client.get(forged).status_code == 400


def test_an_open_link_of_another_organisation_is_a_404(client, alert, outsider):
    client.force_login(outsider)
    url = reverse(
        "notifications:open_link",
        args=[links.token_for(alert_id=alert.pk, user_id=outsider.pk)],
    )
    assert client.get(url).status_code == 404


def test_a_tampered_or_expired_link_is_refused(client, alert, decision_maker):
    token = acklink.token_for(alert_id=alert.pk, user_id=decision_maker.pk)
    tampered = reverse("notifications:ack_link", args=[token[:-2] + "xx"])
    assert client.post(tampered).status_code == 400
    later = timezone.now() + timedelta(days=8)
    with time_machine.travel(later, tick=False):
        expired = client.post(reverse("notifications:ack_link", args=[token]))
    assert expired.status_code == 400
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_the_office_sees_the_alerts_flagged_unacknowledged(client, alert, isms_office):
    Alert.objects.filter(pk=alert.pk).update(exhausted_at=timezone.now())
    client.force_login(isms_office)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "alert-unacknowledged" in page


def test_pages_have_no_inline_script_or_style(client, alert, decision_maker):
    client.force_login(decision_maker)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "<script>" not in page and "style=" not in page
