from django.core.management import call_command

from bcp.models import Decision
from incidents.models import Incident


def test_seed_demo_creates_one_user_per_role_and_a_wave_to_look_at_once(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open(tmp_path / "again.txt", "w"))  # noqa: SIM115
    incident = Incident.objects.get()
    assert (incident.level, incident.recommended_level) == (1, 2)
    assert incident.reports.count() == 3
    assert Decision.objects.filter(incident=incident, type="ESCALATE_LEVEL").count() == 1
    printed = (tmp_path / "out.txt").read_text()
    assert "president" in printed and incident.ref in printed
    assert incident.ref not in (tmp_path / "again.txt").read_text()
