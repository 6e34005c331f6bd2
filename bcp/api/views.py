"""Roster, decisions and the cyber BCP over /api/v1/. Reads go through bcp.selectors (objects
of another organisation are 404); every write calls one service, which checks the rules."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Absence, Delegation, RoleAssignment
from bcp import access, selectors
from bcp.api import filters
from bcp.api import serializers as s
from bcp.models import BcpAction, BcpActivation, Decision
from bcp.services import activation as bcp_activation
from bcp.services import decisions, manual, roster_admin
from common.pagination import OldestFirstPagination
from common.parsers import JSONParser
from incidents import access as incident_access
from incidents import selectors as incident_selectors
from incidents.api.views.base import ApiViewSet, IncidentChildViewSet, errors

KEEPER_ONLY = {
    "list": access.can_see_roster,
    "create": access.can_manage_roster,
    "partial_update": access.can_manage_roster,
    "destroy": access.can_manage_roster,
}


class _RosterViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, ApiViewSet
):
    """Read by everyone with a role; created, changed and removed by the ISMS office."""

    parser_classes = [JSONParser]
    pagination_class = OldestFirstPagination
    action_policy = KEEPER_ONLY

    def _ok(self, instance: Any) -> Response:
        return Response(self.get_serializer_class()(self.get_queryset().get(pk=instance.pk)).data)

    def _created(self, instance: Any) -> Response:
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer_class()(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["roster"])
class RoleAssignmentViewSet(_RosterViewSet):
    """Who holds which role at which rank (1 = primary), and what a deputy may decide."""

    queryset = RoleAssignment.objects.none()
    serializer_class = s.RoleAssignmentSerializer
    filterset_class = filters.RoleAssignmentFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.role_assignments_visible_to(self.request.user)

    @extend_schema(
        request=s.RoleAssignmentCreateSerializer,
        responses={201: s.RoleAssignmentSerializer, **errors(400, 403, 409)},
    )
    def create(self, request: Request) -> Response:
        body = s.RoleAssignmentCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        assignment = roster_admin.role_assignment_add(
            organisation=request.user.organisation, actor=request.user, **body.validated_data
        )
        return self._created(assignment)

    @extend_schema(
        request=s.RoleAssignmentUpdateSerializer,
        responses={200: s.RoleAssignmentSerializer, **errors(400, 403, 404, 409)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the rank or the authority scope."""
        assignment = self.get_object()
        body = s.RoleAssignmentUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        roster_admin.role_assignment_update(
            assignment=assignment, actor=request.user, **body.validated_data
        )
        return self._ok(assignment)

    @extend_schema(responses={204: None, **errors(403, 404)})
    def destroy(self, request: Request, pk: str) -> Response:
        roster_admin.role_assignment_remove(assignment=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["roster"])
class AbsenceViewSet(_RosterViewSet):
    """Windows in which a person cannot decide: rule D-2 skips them."""

    queryset = Absence.objects.none()
    serializer_class = s.AbsenceSerializer
    filterset_class = filters.AbsenceFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.absences_visible_to(self.request.user)

    @extend_schema(
        request=s.AbsenceCreateSerializer,
        responses={201: s.AbsenceSerializer, **errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        body = s.AbsenceCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        absence = roster_admin.absence_add(actor=request.user, **body.validated_data)
        return self._created(absence)

    @extend_schema(
        request=s.AbsenceUpdateSerializer,
        responses={200: s.AbsenceSerializer, **errors(400, 403, 404)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        absence = self.get_object()
        body = s.AbsenceUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        roster_admin.absence_update(absence=absence, actor=request.user, **body.validated_data)
        return self._ok(absence)

    @extend_schema(responses={204: None, **errors(403, 404)})
    def destroy(self, request: Request, pk: str) -> Response:
        roster_admin.absence_remove(absence=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["roster"])
class DelegationViewSet(_RosterViewSet):
    """ "A's role R to B from … to …": B stands before A in the chain during the window."""

    queryset = Delegation.objects.none()
    serializer_class = s.DelegationSerializer
    filterset_class = filters.DelegationFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.delegations_visible_to(self.request.user)

    @extend_schema(
        request=s.DelegationCreateSerializer,
        responses={201: s.DelegationSerializer, **errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        body = s.DelegationCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        delegation = roster_admin.delegation_add(
            organisation=request.user.organisation, actor=request.user, **body.validated_data
        )
        return self._created(delegation)

    @extend_schema(
        request=s.DelegationUpdateSerializer,
        responses={200: s.DelegationSerializer, **errors(400, 403, 404)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Move the window or change the reason."""
        delegation = self.get_object()
        body = s.DelegationUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        roster_admin.delegation_update(
            delegation=delegation, actor=request.user, **body.validated_data
        )
        return self._ok(delegation)

    @extend_schema(responses={204: None, **errors(403, 404)})
    def destroy(self, request: Request, pk: str) -> Response:
        roster_admin.delegation_remove(delegation=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Decisions ------------------------------------------------------------------------------------


@extend_schema(tags=["decisions"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "exercise",
                bool,
                description="true: the exercises' decisions instead of the real ones (issue 18).",
            )
        ]
    )
)
class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Decisions with deadlines and deputies. Who may decide is the role chain's answer
    (403 NOT_ELIGIBLE otherwise); the first decision wins (409 names who decided). Decisions
    are opened by the escalation rules or by hand (``POST``), and withdrawn by hand."""

    queryset = Decision.objects.none()
    filterset_class = filters.DecisionFilter
    parser_classes = [JSONParser]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        decisions_ = selectors.decision_list(self.request.user)
        if self.action == "list":  # real decisions; ?exercise=true: the exercises' (issue 18)
            exercise = self.request.query_params.get("exercise") == "true"
            scope = incident_selectors.exercise_scope(exercise=exercise, prefix="incident__")
            decisions_ = decisions_.filter(scope)
        if self.action != "list":
            decisions_ = decisions_.prefetch_related("assignments__person")
        return decisions_

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return s.DecisionSerializer if self.action == "list" else s.DecisionDetailSerializer

    def _fresh(self, decision: Decision, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().prefetch_related("assignments__person").get(pk=decision.pk)
        return Response(s.DecisionDetailSerializer(fresh).data, status=code)

    @extend_schema(
        request=s.DecisionOpenSerializer,
        responses={201: s.DecisionDetailSerializer, **errors(400, 403, 404, 409)},
    )
    def create(self, request: Request) -> Response:
        """Open a decision by hand: assigned by rule D-2 with the type's deadline, alerted and
        swept like the rules' decisions. Who may open which type is the organisation's policy
        (403 NOT_ALLOWED_TO_OPEN); one open decision per type and incident (409
        DECISION_ALREADY_OPEN); a stand-down needs an active BCP (409 BCP_NOT_ACTIVATED)."""
        body = s.DecisionOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        incident = incident_selectors.incident_get(user=request.user, ref=data.pop("incident"))
        decision = manual.decision_open_by_hand(
            incident=incident, actor=request.user, decision_type=data.pop("type"), **data
        )
        return self._fresh(decision, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.DecisionWithdrawSerializer,
        responses={200: s.DecisionDetailSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """End an open decision that no longer applies, with a reason (400 REASON_REQUIRED);
        its alerts and deadline stop. Deciding it afterwards is 409 DECISION_WITHDRAWN."""
        decision = self.get_object()
        body = s.DecisionWithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        manual.decision_withdraw(
            decision=decision, actor=request.user, reason=body.validated_data["reason"]
        )
        return self._fresh(decision)

    @extend_schema(
        request=s.DecisionDecideSerializer,
        responses={200: s.DecisionDetailSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """Approve, decline or defer with a rationale (400 RATIONALE_REQUIRED without one).

        Approving ACTIVATE_CYBER_BCP needs a scope (PARTIAL/FULL); deferring needs
        ``redecide_by``; a BCP stand-down whose guard fails is 409 BCP_GUARD_FAILED.
        """
        decision = self.get_object()
        body = s.DecisionDecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decisions.decision_decide(decision=decision, actor=request.user, **body.validated_data)
        return self._fresh(decision)

    @extend_schema(
        request=None,
        responses={200: s.DecisionDetailSerializer, **errors(403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def ratify(self, request: Request, pk: str) -> Response:
        """Rule D-4: a higher-ranked holder confirms a deputy's approval or refusal."""
        decision = self.get_object()
        decisions.decision_ratify(decision=decision, actor=request.user)
        return self._fresh(decision)


# --- The cyber BCP --------------------------------------------------------------------------------


@extend_schema(tags=["bcp"])
class BcpActivationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Each incident's cyber-BCP state (B-1..B-3) with its actions. It changes only by decision."""

    queryset = BcpActivation.objects.none()
    serializer_class = s.BcpActivationSerializer
    filterset_class = filters.BcpActivationFilter
    lookup_field = "incident__ref"
    lookup_url_kwarg = "incident_ref"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.bcp_activations_visible_to(self.request.user).prefetch_related(
            "actions__executed_by", "actions__restored_by"
        )

    def get_object(self) -> BcpActivation:
        """An incident that never had a BCP decision answers NOT_ACTIVATED (and nothing is
        written by reading it)."""
        incident = incident_selectors.incident_get(
            user=self.request.user, ref=self.kwargs["incident_ref"]
        )
        activation = self.get_queryset().filter(incident=incident).first()
        activation = activation or BcpActivation(incident=incident)
        self.check_object_permissions(self.request, activation)
        return activation


@extend_schema(tags=["bcp"])
class BcpActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IncidentChildViewSet):
    """The execution tasks of an incident's BCP: recorded when done, and later when restored."""

    queryset = BcpAction.objects.none()
    serializer_class = s.BcpActionSerializer
    action_policy = {
        "execute": incident_access.can_edit_incidents,
        "restore": incident_access.can_edit_incidents,
    }

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.bcp_actions_of(selectors.bcp_activation_of(self.get_incident()))

    def _record(self, request: Request, step: str) -> Response:
        recorded = bcp_activation.bcp_action_record(
            action=self.get_object(), actor=request.user, step=step
        )
        return Response(s.BcpActionSerializer(self.get_queryset().get(pk=recorded.pk)).data)

    @extend_schema(request=None, responses={200: s.BcpActionSerializer, **errors(403, 404, 409)})
    @action(detail=True, methods=["post"])
    def execute(self, request: Request, incident_ref: str, pk: str) -> Response:
        """Record that the action was carried out (by whom, when); 409 if already recorded."""
        return self._record(request, "execute")

    @extend_schema(request=None, responses={200: s.BcpActionSerializer, **errors(403, 404, 409)})
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, incident_ref: str, pk: str) -> Response:
        """Record that what the action stopped was restored; only after it was executed."""
        return self._record(request, "restore")
