"""The ISMS office keeps the roster: role assignments, absences and delegations (rule D-2).

Each change is validated here (same organisation, a window that ends after it starts, a free
rank), written in one transaction and logged as an audit line naming the actor.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import directory
from accounts import services as account_services
from accounts.models import Absence, Delegation, Organisation, RoleAssignment, User
from accounts.roles import DecisionType, Role
from bcp import access
from common import events
from common.errors import Conflict, Forbidden, InvalidInput

logger = logging.getLogger(__name__)


def _require_keeper(actor: User, organisation_id: int | None) -> None:
    if not access.can_manage_roster(actor) or actor.organisation_id != organisation_id:
        raise Forbidden("permission_denied", _("Only the ISMS office keeps the roster."))


def _audit(event: str, actor: User, **fields: Any) -> None:
    logger.info("%s by %s: %s", event, actor.pk, fields, extra={"audit": event, **fields})


def _member(user: User, organisation_id: int | None, field: str) -> None:
    if user.organisation_id != organisation_id or not user.is_active:
        raise InvalidInput("not_a_member", _("Choose a person of this organisation."), field=field)


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise InvalidInput("invalid_choice", _("Unknown role."), field="role")


def _check_scope(scope: list[str] | None) -> list[str]:
    scope = list(dict.fromkeys(scope or []))
    if set(scope) - set(DecisionType.values):
        raise InvalidInput(
            "invalid_choice", _("Unknown decision type in the scope."), field="authority_scope"
        )
    return scope


def _check_window(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise InvalidInput(
            "WINDOW_ENDS_BEFORE_START", _("The end must be after the start."), field="ends_at"
        )


def _check_rank_free(
    organisation_id: int, role: str, priority: int, user: User, exclude: int | None = None
) -> None:
    if priority < 1:
        raise InvalidInput("invalid_rank", _("The rank starts at 1 (primary)."), field="priority")
    same_role = RoleAssignment.objects.filter(organisation_id=organisation_id, role=role)
    if exclude is not None:
        same_role = same_role.exclude(pk=exclude)
    if same_role.filter(priority=priority).exists():
        raise Conflict(
            "RANK_TAKEN", _("Someone already holds this role at this rank."), field="priority"
        )
    if same_role.filter(user=user).exists():
        raise Conflict("ALREADY_HOLDS_ROLE", _("This person already holds the role."), field="user")


# --- Role assignments -----------------------------------------------------------------------------


@transaction.atomic
def role_assignment_add(
    *,
    organisation: Organisation,
    actor: User,
    role: str,
    user: User,
    priority: int,
    authority_scope: list[str] | None = None,
) -> RoleAssignment:
    """Give ``user`` the role at ``priority`` (1 = primary); the scope limits a deputy."""
    _require_keeper(actor, organisation.pk)
    _check_role(role)
    _member(user, organisation.pk, "user")
    scope = _check_scope(authority_scope)
    _check_rank_free(organisation.pk, role, priority, user)
    assignment = account_services.role_assign(
        organisation=organisation, role=role, user=user, priority=priority, authority_scope=scope
    )
    _audit("roster.assignment_added", actor, assignment=assignment.pk, role=role, user=user.pk)
    _roster_changed(organisation.pk)
    return assignment


@transaction.atomic
def role_assignment_update(
    *,
    assignment: RoleAssignment,
    actor: User,
    priority: int | None = None,
    authority_scope: list[str] | None = None,
) -> RoleAssignment:
    """Change the rank or the scope; the role and the person stay (remove and add instead)."""
    _require_keeper(actor, assignment.organisation_id)
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if priority is not None and priority != assignment.priority:
        _check_rank_free(
            assignment.organisation_id, assignment.role, priority, assignment.user, assignment.pk
        )
        assignment.priority = priority
    if authority_scope is not None:
        assignment.authority_scope = _check_scope(authority_scope)
    _full_clean(assignment)
    assignment.save()
    _audit("roster.assignment_changed", actor, assignment=assignment.pk)
    _roster_changed(assignment.organisation_id)
    return assignment


@transaction.atomic
def role_assignment_remove(*, assignment: RoleAssignment, actor: User) -> None:
    """Take the role away; refused for the last active holder of ISMS office or decision maker
    (409 ``LAST_HOLDER``), the same guard as deactivating the person."""
    _require_keeper(actor, assignment.organisation_id)
    directory.ensure_not_last_holder(
        organisation_id=assignment.organisation_id,
        user_id=assignment.user_id,
        roles=[assignment.role],
    )
    _audit(
        "roster.assignment_removed",
        actor,
        assignment=assignment.pk,
        role=assignment.role,
        user=assignment.user_id,
    )
    RoleAssignment.objects.filter(pk=assignment.pk).delete()
    _roster_changed(assignment.organisation_id)


def _roster_changed(organisation_id: int) -> None:
    """The chains the emergency kit prints moved (records regenerates it after commit)."""
    events.publish("plan.changed", organisation_id=organisation_id, what="roster")


def _full_clean(instance: Any) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput("invalid", messages[0], field=field) from exc


# --- Absences -------------------------------------------------------------------------------------


@transaction.atomic
def absence_add(
    *, actor: User, user: User, starts_at: datetime, ends_at: datetime, reason: str = ""
) -> Absence:
    """Mark ``user`` away from ``starts_at`` to ``ends_at``: rule D-2 skips them meanwhile."""
    _require_keeper(actor, actor.organisation_id)
    _member(user, actor.organisation_id, "user")
    _check_window(starts_at, ends_at)
    absence = Absence.objects.create(
        user=user, starts_at=starts_at, ends_at=ends_at, reason=reason.strip()[:200]
    )
    _audit("roster.absence_added", actor, absence=absence.pk, user=user.pk)
    return absence


@transaction.atomic
def absence_update(
    *,
    absence: Absence,
    actor: User,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    reason: str | None = None,
) -> Absence:
    absence = Absence.objects.select_for_update().select_related("user").get(pk=absence.pk)
    _require_keeper(actor, absence.user.organisation_id)
    absence.starts_at = starts_at or absence.starts_at
    absence.ends_at = ends_at or absence.ends_at
    _check_window(absence.starts_at, absence.ends_at)
    if reason is not None:
        absence.reason = reason.strip()[:200]
    absence.save()
    _audit("roster.absence_changed", actor, absence=absence.pk)
    return absence


@transaction.atomic
def absence_remove(*, absence: Absence, actor: User) -> None:
    _require_keeper(actor, absence.user.organisation_id)
    _audit("roster.absence_removed", actor, absence=absence.pk, user=absence.user_id)
    Absence.objects.filter(pk=absence.pk).delete()


# --- Delegations ----------------------------------------------------------------------------------


def _check_delegation(organisation_id: int, role: str, delegator: User, delegate: User) -> None:
    _check_role(role)
    _member(delegator, organisation_id, "delegator")
    _member(delegate, organisation_id, "delegate")
    if delegator.pk == delegate.pk:
        raise InvalidInput(
            "DELEGATE_IS_DELEGATOR", _("Delegate to someone else."), field="delegate"
        )
    holds = RoleAssignment.objects.filter(
        organisation_id=organisation_id, role=role, user=delegator
    ).exists()
    if not holds:
        raise InvalidInput(
            "DELEGATOR_NOT_HOLDER",
            _("Only a holder of the role can delegate it."),
            field="delegator",
        )


@transaction.atomic
def delegation_add(
    *,
    organisation: Organisation,
    actor: User,
    role: str,
    delegator: User,
    delegate: User,
    starts_at: datetime,
    ends_at: datetime,
    reason: str = "",
) -> Delegation:
    """ "A's role R to B from … to …": B stands before A in the chain during the window."""
    _require_keeper(actor, organisation.pk)
    _check_delegation(organisation.pk, role, delegator, delegate)
    _check_window(starts_at, ends_at)
    delegation = Delegation.objects.create(
        organisation=organisation,
        role=role,
        delegator=delegator,
        delegate=delegate,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip()[:200],
    )
    _audit("roster.delegation_added", actor, delegation=delegation.pk, role=role)
    return delegation


@transaction.atomic
def delegation_update(
    *,
    delegation: Delegation,
    actor: User,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    reason: str | None = None,
) -> Delegation:
    """Move the window or change the reason; who delegates what to whom stays."""
    _require_keeper(actor, delegation.organisation_id)
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    delegation.starts_at = starts_at or delegation.starts_at
    delegation.ends_at = ends_at or delegation.ends_at
    _check_window(delegation.starts_at, delegation.ends_at)
    if reason is not None:
        delegation.reason = reason.strip()[:200]
    delegation.save()
    _audit("roster.delegation_changed", actor, delegation=delegation.pk)
    return delegation


@transaction.atomic
def delegation_remove(*, delegation: Delegation, actor: User) -> None:
    _require_keeper(actor, delegation.organisation_id)
    _audit("roster.delegation_removed", actor, delegation=delegation.pk, role=delegation.role)
    Delegation.objects.filter(pk=delegation.pk).delete()
