"""The CISA Known Exploited Vulnerabilities catalogue (known_exploited_vulnerabilities.json)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from vulns.importers import ids
from vulns.importers.jsonpath import Node
from vulns.importers.record import AdvisoryIn, FeedError


def parse(root: Node) -> list[AdvisoryIn]:
    if "catalogVersion" not in root.obj():
        raise FeedError(_("This is not a CISA KEV catalogue."), where="$.catalogVersion")
    records = []
    for item in root.get("vulnerabilities").items():
        vuln_id = item.get("cveID").text(max_length=64)
        if not ids.CVE.match(vuln_id):
            raise FeedError(_("A CVE id (CVE-YYYY-NNNN) is expected."), where=f"{item.path}.cveID")
        records.append(
            AdvisoryIn(
                vuln_id=vuln_id,
                document=item.obj(),
                title_en=item.get("vulnerabilityName", required=False).text(max_length=500),
                kev_listed=True,
                kev_added_on=item.get("dateAdded").day(),
            )
        )
    return records
