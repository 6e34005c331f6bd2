"""NVD CVE API 2.0 JSON (``{"format": "NVD_CVE", "vulnerabilities": [{"cve": …}]}``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.errors import InvalidInput
from vulns import keys, versions
from vulns.importers import ids
from vulns.importers.jsonpath import Node
from vulns.importers.record import AdvisoryIn, FeedError, RangeIn

METRICS = ("cvssMetricV40", "cvssMetricV31", "cvssMetricV30")


def _vector(metrics: Node) -> str:
    if metrics.value is None:
        return ""
    for name in ("cvssMetricV31", "cvssMetricV30", "cvssMetricV40"):
        rows = metrics.get(name, required=False).items(required=False)
        primary = [r for r in rows if r.obj().get("type") == "Primary"] or rows
        if primary:
            return primary[0].get("cvssData").get("vectorString").text(max_length=200)
    return ""


def _ranges(configurations: Node) -> list[RangeIn]:
    out = []
    for config in configurations.items(required=False):
        for node in config.get("nodes").items():
            for match in node.get("cpeMatch", required=False).items(required=False):
                row = match.obj()
                if not row.get("vulnerable", False):
                    continue
                criteria = match.get("criteria").text(max_length=500)
                try:
                    parts = keys.cpe_parts(criteria)
                except InvalidInput as error:
                    raise FeedError(error.message, where=f"{match.path}.criteria") from error
                vers = versions.range_string(
                    exact=parts[5],
                    start_including=row.get("versionStartIncluding", ""),
                    start_excluding=row.get("versionStartExcluding", ""),
                    end_including=row.get("versionEndIncluding", ""),
                    end_excluding=row.get("versionEndExcluding", ""),
                )
                if not versions.is_valid(vers):
                    raise match.fail(_("The version range cannot be read."))
                out.append(RangeIn(keys.cpe_key(parts[3], parts[4]), vers, criteria))
    return out


def parse(root: Node) -> list[AdvisoryIn]:
    if root.obj().get("format") != "NVD_CVE":
        raise FeedError(_("This is not an NVD CVE JSON 2.0 file."), where="$.format")
    records = []
    for item in root.get("vulnerabilities").items():
        cve = item.get("cve")
        vuln_id = cve.get("id").text(max_length=64)
        if not ids.CVE.match(vuln_id):
            raise FeedError(_("A CVE id (CVE-YYYY-NNNN) is expected."), where=f"{cve.path}.id")
        descriptions = cve.get("descriptions").items()
        english = [d for d in descriptions if d.obj().get("lang") == "en"]
        records.append(
            AdvisoryIn(
                vuln_id=vuln_id,
                document=cve.obj(),
                summary_en=english[0].get("value").text() if english else "",
                cvss_vector=_vector(cve.get("metrics", required=False)),
                published_at=cve.get("published", required=False).moment(),
                ranges=_ranges(cve.get("configurations", required=False)),
            )
        )
    return records
