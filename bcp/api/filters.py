"""Filters of the roster, decision and cyber-BCP API."""

from __future__ import annotations

from datetime import datetime

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Absence, Delegation, RoleAssignment
from accounts.roles import DecisionType, Role
from bcp.enums import BcpState, DecisionStatus
from bcp.models import BcpActivation, Decision
from common.timestamps import CheckedIsoDateTimeFilter


class _InForceAt(django_filters.FilterSet):
    """``?active_at=`` keeps the windows in force at that moment (from ≤ t < to)."""

    active_at = CheckedIsoDateTimeFilter(method="in_force", label=_("In force at this moment"))

    def in_force(self, queryset: QuerySet, name: str, value: datetime) -> QuerySet:
        return queryset.filter(starts_at__lte=value, ends_at__gt=value)


class RoleAssignmentFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)
    user = django_filters.NumberFilter(field_name="user_id", label=_("Person (id)"))

    class Meta:
        model = RoleAssignment
        fields = ["role", "user"]


class AbsenceFilter(_InForceAt):
    user = django_filters.NumberFilter(field_name="user_id", label=_("Person (id)"))

    class Meta:
        model = Absence
        fields = ["user"]


class DelegationFilter(_InForceAt):
    role = django_filters.ChoiceFilter(choices=Role.choices)
    delegator = django_filters.NumberFilter(field_name="delegator_id", label=_("From (id)"))
    delegate = django_filters.NumberFilter(field_name="delegate_id", label=_("To (id)"))

    class Meta:
        model = Delegation
        fields = ["role", "delegator", "delegate"]


class DecisionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DecisionStatus.choices)
    type = django_filters.ChoiceFilter(choices=DecisionType.choices)
    incident = django_filters.CharFilter(
        field_name="incident__ref", max_length=20, label=_("Incident reference")
    )
    assignee = django_filters.NumberFilter(field_name="assignee_id", label=_("Assignee (id)"))
    overdue = django_filters.BooleanFilter(label=_("Nobody left in the chain"))

    class Meta:
        model = Decision
        fields = ["status", "type", "incident", "assignee", "overdue"]


class BcpActivationFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=BcpState.choices)

    class Meta:
        model = BcpActivation
        fields = ["state"]
