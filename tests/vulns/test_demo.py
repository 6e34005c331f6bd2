"""The demo (issue 23, acceptance): on `make run` the inventory (a VPN appliance, a mail server,
20 PCs) and the shipped feeds give findings, one KEV-listed on the internet-facing VPN with a
72-hour due date and an alert to the CSIRT lead; seeding again changes nothing."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from incidents.models import Asset
from notifications.models import Alert, Notification
from vulns.models import AdvisoryVersion, Finding, Software


def _counts():
    return (
        Software.objects.count(),
        Finding.objects.count(),
        AdvisoryVersion.objects.count(),
        Alert.objects.filter(event="vulnerability.exploitable").count(),
    )


def test_the_demo_has_a_kev_finding_on_the_vpn_due_in_72_hours_and_alerted(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=StringIO())
    vpn = Asset.objects.get(asset_tag="VPN-01")
    assert vpn.exposure.internet_facing
    pcs = Asset.objects.filter(asset_tag__regex=r"^PC-\d\d$", software__isnull=False).distinct()
    assert pcs.count() == 20
    assert Asset.objects.filter(asset_tag="MX-01", software__isnull=False).exists()
    kev = Finding.objects.get(asset=vpn, advisory__kev_listed=True)
    assert kev.advisory.vuln_id == "CVE-2024-21762"
    assert kev.due_at - kev.found_at == timedelta(hours=72)
    alert = Alert.objects.get(event="vulnerability.exploitable", subject=f"finding:{kev.pk}")
    assert Notification.objects.filter(alert=alert, recipient__username="csirt").exists()
    assert Finding.objects.filter(advisory__vuln_id="CVE-2024-11477").count() == 12
    assert Finding.objects.filter(asset__asset_tag="MX-01").count() == 2
    before = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before
