"""CSAF 2.0 documents (OASIS): the product tree's versions and VERS ranges, CPE or purl, and
each vulnerability's known-affected products and CVSS."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.errors import InvalidInput
from vulns import keys, versions
from vulns.importers import ids
from vulns.importers.jsonpath import Node
from vulns.importers.record import AdvisoryIn, FeedError, RangeIn


def _product_key(product: Node, vendor: str, name: str) -> str:
    helper = product.get("product_identification_helper", required=False)
    row = helper.value if isinstance(helper.value, dict) else {}
    try:
        if row.get("purl"):
            return keys.purl_parts(str(row["purl"]))[0]
        if row.get("cpe"):
            parts = keys.cpe_parts(str(row["cpe"]))
            return keys.cpe_key(parts[3], parts[4])
    except InvalidInput as error:
        raise FeedError(error.message, where=helper.path) from error
    return keys.cpe_key(vendor, name)


def _walk(branch: Node, context: dict[str, str], out: dict[str, RangeIn]) -> None:
    row = branch.obj()
    category, name = row.get("category"), branch.get("name").text(max_length=500)
    here = {**context, category: name}
    if category in ("product_version", "product_version_range") and "product" in row:
        product = branch.get("product")
        key = _product_key(product, here.get("vendor", ""), here.get("product_name", ""))
        if category == "product_version":
            vers = versions.range_string(exact=name)
        elif name.startswith("vers:") and versions.is_valid(name):
            vers = name
        else:
            raise FeedError(_("A VERS range (vers:…) is expected."), where=f"{branch.path}.name")
        out[product.get("product_id").text(max_length=200)] = RangeIn(key, vers, name)
    for child in branch.get("branches", required=False).items(required=False):
        _walk(child, here, out)


def _vector(vulnerability: Node) -> str:
    for score in vulnerability.get("scores", required=False).items(required=False):
        for name in ("cvss_v3", "cvss_v4"):
            metric = score.obj().get(name)
            if isinstance(metric, dict) and metric.get("vectorString"):
                return score.get(name).get("vectorString").text(max_length=200)
    return ""


def parse(root: Node) -> list[AdvisoryIn]:
    document = root.get("document")
    if document.get("csaf_version").text(max_length=10) != "2.0":
        raise FeedError(_("Only CSAF 2.0 is read."), where="$.document.csaf_version")
    products: dict[str, RangeIn] = {}
    for branch in root.get("product_tree").get("branches", required=False).items(required=False):
        _walk(branch, {}, products)
    tracking_id = document.get("tracking").get("id").text(max_length=64)
    records = []
    for item in root.get("vulnerabilities").items():
        vuln_id = item.get("cve", required=False).text(max_length=64) or tracking_id
        if not ids.ANY.match(vuln_id):
            raise FeedError(_("The vulnerability has no usable id."), where=f"{item.path}.cve")
        affected = item.get("product_status", required=False)
        known = affected.get("known_affected", required=False) if affected.value else Node(None)
        ranges = []
        for ref in known.items(required=False):
            product_id = ref.text(max_length=200)
            if product_id not in products:
                raise FeedError(_("This product is not in the product tree."), where=ref.path)
            ranges.append(products[product_id])
        records.append(
            AdvisoryIn(
                vuln_id=vuln_id,
                document=item.obj(),
                title_en=item.get("title", required=False).text(max_length=500)
                or document.get("title").text(max_length=500),
                cvss_vector=_vector(item),
                ranges=ranges,
            )
        )
    return records
