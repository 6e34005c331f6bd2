"""The Django admin shows the incident record but never changes it (issue 14): a POST to the
change, delete or add page is refused, through the admin URLs."""

import pytest

from bcp.models import BcpActivation, Decision
from bcp.services import decisions
from incidents.models import EvidenceItem, Fact, Incident, TimelineEntry
from isms.models import CorrectiveAction
from tests.factories import UserFactory
from tests.isms.conftest import add_action


@pytest.fixture
def admin_client(client, organisation):
    admin = UserFactory(
        organisation=organisation, username="root", is_staff=True, is_superuser=True
    )
    client.force_login(admin)
    return client


@pytest.fixture
def records(incident, decision_maker, isms_office):
    cut = decisions.decision_open(incident=incident, decision_type="CUT_ALL_EXTERNAL_NETWORK")
    decisions.decision_decide(decision=cut, actor=decision_maker, outcome="APPROVED", rationale="r")
    return {
        "incidents/incident": incident,
        "incidents/timelineentry": TimelineEntry.objects.filter(incident=incident).first(),
        "incidents/fact": Fact.objects.filter(incident=incident).first(),
        "bcp/decision": Decision.objects.get(pk=cut.pk),
        "bcp/bcpactivation": BcpActivation.objects.get(incident=incident),
        "isms/correctiveaction": add_action(incident, isms_office),
    }


MODELS = [
    "incidents/incident",
    "incidents/timelineentry",
    "incidents/fact",
    "bcp/decision",
    "bcp/bcpactivation",
    "isms/correctiveaction",
]


@pytest.mark.parametrize("model", MODELS)
def test_the_admin_shows_a_record_read_only(admin_client, records, model):
    obj = records[model]
    page = admin_client.get(f"/admin/{model}/{obj.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.text


@pytest.mark.parametrize("model", MODELS)
def test_an_admin_post_to_change_or_delete_a_record_is_refused(admin_client, records, model):
    obj = records[model]
    model_class = type(obj)
    before = model_class.objects.filter(pk=obj.pk).values().get()
    changed = admin_client.post(f"/admin/{model}/{obj.pk}/change/", {"title": "書き換え"})
    deleted = admin_client.post(f"/admin/{model}/{obj.pk}/delete/", {"post": "yes"})
    added = admin_client.post(f"/admin/{model}/add/", {})
    assert (changed.status_code, deleted.status_code, added.status_code) == (403, 403, 403)
    assert model_class.objects.filter(pk=obj.pk).values().get() == before


def test_the_bulk_delete_action_is_not_offered(admin_client, records):
    page = admin_client.get("/admin/incidents/incident/")
    assert page.status_code == 200
    assert "delete_selected" not in page.text
    assert Incident.objects.count() == 1


def test_evidence_is_read_only_too(admin_client, incident, handler):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from incidents.services import evidence

    item = evidence.evidence_upload(
        incident=incident, actor=handler, upload=SimpleUploadedFile("a.log", b"log")
    )
    response = admin_client.post(
        f"/admin/incidents/evidenceitem/{item.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert EvidenceItem.objects.filter(pk=item.pk).exists()
    assert CorrectiveAction.objects.count() == 0
