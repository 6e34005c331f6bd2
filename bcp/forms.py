"""Forms of the decision inbox, the roster and the BCP plan. They parse; services decide.

Domain rules (a rationale is required, a deferral needs a time, a window ends after it starts)
are the services' to enforce, so that the browser and the API refuse the same things the same way.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Absence, Delegation, RoleAssignment, User
from accounts.roles import DecisionType, Role
from bcp.enums import BcpActionKind, Outcome, Recommendation, Scope
from bcp.models import BcpPlanService, CallTreeEntry, Decision
from common.columns import NOTHING, ends_in
from common.timestamps import CheckedDateTimeField
from incidents.forms.fields import LocalDateTimeInput


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


def _when(label: str, required: bool = True) -> CheckedDateTimeField:
    return CheckedDateTimeField(label=label, widget=LocalDateTimeInput, required=required)


class MomentForm(forms.Form):
    stores = NOTHING

    at = _when(_("At"), required=False)


class DecideForm(forms.Form):
    stores = ends_in(Decision, scope="bcp.Decision.outcome_scope")

    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices)
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,  # the service refuses a blank one (RATIONALE_REQUIRED)
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
        help_text=_("Why, in a sentence or two. It is kept with the facts shown now."),
    )
    scope = forms.ChoiceField(
        label=_("Scope of the activation"),
        choices=[(Scope.PARTIAL, _("Partial")), (Scope.FULL, _("Full"))],
        required=False,
        widget=forms.RadioSelect,
    )
    redecide_by = _when(_("When deferring: decide again by"), required=False)

    def __init__(self, *args: Any, with_scope: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_scope:
            del self.fields["scope"]


class DecisionOpenForm(forms.Form):
    """Open a decision by hand; the types offered are those the user's roles may open."""

    stores = ends_in(Decision)

    type = forms.ChoiceField(label=_("Decision"), choices=DecisionType.choices)
    recommendation = forms.ChoiceField(
        label=_("Your recommendation"), choices=Recommendation.choices, initial="NONE"
    )
    recommended_scope = forms.ChoiceField(
        label=_("Recommended scope (cyber-BCP activation only)"),
        choices=[
            (Scope.NONE, _("Not applicable")),
            (Scope.PARTIAL, _("Partial (e.g. a staged reconnection)")),
            (Scope.FULL, _("Full")),
        ],
        initial=Scope.NONE,
        required=False,
    )
    target_level = forms.TypedChoiceField(
        label=_("Target level (raising or lowering the level only)"),
        choices=[("", "—"), (1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(
        label=_("Why it is needed"),
        required=False,  # the service refuses a blank one (REASON_REQUIRED)
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
        help_text=_("Shown to the decision maker with the facts."),
    )

    def __init__(self, *args: Any, types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(DecisionType.choices)
        self.fields["type"].choices = [(t, labels[t]) for t in types]


class WithdrawForm(forms.Form):
    stores = ends_in(Decision, reason="bcp.Decision.withdrawal_reason")

    reason = forms.CharField(
        label=_("Why it no longer applies"),
        required=False,  # the service refuses a blank one (REASON_REQUIRED)
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
    )


class _PeopleForm(forms.Form):
    """A form that names people of the organisation."""

    people_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.people_fields:
            self.fields[name].queryset = people


class RoleAssignmentForm(_PeopleForm):
    stores = ends_in(RoleAssignment)

    people_fields = ("user",)

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    user = PersonChoiceField(label=_("Person"), queryset=User.objects.none())
    priority = forms.IntegerField(
        label=_("Rank"), min_value=1, max_value=99, initial=1, help_text=_("1 = primary")
    )
    authority_scope = forms.MultipleChoiceField(
        label=_("May decide (empty = every type)"),
        choices=DecisionType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AbsenceForm(_PeopleForm):
    stores = ends_in(Absence)

    people_fields = ("user",)

    user = PersonChoiceField(label=_("Person"), queryset=User.objects.none())
    starts_at = _when(_("From"))
    ends_at = _when(_("To"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class DelegationForm(_PeopleForm):
    stores = ends_in(Delegation)

    people_fields = ("delegator", "delegate")

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    delegator = PersonChoiceField(label=_("From (holder)"), queryset=User.objects.none())
    delegate = PersonChoiceField(label=_("To (stands in)"), queryset=User.objects.none())
    starts_at = _when(_("From"))
    ends_at = _when(_("To"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class PlanServiceForm(_PeopleForm):
    stores = ends_in(BcpPlanService)

    people_fields = ("owner",)

    name = forms.CharField(label=_("Service"), max_length=200)
    owner = PersonChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    stops_when = forms.ChoiceField(label=_("Stops when"), choices=BcpActionKind.choices)
    workaround = forms.CharField(
        label=_("Workaround while stopped"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    restore_procedure = forms.CharField(
        label=_("Restore procedure"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)


class CallTreeEntryForm(forms.Form):
    stores = ends_in(CallTreeEntry)

    caller_role = forms.ChoiceField(label=_("Who calls"), choices=Role.choices)
    callee = forms.CharField(label=_("Calls"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
