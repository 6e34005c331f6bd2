"""The organisation's BCP plan: the services the cyber BCP would stop, and the call tree.

Kept by the ISMS office; read by everyone with a role when the BCP is activated.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from accounts.roles import Role
from bcp import access
from bcp.enums import BcpActionKind
from bcp.models import BcpPlanService, CallTreeEntry
from common import events
from common.errors import Forbidden, InvalidInput

logger = logging.getLogger(__name__)

SERVICE_FIELDS = ("name", "owner", "stops_when", "workaround", "restore_procedure", "order")
CALL_FIELDS = ("caller_role", "callee", "phone", "order")


def _require_keeper(actor: User, organisation_id: int) -> None:
    if not access.can_manage_roster(actor) or actor.organisation_id != organisation_id:
        raise Forbidden("permission_denied", _("Only the ISMS office keeps the BCP plan."))


def _clean_service(organisation_id: int, data: dict[str, Any]) -> dict[str, Any]:
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
        if not data["name"]:
            raise InvalidInput("required", _("Name the service."), field="name")
    owner = data.get("owner")
    if owner is not None and owner.organisation_id != organisation_id:
        raise InvalidInput(
            "not_a_member", _("Choose a person of this organisation."), field="owner"
        )
    if "stops_when" in data and data["stops_when"] not in BcpActionKind.values:
        raise InvalidInput("invalid_choice", _("Unknown kind of BCP action."), field="stops_when")
    return data


def _clean_call(data: dict[str, Any]) -> dict[str, Any]:
    if "callee" in data:
        data["callee"] = (data["callee"] or "").strip()
        if not data["callee"]:
            raise InvalidInput("required", _("Say whom to call."), field="callee")
    if "caller_role" in data and data["caller_role"] not in Role.values:
        raise InvalidInput("invalid_choice", _("Unknown role."), field="caller_role")
    return data


def _pick(changes: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: value for name, value in changes.items() if name in fields}


@transaction.atomic
def plan_service_add(*, organisation: Organisation, actor: User, **fields: Any) -> BcpPlanService:
    """Add a service that the BCP would stop, with its owner, workaround and restore steps."""
    _require_keeper(actor, organisation.pk)
    data = _clean_service(organisation.pk, _pick(fields, SERVICE_FIELDS))
    service = BcpPlanService.objects.create(organisation=organisation, **data)
    logger.info("bcp.plan_service_added by %s: %s", actor.pk, service.pk)
    return service


@transaction.atomic
def plan_service_update(
    *, service: BcpPlanService, actor: User, changes: dict[str, Any]
) -> BcpPlanService:
    _require_keeper(actor, service.organisation_id)
    service = BcpPlanService.objects.select_for_update().get(pk=service.pk)
    data = _clean_service(service.organisation_id, _pick(changes, SERVICE_FIELDS))
    for name, value in data.items():
        setattr(service, name, value)
    service.save()
    logger.info("bcp.plan_service_changed by %s: %s", actor.pk, service.pk)
    return service


@transaction.atomic
def plan_service_remove(*, service: BcpPlanService, actor: User) -> None:
    _require_keeper(actor, service.organisation_id)
    logger.info("bcp.plan_service_removed by %s: %s", actor.pk, service.pk)
    BcpPlanService.objects.filter(pk=service.pk).delete()


@transaction.atomic
def call_tree_entry_add(*, organisation: Organisation, actor: User, **fields: Any) -> CallTreeEntry:
    """Add a line to the call tree: which role calls whom, on which number, in which order."""
    _require_keeper(actor, organisation.pk)
    data = _clean_call(_pick(fields, CALL_FIELDS))
    entry = CallTreeEntry.objects.create(organisation=organisation, **data)
    logger.info("bcp.call_tree_added by %s: %s", actor.pk, entry.pk)
    _call_tree_changed(organisation.pk)
    return entry


@transaction.atomic
def call_tree_entry_update(
    *, entry: CallTreeEntry, actor: User, changes: dict[str, Any]
) -> CallTreeEntry:
    _require_keeper(actor, entry.organisation_id)
    entry = CallTreeEntry.objects.select_for_update().get(pk=entry.pk)
    for name, value in _clean_call(_pick(changes, CALL_FIELDS)).items():
        setattr(entry, name, value)
    entry.save()
    logger.info("bcp.call_tree_changed by %s: %s", actor.pk, entry.pk)
    _call_tree_changed(entry.organisation_id)
    return entry


@transaction.atomic
def call_tree_entry_remove(*, entry: CallTreeEntry, actor: User) -> None:
    _require_keeper(actor, entry.organisation_id)
    logger.info("bcp.call_tree_removed by %s: %s", actor.pk, entry.pk)
    CallTreeEntry.objects.filter(pk=entry.pk).delete()
    _call_tree_changed(entry.organisation_id)


def _call_tree_changed(organisation_id: int) -> None:
    """The emergency kit prints the call tree (records regenerates it after commit)."""
    events.publish("plan.changed", organisation_id=organisation_id, what="call_tree")
