"""Filters and the ordering whitelist of the incident API.

Every ordering offered here is a keyset ordering served by an index (see the models' Meta):
the pagination cursor is the first field, the id breaks ties.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import filters
from rest_framework.request import Request

from common.errors import InvalidInput
from common.timestamps import CheckedIsoDateTimeFilter
from incidents import selectors
from incidents.models import Event, Incident, Report
from incidents.models import enums as e

LEVELS = [("1", "1"), ("2", "2"), ("3", "3")]


class IncidentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=e.IncidentStatus.choices)
    level = django_filters.ChoiceFilter(choices=LEVELS)
    category = django_filters.ChoiceFilter(choices=e.Category.choices)
    priority = django_filters.ChoiceFilter(choices=e.Priority.choices)
    declared_after = CheckedIsoDateTimeFilter(field_name="declared_at", lookup_expr="gte")
    declared_before = CheckedIsoDateTimeFilter(field_name="declared_at", lookup_expr="lt")
    q = django_filters.CharFilter(
        method="search",
        max_length=200,
        label=_(
            "The reference, or text in the title, description, a campaign email's sender or "
            "subject, a report's sender, subject or reporter (name, email), an indicator's value "
            "or an affected asset's tag or host name (any case)"
        ),
    )
    # The X-4 counters (annotated by incidents.facts.with_counters): "at least n".
    mail_delivered_count__gte = django_filters.NumberFilter(
        field_name="mail_delivered_count", lookup_expr="gte", min_value=0
    )
    mail_reported_count__gte = django_filters.NumberFilter(
        field_name="mail_reported_count", lookup_expr="gte", min_value=0
    )
    mail_executed_count__gte = django_filters.NumberFilter(
        field_name="mail_executed_count", lookup_expr="gte", min_value=0
    )
    infected_effective_count__gte = django_filters.NumberFilter(
        field_name="infected_effective_count", lookup_expr="gte", min_value=0
    )
    infected_confirmed_count__gte = django_filters.NumberFilter(
        field_name="infected_confirmed_count", lookup_expr="gte", min_value=0
    )
    isolated_count__gte = django_filters.NumberFilter(
        field_name="isolated_count", lookup_expr="gte", min_value=0
    )

    class Meta:
        model = Incident
        fields = ["status", "level", "category", "priority"]

    def search(self, queryset: QuerySet[Incident], name: str, value: str) -> QuerySet[Incident]:
        return queryset.filter(selectors.incident_search(value))


class ReportFilter(django_filters.FilterSet):
    received_after = CheckedIsoDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = CheckedIsoDateTimeFilter(field_name="received_at", lookup_expr="lt")
    category = django_filters.ChoiceFilter(choices=e.Category.choices)

    class Meta:
        model = Report
        fields = ["category"]


class EventFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=e.EventStatus.choices)
    category = django_filters.ChoiceFilter(choices=e.Category.choices)
    priority = django_filters.ChoiceFilter(choices=e.Priority.choices)
    received_after = CheckedIsoDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = CheckedIsoDateTimeFilter(field_name="received_at", lookup_expr="lt")

    class Meta:
        model = Event
        fields = ["status", "category", "priority"]


class WhitelistOrdering(filters.OrderingFilter):
    """``?ordering=`` from the view's ``ordering_choices`` only; anything else is a 400."""

    def get_ordering(self, request: Request, queryset: QuerySet, view: Any) -> tuple[str, ...]:
        choices: dict[str, tuple[str, ...]] = view.ordering_choices
        raw = request.query_params.get(self.ordering_param, "").strip()
        if not raw:
            return choices[view.ordering_default]
        if raw not in choices:
            raise InvalidInput(
                "invalid_ordering",
                _("This list cannot be ordered by %(value)s.") % {"value": raw[:100]},
                field=self.ordering_param,
                allowed=sorted(choices),
            )
        return choices[raw]

    def to_html(self, request: Request, queryset: QuerySet, view: Any) -> str:
        return ""

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": str(_("Order of the list. Default: %(default)s."))
                % {"default": view.ordering_default},
                "schema": {"type": "string", "enum": sorted(view.ordering_choices)},
            }
        ]
