"""Triage decisions: promote to a new incident, attach to an open one, or close."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from common.columns import NOTHING, ends_in
from incidents.forms.fields import enum_choices
from incidents.models import Event, Incident
from incidents.models.enums import Category, Disposition, EventStatus, Impact

CLOSING_STATUSES = [EventStatus.NOT_INCIDENT, EventStatus.DUPLICATE, EventStatus.TRANSFERRED]


class PromoteForm(forms.Form):
    stores = ends_in(Incident, impact="incidents.Event.impact")

    title = forms.CharField(label=_("Incident title"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    impact = forms.ChoiceField(label=_("Impact"), choices=Impact.choices)

    @classmethod
    def for_event(cls, event: Event, data: Any = None) -> PromoteForm:
        initial = {"title": event.summary, "category": event.category, "impact": event.impact}
        return cls(data, initial=initial, prefix="promote")


class IncidentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Incident) -> str:
        return f"{obj.ref} {obj.title}"


class AttachForm(forms.Form):
    stores = NOTHING

    incident = IncidentChoiceField(label=_("Open incident"), queryset=Incident.objects.none())
    new_message = forms.BooleanField(
        label=_("A new variant of its email (another sender, subject or attachment)"),
        required=False,
    )

    def __init__(self, *args: Any, incidents: QuerySet[Incident], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "attach")
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = incidents


class CloseForm(forms.Form):
    stores = ends_in(Event, note="incidents.Event.disposition_note")

    status = forms.ChoiceField(
        label=_("Outcome"), choices=enum_choices(EventStatus, CLOSING_STATUSES)
    )
    disposition = forms.ChoiceField(label=_("Disposition"), choices=Disposition.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)
