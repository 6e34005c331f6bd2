"""Writes of the records app: a new emergency kit version when what it prints changed, the
printed mark the ISMS office sets, and the audit line of each incident report download."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from bcp import access as bcp_access
from common import clock, events
from common.errors import Conflict, Forbidden
from incidents.models import Incident, TimelineEntry
from incidents.services.timeline import timeline_append
from records import kit
from records.models import EmergencyKit

log = logging.getLogger(__name__)

ON_DEMAND = "on_demand"
REASONS = ("roster", "call_tree", "checklists", "rules", "contacts", "sweep", ON_DEMAND)


@transaction.atomic
def kit_regenerate(*, organisation: Organisation, reason: str) -> tuple[EmergencyKit, bool]:
    """The organisation's current kit, made anew (version + 1) only when what it prints
    differs from the latest version; (kit, made). Safe to run twice or at once."""
    # One regeneration per organisation at a time: the version numbers stay gapless.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk").get()
    content = kit.kit_content(organisation)
    digest = kit.fingerprint(content)
    latest = EmergencyKit.objects.of(organisation.pk).first()
    if latest is not None and latest.fingerprint == digest:
        return latest, False
    made = EmergencyKit.objects.create(
        organisation=organisation,
        version=(latest.version + 1) if latest else 1,
        fingerprint=digest,
        content=content,
        reason=reason if reason in REASONS else ON_DEMAND,
        created_at=clock.now(),
    )
    _remind_if_printed_copy_is_older(made)
    log.info("records.kit_made: organisation %s version %s", organisation.pk, made.version)
    return made, True


def _remind_if_printed_copy_is_older(made: EmergencyKit) -> None:
    """The copy on the wall no longer matches: tell the ISMS office (once per version)."""
    printed = (
        EmergencyKit.objects.of(made.organisation_id)
        .filter(printed_at__isnull=False, version__lt=made.version)
        .first()
    )
    if printed is not None:
        events.publish(
            "kit.outdated", organisation_id=made.organisation_id, kit=made, printed=printed
        )


@transaction.atomic
def kit_mark_printed(*, kit_version: EmergencyKit, actor: User) -> EmergencyKit:
    """The ISMS office printed this version and put the copies where they belong."""
    if (
        not bcp_access.can_manage_roster(actor)
        or actor.organisation_id != kit_version.organisation_id
    ):
        raise Forbidden("permission_denied", _("Only the ISMS office marks the kit as printed."))
    locked = EmergencyKit.objects.select_for_update().get(pk=kit_version.pk)
    newest = EmergencyKit.objects.of(locked.organisation_id).values_list("version", flat=True)[0]
    if locked.version != newest:
        raise Conflict(
            "KIT_NOT_NEWEST",
            _("A newer version of the kit exists; print that one."),
            newest=newest,
        )
    locked.printed_at, locked.printed_by = clock.now(), actor
    locked.save(update_fields=["printed_at", "printed_by"])
    return locked


def report_download_record(
    *, incident: Incident, actor: User, tlp: str, language: str
) -> TimelineEntry:
    """Each PDF of the incident report leaves a line on the incident's own trail."""
    return timeline_append(
        incident=incident,
        kind="report.downloaded",
        actor=actor,
        payload={"tlp": tlp, "language": language},
    )
