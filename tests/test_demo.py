from io import StringIO

from django.core.management import call_command

from bcp.models import Decision
from incidents.models import Incident


def test_seed_demo_creates_one_user_per_role_and_a_wave_to_look_at_once(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    printed, again = StringIO(), StringIO()  # read back without depending on a file's flush
    call_command("seed_demo", stdout=printed)
    call_command("seed_demo", stdout=again)
    incident = Incident.objects.get()
    assert (incident.level, incident.recommended_level) == (1, 2)
    assert incident.reports.count() == 3
    assert Decision.objects.filter(incident=incident, type="ESCALATE_LEVEL").count() == 1
    assert "president" in printed.getvalue() and incident.ref in printed.getvalue()
    assert incident.ref not in again.getvalue()
