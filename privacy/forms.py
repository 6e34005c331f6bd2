"""Browser forms of the privacy pages. Thin: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.columns import NOTHING, ends_in
from common.timestamps import CheckedDateTimeField
from incidents.forms.fields import LocalDateTimeInput, PastDateTimeField
from incidents.models import Asset
from privacy import enums
from privacy.models import AppiAssessment, DataSet, DataSetLeak, Obligation, PpcReport
from privacy.services.ppc import ITEMS


class DataSetForm(forms.ModelForm):
    class Meta:
        model = DataSet
        fields = [
            "name",
            "system",
            "contains_personal_data",
            "sensitive_personal_data",
            "financial_damage_risk",
            "individuals_count",
            "high_grade_encrypted",
            "processing_role",
            "entrusting_party",
            "confidentiality",
            "data_items",
            "hosted_on",
            "accessible_from",
        ]
        widgets = {
            "hosted_on": forms.CheckboxSelectMultiple,
            "accessible_from": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assets = Asset.objects.filter(organisation_id=organisation_id).order_by("asset_tag")
        for name in ("hosted_on", "accessible_from"):
            self.fields[name].queryset = assets  # type: ignore[attr-defined]
            self.fields[name].required = False


class DataSetImportForm(forms.Form):
    stores = NOTHING

    file = forms.FileField(label=_("CSV file (UTF-8 or Shift_JIS)"))


class DataLeakForm(forms.Form):
    stores = ends_in(DataSetLeak, nowhere=("data_set",))

    data_set = forms.ModelChoiceField(label=_("Data set"), queryset=DataSet.objects.none())
    kind = forms.ChoiceField(label=_("What happened"), choices=enums.LeakKind.choices)
    occurred_at = PastDateTimeField(label=_("Happened at (if known)"))
    observed_at = PastDateTimeField(label=_("Learned at (if earlier than now)"))
    volume = forms.CharField(label=_("Volume (files, records)"), max_length=200, required=False)
    individuals = forms.IntegerField(
        label=_("Individuals affected (if known)"),
        min_value=0,
        max_value=2_000_000_000,
        required=False,
    )
    credible = forms.BooleanField(
        label=_("The outside notification is credible"), required=False, initial=True
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["data_set"].queryset = DataSet.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id
        )


class ObligationDoneForm(forms.Form):
    stores = ends_in(Obligation)

    reference_no = forms.CharField(
        label=_("Receipt or reference number"), max_length=100, required=False
    )
    done_at = PastDateTimeField(label=_("Submitted at (if earlier than now)"))
    submitted_via = forms.CharField(label=_("Submitted via"), max_length=200, required=False)


class ObligationWaiveForm(forms.Form):
    stores = ends_in(Obligation, reason="privacy.Obligation.waived_reason")

    reason = forms.CharField(
        label=_("Why it is waived"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ObligationAddForm(forms.Form):
    stores = ends_in(Obligation)

    kind = forms.ChoiceField(label=_("Kind"), choices=enums.ObligationKind.choices)
    due_at = CheckedDateTimeField(label=_("Due"), required=False, widget=LocalDateTimeInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AppiCauseForm(forms.Form):
    stores = ends_in(AppiAssessment)

    cause = forms.ChoiceField(label=_("Cause"), choices=enums.Cause.choices)


def _item(key: str) -> forms.CharField:
    return forms.CharField(
        label=dict(ITEMS)[key],
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PpcReportForm(forms.Form):
    """One text per item of the PPC's form (privacy.services.ppc.ITEMS)."""

    stores = ends_in(PpcReport, nowhere=tuple(key for key, _label in ITEMS))

    summary = _item("summary")
    data_items = _item("data_items")
    individuals = _item("individuals")
    cause = _item("cause")
    secondary_damage = _item("secondary_damage")
    individual_response = _item("individual_response")
    publication = _item("publication")
    prevention = _item("prevention")
    other = _item("other")
