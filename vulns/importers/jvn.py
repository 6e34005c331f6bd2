"""JVN overview XML (MyJVN API getVulnOverviewList / JVNRSS, RSS 1.0 with the sec: module),
read with defusedxml: Japanese titles and summaries, the CVE ids an entry refers to, CVSS.

JVN names the affected products without versions (sec:cpe is a CPE 2.2 product), so a JVN
entry adds no ranges: the versions come from NVD or the vendor's CSAF.
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext_lazy as _

from vulns.importers import ids
from vulns.importers.record import AdvisoryIn, FeedError

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rss": "http://purl.org/rss/1.0/",
    "sec": "http://jvn.jp/rss/mod_sec/3.0/",
    "dcterms": "http://purl.org/dc/terms/",
}


def _text(item: Element, path: str) -> str:
    found = item.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _issued(item: Element, where: str) -> datetime | None:
    text = _text(item, "dcterms:issued")
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise FeedError(_("A date and time (ISO 8601) is expected here."), where=where) from error
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _vector(item: Element) -> str:
    best = ""
    for cvss in item.findall("sec:cvss", NS):
        vector = cvss.get("vector", "")
        if vector.startswith("CVSS:3") or (vector.startswith("CVSS:4") and not best):
            best = vector
    return best


def _record(item: Element, index: int) -> AdvisoryIn:
    where = f"item[{index}]"
    jvn_id = _text(item, "sec:identifier")
    if not ids.JVNDB.match(jvn_id):
        raise FeedError(_("A JVN id (JVNDB-YYYY-NNNNNN) is expected."), where=f"{where}/identifier")
    cves = [
        ref.get("id", "")
        for ref in item.findall("sec:references", NS)
        if ref.get("source") == "CVE" and ids.CVE.match(ref.get("id", ""))
    ]
    title = _text(item, "rss:title")
    if not title:
        raise FeedError(_("The entry has no title."), where=f"{where}/title")
    return AdvisoryIn(
        vuln_id=cves[0] if cves else jvn_id,
        jvn_id=jvn_id,
        document={
            "identifier": jvn_id,
            "title": title,
            "description": _text(item, "rss:description"),
            "link": _text(item, "rss:link"),
            "cves": cves,
            "cvss": _vector(item),
        },
        title_ja=title[:500],
        summary_ja=_text(item, "rss:description"),
        cvss_vector=_vector(item),
        published_at=_issued(item, f"{where}/issued"),
    )


def parse_xml(data: bytes) -> list[AdvisoryIn]:
    try:
        root = fromstring(data)
    except ParseError as error:
        line, column = error.position
        raise FeedError(
            _("The file is not well-formed XML."), where=f"line {line}, column {column}"
        ) from error
    except DefusedXmlException as error:
        raise FeedError(
            _("The XML uses entities or DTDs, which are refused."), where="line 1"
        ) from error
    if root.tag != f"{{{NS['rdf']}}}RDF":
        raise FeedError(_("This is not a JVN overview (RSS 1.0) file."), where="/")
    return [_record(item, i) for i, item in enumerate(root.findall("rss:item", NS))]
