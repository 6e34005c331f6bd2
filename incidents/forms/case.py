"""The case form of the incident page: what the office may change on the record, each change
one timeline entry (the service compares and writes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.columns import ends_in
from incidents.models import Incident
from incidents.models.enums import Category, Determination, Priority, Tlp

FIELDS = ("title", "description", "category", "priority", "determination", "tlp")
PEOPLE = ("csirt_lead", "owner")


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class IncidentEditForm(forms.Form):
    stores = ends_in(Incident)

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    determination = forms.ChoiceField(label=_("Determination"), choices=Determination.choices)
    tlp = forms.ChoiceField(label=_("TLP"), choices=Tlp.choices)
    csirt_lead = PersonField(
        label=_("CSIRT lead"), queryset=User.objects.none(), required=False, empty_label="—"
    )
    owner = PersonField(
        label=_("Owner (person in charge)"),
        queryset=User.objects.none(),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in PEOPLE:
            self.fields[name].queryset = people

    @classmethod
    def for_incident(cls, incident: Incident, people: QuerySet[User]) -> IncidentEditForm:
        initial = {name: getattr(incident, name) for name in FIELDS}
        initial.update({name: getattr(incident, f"{name}_id") for name in PEOPLE})
        form = cls(initial=initial, people=people, auto_id="case_%s")
        form.list_people()
        return form

    def list_people(self) -> None:
        """Both selects from one read of the people, as plain choices (issue 20): a model choice
        field reads its query set each time it renders, and plain choices let the unbound
        select's markup be kept (``form_cache``). Validation still reads the query set."""
        lead = self.fields[PEOPLE[0]]
        choices = [
            ("", lead.empty_label),
            *((p.pk, lead.label_from_instance(p)) for p in lead.queryset),
        ]
        for name in PEOPLE:
            self.fields[name].widget.choices = choices

    def changes(self, incident: Incident) -> dict[str, Any]:
        """Only what differs from the record: an unchanged field writes no entry."""
        data = self.cleaned_data
        return {
            name: data[name] for name in (*FIELDS, *PEOPLE) if data[name] != getattr(incident, name)
        }
