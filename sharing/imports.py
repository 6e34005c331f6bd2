"""Import threat intelligence (issue 22 item 3): a STIX 2.1 bundle or a MISP event becomes
threat-intelligence items with their TLP, source and validity.

Idempotent: an item is keyed on the sender's id (STIX id, MISP uuid) and the value; the same
version again changes nothing, a newer ``modified`` updates it. A file that cannot be used is
refused before anything is stored (parse.read raises). The retro-hunt runs after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from common.errors import InvalidInput
from incidents import access, normalize
from sharing.intel import parse
from sharing.models import ThreatIntelItem

FIELDS = ("modified", "source", "name", "tlp", "valid_from", "valid_until", "value", "kind")


@dataclass
class ImportResult:
    source_format: str
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)

    @property
    def item_ids(self) -> list[int]:
        return self.created + self.updated + self.unchanged


def can_import(user: User) -> bool:
    """The ISMS office (the triagers) receives intelligence: it lands in their queue."""
    return access.can_triage(user)


def intel_import(
    *,
    organisation: Organisation,
    actor: User | None,
    raw: bytes,
    label: str = "",
    hunt: bool = True,
) -> ImportResult:
    """Store the usable values of the document; then the retro-hunt (a Celery task, after the
    commit) looks for them in the organisation's records."""
    if actor is not None:
        access.require(can_import(actor), "import threat intelligence")
    if len(label) > 200:
        raise InvalidInput("max_length", _("At most 200 characters."), field="source")
    document = parse.read(raw, label=label.strip())
    with transaction.atomic():
        result = _store(organisation, actor, document)
    if hunt and (result.created or result.updated):
        from sharing import tasks

        ids = result.created + result.updated
        transaction.on_commit(lambda: tasks.retrohunt_items.delay(organisation.pk, ids))
    return result


def _store(
    organisation: Organisation, actor: User | None, document: parse.Document
) -> ImportResult:
    result = ImportResult(document.source_format)
    seen: set[tuple[str, str]] = set()
    for parsed in document.items:
        digest = normalize.digest(parsed.kind, parsed.normalized)
        if (parsed.external_id, digest) in seen:
            continue
        seen.add((parsed.external_id, digest))
        values = {name: getattr(parsed, name) for name in FIELDS}
        item = (
            ThreatIntelItem.objects.select_for_update()
            .filter(organisation=organisation, external_id=parsed.external_id, digest=digest)
            .first()
        )
        if item is None:
            item = ThreatIntelItem.objects.create(
                organisation=organisation,
                source_format=document.source_format,
                external_id=parsed.external_id,
                normalized=parsed.normalized,
                digest=digest,
                imported_by=actor,
                **values,
            )
            result.created.append(item.pk)
        elif parsed.modified > item.modified:  # a newer version of the same object
            for name, value in values.items():
                setattr(item, name, value)
            item.save()
            result.updated.append(item.pk)
        else:
            result.unchanged.append(item.pk)
    return result
