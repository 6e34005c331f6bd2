"""The demo's vulnerability information (issue 23): a VPN appliance and a mail server facing the
internet, 20 PCs with their software, and the shipped sample feeds imported, so the findings
list has a known exploited flaw on the VPN (due in 72 hours, the CSIRT lead alerted)."""

from __future__ import annotations

from pathlib import Path

from accounts.models import Organisation
from incidents.services.assets import asset_upsert
from vulns.models import Software
from vulns.services import inventory
from vulns.services.imports import feed_import

SAMPLES = Path(__file__).resolve().parent.parent / "vulns" / "samples"
FEEDS = [
    ("nvd", "nvd-cve-2.0.json"),
    ("csaf", "csaf-openssh.json"),
    ("jvn", "jvn-overview.xml"),
    ("kev", "cisa-kev.json"),
]
WINDOWS = (
    "Microsoft",
    "Windows 11",
    "10.0.22631.4460",
    "cpe:2.3:o:microsoft:windows_11_23h2:10.0.22631.4460:*:*:*:*:*:*:*",
)
# (tag, hostname, kind, exposure role or "", software: (vendor, product, version, cpe))
ASSETS = [
    (
        "VPN-01",
        "vpn.example.co.jp",
        "NETWORK_DEVICE",
        "VPN",
        [("Fortinet", "FortiOS", "7.0.12", "cpe:2.3:o:fortinet:fortios:7.0.12:*:*:*:*:*:*:*")],
    ),
    (
        "MX-01",
        "mail.example.co.jp",
        "SERVER",
        "MAIL",
        [
            ("Postfix", "Postfix", "3.7.5", "cpe:2.3:a:postfix:postfix:3.7.5:*:*:*:*:*:*:*"),
            ("OpenBSD", "OpenSSH", "9.6p1", "cpe:2.3:a:openbsd:openssh:9.6p1:*:*:*:*:*:*:*"),
        ],
    ),
] + [
    (
        f"PC-{n:02d}",
        f"PC-{n:02d}",
        "PC",
        "",
        # Twelve PCs still run 7-Zip 23.01 (affected); eight were updated to 24.08.
        [WINDOWS, ("7-Zip", "7-Zip", "23.01" if n <= 12 else "24.08", "")],
    )
    for n in range(1, 21)
]


def demo_vulns(org: Organisation) -> None:
    """Only what is missing: software already recorded is left as the user changed it."""
    for tag, hostname, kind, role, software in ASSETS:
        asset = asset_upsert(organisation_id=org.pk, asset_tag=tag, hostname=hostname, kind=kind)
        if role and not hasattr(asset, "exposure"):
            inventory.exposure_set(asset=asset, actor=None, internet_facing=True, role=role)
        for vendor, product, version, cpe in software:
            if not Software.objects.filter(asset=asset, vendor=vendor, product=product).exists():
                inventory.software_add(
                    asset=asset,
                    actor=None,
                    vendor=vendor,
                    product=product,
                    version=version,
                    cpe=cpe,
                )
    for kind, name in FEEDS:
        feed_import(kind=kind, data=(SAMPLES / name).read_bytes(), actor=None)
