"""Reading an SBOM: CycloneDX JSON and SPDX 2.x (JSON or tag-value) into pieces of software.

The maintained libraries read the documents: ``cyclonedx-python-lib`` validates a CycloneDX
file against the schema of its spec version (and says the JSON path of the first problem) and
builds each component; ``spdx-tools`` parses an SPDX document (JSON or tag-value). Before them,
the file is bounded here: at most ``MAX_BYTES``, JSON nested at most ``MAX_DEPTH`` deep, at most
``MAX_COMPONENTS`` components. Every refusal is a ``FeedError`` naming the path or line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from vulns.enums import InventoryImportKind
from vulns.importers.jsonpath import load
from vulns.importers.record import FeedError

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_COMPONENTS = 20_000


@dataclass
class ComponentIn:
    """One piece of software an SBOM names, with where it is in the file."""

    where: str
    product: str
    version: str
    vendor: str = ""
    cpe: str = ""
    purl: str = ""


@dataclass
class SbomIn:
    kind: str  # InventoryImportKind.CYCLONEDX or SPDX
    components: list[ComponentIn]
    skipped: int  # components without a version: nothing to match
    encoding: str = "utf-8"


def _depth_ok(value: Any) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH (iteratively: no recursion to exhaust)."""
    stack: list[tuple[Any, int, str]] = [(value, 1, "$")]
    while stack:
        node, depth, path = stack.pop()
        if depth > MAX_DEPTH:
            raise FeedError(
                _("The file is nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH},
                where=path,
            )
        if isinstance(node, dict):
            stack.extend((v, depth + 1, f"{path}.{k}") for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, depth + 1, f"{path}[{i}]") for i, v in enumerate(node))


def _load_json(data: bytes) -> Any:
    try:
        document = load(data)
    except RecursionError as error:
        raise FeedError(
            _("The file is nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH},
            where="$",
        ) from error
    _depth_ok(document)
    return document


def read(data: bytes) -> SbomIn:
    """A CycloneDX or SPDX document, told apart by its content."""
    if len(data) > MAX_BYTES:
        raise FeedError(_("The file is larger than 10 MB."), where="byte 0")
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        document = _load_json(data)
        if not isinstance(document, dict):
            raise FeedError(_("An object is expected here."), where="$")
        if document.get("bomFormat") == "CycloneDX":
            return _cyclonedx(document)
        if "spdxVersion" in document:
            return _spdx_json(document)
        raise FeedError(
            _("This JSON is neither a CycloneDX nor an SPDX document."), where="$.bomFormat"
        )
    if head.startswith(b"<"):
        raise FeedError(
            _("XML SBOMs are not read yet: export the SBOM as CycloneDX JSON or SPDX JSON."),
            where="line 1",
        )
    if re.match(rb"(#[^\n]*\n|\s)*SPDXVersion:", head):
        return _spdx_tag_value(data)
    raise FeedError(
        _("This is not an SBOM (CycloneDX JSON, SPDX JSON or SPDX tag-value)."), where="line 1"
    )


# --- CycloneDX ----------------------------------------------------------------------------------


def _cyclonedx(document: dict[str, Any]) -> SbomIn:
    from cyclonedx.model.component import Component
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonValidator

    try:
        schema = SchemaVersion.from_version(str(document.get("specVersion", "")))
    except ValueError as error:
        raise FeedError(
            _("CycloneDX spec version %(version)s is not known (1.2 to 1.6 are).")
            % {"version": str(document.get("specVersion", ""))[:20]},
            where="$.specVersion",
        ) from error
    problem = JsonValidator(schema).validate_str(json.dumps(document))
    if problem is not None:
        detail = getattr(problem, "data", None)
        raise FeedError(
            _("The CycloneDX schema refuses this: %(problem)s")
            % {"problem": str(getattr(detail, "message", problem))[:300]},
            where=str(getattr(detail, "json_path", "$")),
        )
    raw: list[tuple[str, dict[str, Any]]] = []
    metadata = document.get("metadata") or {}
    if isinstance(metadata.get("component"), dict):
        raw.append(("$.metadata.component", metadata["component"]))
    stack = [("$.components", document.get("components") or [])]
    while stack:
        path, items = stack.pop(0)
        for index, item in enumerate(items):
            raw.append((f"{path}[{index}]", item))
            if item.get("components"):
                stack.append((f"{path}[{index}].components", item["components"]))
    if len(raw) > MAX_COMPONENTS:
        raise FeedError(
            _("More than %(n)d components.") % {"n": MAX_COMPONENTS}, where="$.components"
        )
    found, skipped = [], 0
    for path, item in raw:
        flat = {k: v for k, v in item.items() if k != "components"}
        try:
            component = Component.from_json(flat)  # type: ignore[attr-defined]
        except Exception as error:  # the library's own errors have no common base
            raise FeedError(
                _("This component cannot be read: %(problem)s") % {"problem": str(error)[:300]},
                where=path,
            ) from error
        if not component.version:
            skipped += 1
            continue
        supplier = component.supplier.name if component.supplier else ""
        found.append(
            ComponentIn(
                where=path,
                product=component.name,
                version=component.version,
                vendor=supplier or component.publisher or component.group or "",
                cpe=component.cpe or "",
                purl=str(component.purl) if component.purl else "",
            )
        )
    return SbomIn(InventoryImportKind.CYCLONEDX, found, skipped)


# --- SPDX ---------------------------------------------------------------------------------------


def _spdx_json(document: dict[str, Any]) -> SbomIn:
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser

    version = str(document.get("spdxVersion"))
    if version not in ("SPDX-2.2", "SPDX-2.3"):
        raise FeedError(
            _("SPDX version %(version)s is not read (SPDX-2.2 and SPDX-2.3 are).")
            % {"version": version[:20]},
            where="$.spdxVersion",
        )
    packages = document.get("packages") or []
    if not isinstance(packages, list):
        raise FeedError(_("A list is expected here."), where="$.packages")
    if len(packages) > MAX_COMPONENTS:
        raise FeedError(
            _("More than %(n)d components.") % {"n": MAX_COMPONENTS}, where="$.packages"
        )
    for index, package in enumerate(packages):
        for key in ("SPDXID", "name"):
            if not isinstance(package, dict) or not isinstance(package.get(key), str):
                raise FeedError(
                    _("%(key)s is missing.") % {"key": key}, where=f"$.packages[{index}].{key}"
                )
    try:
        parsed = JsonLikeDictParser().parse(document)
    except SPDXParsingError as error:
        raise FeedError(_spdx_problem(error), where="$") from error
    return _spdx_packages(parsed, [f"$.packages[{i}]" for i in range(len(parsed.packages))])


def _spdx_tag_value(data: bytes) -> SbomIn:
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.tagvalue.parser import Parser

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FeedError(_("The file is not UTF-8 text."), where=f"byte {error.start}") from error
    if text.count("PackageName:") > MAX_COMPONENTS:
        raise FeedError(_("More than %(n)d components.") % {"n": MAX_COMPONENTS}, where="line 1")
    try:
        parsed = Parser().parse(text)
    except SPDXParsingError as error:
        line = re.search(r"line:? (\d+)", " ".join(error.get_messages()))
        raise FeedError(
            _spdx_problem(error), where=f"line {line.group(1)}" if line else "line 1"
        ) from error
    return _spdx_packages(parsed, [f"PackageName: {p.name}"[:120] for p in parsed.packages])


def _spdx_problem(error: Exception) -> str:
    messages = getattr(error, "get_messages", lambda: [str(error)])()
    return str(
        _("The SPDX document cannot be read: %(problem)s")
        % {"problem": str(messages[0] if messages else error)[:300]}
    )


def _spdx_packages(document: Any, where: list[str]) -> SbomIn:
    found, skipped = [], 0
    for path, package in zip(where, document.packages, strict=True):
        version = package.version if isinstance(package.version, str) else ""
        if not version:
            skipped += 1
            continue
        cpe = purl = ""
        for ref in package.external_references:
            if ref.reference_type == "cpe23Type" and not cpe:
                cpe = ref.locator
            elif ref.reference_type == "purl" and not purl:
                purl = ref.locator
        supplier = getattr(package.supplier, "name", "") or ""
        found.append(
            ComponentIn(
                where=path,
                product=package.name,
                version=version,
                vendor=supplier,
                cpe=cpe,
                purl=purl,
            )
        )
    return SbomIn(InventoryImportKind.SPDX, found, skipped)
