"""The demo shows communications: PR's draft on the demo incident, the templates and the
external contacts, once; the visitor's staff warning completes the N-1 task from the record."""

from io import StringIO

from django.core.management import call_command

from accounts.models import User
from comms.models import Communication, ExternalContact, MessageTemplate
from comms.services import communications, mailing, templates
from incidents.models import Incident, Task
from tests.comms.conftest import written


def test_the_demo_has_a_draft_templates_and_contacts_once(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    incident = Incident.objects.filter(is_exercise=False).earliest("id")
    draft = Communication.objects.get(incident=incident)
    assert (draft.audience, draft.status, draft.created_by.username) == ("PARTNERS", "DRAFT", "pr")
    assert MessageTemplate.objects.count() == 16
    assert ExternalContact.objects.filter(kind="INSURER").get().reference_no
    office = User.objects.get(username="isms")
    warning = templates.communication_from_template(
        incident=incident, actor=office, kind="STAFF_WARNING"
    )
    written(warning, office)
    communications.communication_move(communication=warning, actor=office, status="APPROVED")
    mailing.communication_mail(communication=warning, actor=office)
    assert Task.objects.get(incident=incident, code="L1-02").status == "DONE"
