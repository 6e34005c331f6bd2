from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bcp.models import Decision
from common.columns import ends_in
from common.timestamps import CheckedDateTimeField
from incidents.models import enums as e
from risklevels.models import ChecklistTemplate, EscalationParams, LevelDefinition

KIND_CHOICES = [
    ("infection", _("A terminal or server is (suspected) infected")),
    ("external_comm", _("Unauthorised communication to the outside")),
    ("leak", _("Data leak")),
]
SUSPICION_CHOICES = [("SUSPECTED", _("Suspected")), ("CONFIRMED", _("Confirmed"))]


class FindingForm(forms.Form):
    """A finding that may move the level: the rules re-run when it is recorded."""

    stores = ends_in(
        None,
        asset_tag=("incidents.Asset.asset_tag", "incidents.Asset.hostname"),
        asset_kind="incidents.Asset.kind",
        state="incidents.AffectedAsset.infection_state",
        via="incidents.AffectedAsset.infection_via",
        status=("incidents.Incident.external_comm_status", "incidents.Incident.leak_status"),
        c2=("incidents.Indicator.value", "incidents.Indicator.normalized"),
        nowhere=("kind",),
    )

    kind = forms.ChoiceField(label=_("What was found"), choices=KIND_CHOICES)
    asset_tag = forms.CharField(
        label=_("PC name, asset tag or server"), max_length=64, required=False
    )
    asset_kind = forms.ChoiceField(
        label=_("Kind of asset"), choices=e.AssetKind.choices, initial=e.AssetKind.PC
    )
    holds_personal_data = forms.BooleanField(
        label=_("The asset holds personal data"), required=False
    )
    state = forms.ChoiceField(
        label=_("Infection state"),
        choices=e.InfectionState.choices,
        initial=e.InfectionState.SUSPECTED,
    )
    via = forms.ChoiceField(
        label=_("Infected via"), choices=e.InfectionVia.choices, initial=e.InfectionVia.MAIL
    )
    status = forms.ChoiceField(label=_("Certainty"), choices=SUSPICION_CHOICES)
    holds_confidential_data = forms.BooleanField(
        label=_("The asset holds customer or company-confidential data"), required=False
    )
    c2 = forms.CharField(
        label=_("C2 server (domain or IP address), if known"), max_length=255, required=False
    )
    personal_data = forms.BooleanField(label=_("Personal data is involved"), required=False)
    observed_at = CheckedDateTimeField(
        label=_("When we learned it (if earlier than now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    occurred_at = CheckedDateTimeField(
        label=_("When it happened (if earlier)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == "infection" and not data.get("asset_tag"):
            self.add_error("asset_tag", _("Name the infected terminal or server."))
        return data

    def as_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data["kind"] != "infection":
            data.pop("state")
            data.pop("via")
        data["holds_personal_data"] = data["holds_personal_data"] or None
        data["holds_confidential_data"] = data["holds_confidential_data"] or None
        return data


class LowerLevelForm(forms.Form):
    stores = ends_in(Decision, target="bcp.Decision.target_level")

    target = forms.TypedChoiceField(
        label=_("Lower to level"), coerce=int, choices=[(1, "1"), (2, "2")]
    )
    reason = forms.CharField(
        label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ParamsForm(forms.ModelForm):
    class Meta:
        model = EscalationParams
        fields = [
            "infected_threshold",
            "trend_rule",
            "external_comm_trigger",
            "leak_trigger",
            "personal_data_store_rule",
        ]


class LevelDefinitionForm(forms.ModelForm):
    class Meta:
        model = LevelDefinition
        fields = [
            "name_ja",
            "name_en",
            "happened_ja",
            "happened_en",
            "impact_ja",
            "impact_en",
            "response_ja",
            "response_en",
            "workload_ja",
            "workload_en",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in fields[2:]}


class ChecklistTemplateForm(forms.ModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = [
            "track",
            "level",
            "code",
            "title_ja",
            "title_en",
            "owner_role",
            "refs",
            "order",
            "active",
        ]
        widgets = {
            "title_ja": forms.Textarea(attrs={"rows": 2}),
            "title_en": forms.Textarea(attrs={"rows": 2}),
        }
