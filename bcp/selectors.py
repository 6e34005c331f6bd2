"""Reads of the roster, the decisions and the cyber BCP, already filtered to what a user may see.

Objects of another organisation (or of an incident the user may not see) answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from accounts import roster
from accounts import selectors as accounts_selectors
from accounts.models import Absence, Delegation, Organisation, RoleAssignment, User
from accounts.roles import Role
from bcp import access, enums
from bcp.enums import DecisionStatus
from bcp.models import (
    BcpAction,
    BcpActivation,
    BcpPlanService,
    CallTreeEntry,
    Decision,
    DecisionAssignment,
)
from common import clock
from incidents import access as incident_access
from incidents import selectors as incident_selectors
from incidents.models import Incident
from incidents.models.enums import EFFECTIVE_INFECTION, ContainmentState, InfectionState

# Roles that decisions need (DecisionType → required role): a gap here stalls a decision.
DECIDING_ROLES = frozenset(enums.REQUIRED_ROLE.values())


# --- The roster -----------------------------------------------------------------------------------


def _organisation_of(user: User) -> int | None:
    return user.organisation_id if getattr(user, "is_authenticated", False) else None


def role_assignments_visible_to(user: User) -> QuerySet[RoleAssignment]:
    if not access.can_see_roster(user):
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(organisation_id=user.organisation_id).select_related(
        "user"
    )


def absences_visible_to(user: User) -> QuerySet[Absence]:
    if not access.can_see_roster(user):
        return Absence.objects.none()
    return Absence.objects.filter(user__organisation_id=user.organisation_id).select_related("user")


def delegations_visible_to(user: User) -> QuerySet[Delegation]:
    if not access.can_see_roster(user):
        return Delegation.objects.none()
    return Delegation.objects.filter(organisation_id=user.organisation_id).select_related(
        "delegator", "delegate"
    )


def people_of(organisation: Organisation) -> QuerySet[User]:
    """The people a roster form may name: active users of the organisation, not integrations."""
    return User.objects.filter(
        organisation=organisation, is_active=True, api_key__isnull=True
    ).order_by("display_name", "username")


def absences_current_and_coming(*, user: User, since: datetime) -> QuerySet[Absence]:
    return absences_visible_to(user).filter(ends_at__gt=since).order_by("starts_at", "id")


def delegations_current_and_coming(*, user: User, since: datetime) -> QuerySet[Delegation]:
    return delegations_visible_to(user).filter(ends_at__gt=since).order_by("starts_at", "id")


@dataclass(frozen=True)
class RoleAtMoment:
    """The chain of one role at a moment, and who would be asked first."""

    role: str
    holders: list[roster.Holder]
    first: roster.Holder | None

    @property
    def label(self) -> str:
        return str(Role(self.role).label)

    @property
    def staffed(self) -> bool:
        return bool(self.holders)

    @property
    def watched(self) -> bool:
        """A gap matters when decisions need the role or someone was meant to hold it."""
        return self.role in DECIDING_ROLES or self.staffed

    @property
    def uncovered(self) -> bool:
        return self.watched and self.first is None

    @property
    def available_people(self) -> int:
        return len({h.user.pk for h in self.holders if h.available})

    @property
    def deciding(self) -> bool:
        return self.role in DECIDING_ROLES

    @property
    def without_deputy(self) -> bool:
        """A deciding role with someone now but nobody behind them: one absence stalls it."""
        return self.deciding and self.first is not None and self.available_people < 2


def roster_at(*, organisation: Organisation, at: datetime) -> list[RoleAtMoment]:
    """Every role's chain at ``at`` (rule D-2): absences and delegations applied.

    One query in all (``roster.chains``), whatever the number of roles.
    """
    return roster_of(roster.chains(organisation=organisation, at=at))


def roster_of(staffed: dict[str, list[roster.Holder]]) -> list[RoleAtMoment]:
    """Every role at the moment of ``staffed`` (``roster.chains`` or ``roster.chains_from``)."""
    result = []
    for role in Role.values:
        holders = staffed.get(role, [])
        pick = roster.first_available(holders)
        result.append(RoleAtMoment(role, holders, pick[1] if pick else None))
    return result


def roles_without_available_deputy(*, organisation: Organisation, at: datetime) -> list[str]:
    """Deciding roles whose chain has fewer than two people available at ``at``."""
    return [r.role for r in roster_at(organisation=organisation, at=at) if r.without_deputy]


def roles_without_available_holder(*, organisation: Organisation, at: datetime) -> list[str]:
    """Roles nobody can take at ``at``: decision roles, and staffed roles whose holders are all
    away. A decision needing such a role would be opened as overdue."""
    return [r.role for r in roster_at(organisation=organisation, at=at) if r.uncovered]


# --- Decisions ------------------------------------------------------------------------------------


def _authority(user: User, at: datetime) -> list[tuple[str, frozenset[str]]]:
    """(role, scope) pairs the user may decide in at ``at``: own ranks and delegations in force."""
    org = user.organisation_id
    pairs = [
        (a.role, frozenset(a.authority_scope or []))
        for a in accounts_selectors.role_assignments_of(user)
        if a.organisation_id == org
    ]
    delegated = list(
        Delegation.objects.filter(
            organisation_id=org, delegate=user, starts_at__lte=at, ends_at__gt=at
        ).values_list("role", "delegator_id")
    )
    if delegated:
        wanted = Q()
        for role, delegator_id in delegated:
            wanted |= Q(role=role, user_id=delegator_id)
        pairs += [
            (role, frozenset(scope or []))
            for role, scope in RoleAssignment.objects.filter(
                wanted, organisation_id=org
            ).values_list("role", "authority_scope")
        ]
    return pairs


def _takeable(user: User, at: datetime) -> Q:
    """Decisions assigned to the user, or of a role and type the user may decide (rule D-3:
    earlier assignees and deputies may still decide)."""
    condition = Q(assignee=user)
    for role, scope in _authority(user, at):
        condition |= Q(required_role=role, **({"type__in": scope} if scope else {}))
    return condition


def decisions_visible_to(user: User) -> QuerySet[Decision]:
    """The organisation's decisions on incidents the user sees, or that the user may take."""
    org = _organisation_of(user)
    if org is None:
        return Decision.objects.none()
    base = Decision.objects.filter(organisation_id=org)
    if incident_access.sees_all_incidents(user):
        return base
    visible = incident_selectors.incidents_visible_to(user).values("pk")
    return base.filter(Q(incident__in=visible) | _takeable(user, clock.now()))


def decision_list(user: User) -> QuerySet[Decision]:
    return decisions_visible_to(user).select_related(
        "incident", "assignee", "decided_by", "ratified_by", "opened_by", "withdrawn_by"
    )


def decision_get(*, user: User, pk: int) -> Decision:
    decision = decision_list(user).prefetch_related("assignments__person").filter(pk=pk).first()
    if decision is None:
        raise Http404
    return decision


def decision_inbox(*, user: User, at: datetime, exercise: bool = False) -> QuerySet[Decision]:
    """Open decisions the user may take, most urgent first, with the incident's counts (X-4);
    the real ones, or (``exercise``) those of exercises, shown apart as 「訓練」 (issue 18)."""
    if _organisation_of(user) is None:
        return Decision.objects.none()
    assets = "incident__affected_assets"
    scope = incident_selectors.exercise_scope(exercise=exercise, prefix="incident__")
    return (
        Decision.objects.open()
        .filter(_takeable(user, at), scope, organisation_id=user.organisation_id)
        .select_related("incident", "assignee")
        .annotate(
            infected=Count(
                assets, filter=Q(**{f"{assets}__infection_state__in": EFFECTIVE_INFECTION})
            ),
            confirmed=Count(
                assets,
                filter=Q(
                    **{
                        f"{assets}__infection_state__in": [
                            InfectionState.CONFIRMED,
                            InfectionState.COMPROMISED,
                        ]
                    }
                ),
            ),
            isolated=Count(
                assets, filter=Q(**{f"{assets}__containment_state": ContainmentState.ISOLATED})
            ),
        )
        .order_by("-overdue", F("due_at").asc(nulls_last=True), "opened_at", "id")
    )


def decision_history(decision: Decision) -> QuerySet[DecisionAssignment]:
    return decision.assignments.select_related("person").order_by("at", "id")


def may_decide(*, decision: Decision, user: User, at: datetime) -> bool:
    """Whether ``decision_decide`` would accept this user (the chain, absent or not)."""
    if decision.status != DecisionStatus.OPEN:
        return False
    holders = roster.chain(organisation=decision.organisation, role=decision.required_role, at=at)
    return roster.holder_for(holders, user, decision.type) is not None


def may_ratify(*, decision: Decision, user: User, at: datetime) -> bool:
    """Rule D-4, as ``decision_ratify`` checks it: a holder ranked above the deputy who decided
    (or the primary, for a delegate's decision), never the decider."""
    if not decision.requires_ratification or decision.ratified_at is not None:
        return False
    if user.pk == decision.decided_by_id or decision.decider_rank is None:
        return False
    holders = roster.chain(organisation=decision.organisation, role=decision.required_role, at=at)
    ranks = [h.rank for h in holders if h.user.pk == user.pk and h.delegated_from is None]
    return any(
        rank < decision.decider_rank or (decision.decided_as_delegate and rank == 1)
        for rank in ranks
    )


def decisions_of_incident(incident: Incident) -> QuerySet[Decision]:
    return incident.decisions.select_related("assignee", "decided_by", "withdrawn_by").order_by(
        "-opened_at", "-id"
    )


# --- The cyber BCP --------------------------------------------------------------------------------


def bcp_activations_visible_to(user: User) -> QuerySet[BcpActivation]:
    visible = incident_selectors.incidents_visible_to(user).values("pk")
    return BcpActivation.objects.filter(incident__in=visible).select_related("incident")


def bcp_activation_of(incident: Incident) -> BcpActivation:
    """The incident's activation; an incident that never had one is NOT_ACTIVATED (not saved,
    so reading never writes). Read once per incident object (the incident page shows it in the
    live panel and the BCP panel, issue 20)."""
    memo = getattr(incident, "_bcp_activation", None)
    if memo is not None:
        return memo
    activation = BcpActivation.objects.filter(incident=incident).first()
    incident._bcp_activation = activation or BcpActivation(incident=incident)  # type: ignore[attr-defined]
    return incident._bcp_activation  # type: ignore[attr-defined]


def bcp_actions_of(activation: BcpActivation) -> QuerySet[BcpAction]:
    if activation.pk is None:
        return BcpAction.objects.none()
    return activation.actions.select_related("executed_by", "restored_by", "decision").order_by(
        "id"
    )


def bcp_action_get(*, user: User, pk: int) -> BcpAction:
    visible = incident_selectors.incidents_visible_to(user).values("pk")
    action = (
        BcpAction.objects.filter(pk=pk, activation__incident__in=visible)
        .select_related("activation__incident")
        .first()
    )
    if action is None:
        raise Http404
    return action


def plan_services_of(organisation: Organisation) -> QuerySet[BcpPlanService]:
    return BcpPlanService.objects.filter(organisation=organisation).select_related("owner")


def call_tree_of(organisation: Organisation) -> QuerySet[CallTreeEntry]:
    return CallTreeEntry.objects.filter(organisation=organisation)
