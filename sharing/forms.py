from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.columns import NOTHING, ends_in
from incidents.models import Indicator
from incidents.models.enums import Tlp
from sharing.tlp import Recipient


class StixExportForm(forms.Form):
    stores = NOTHING  # the choice picks a rule; nothing typed is stored

    recipient = forms.ChoiceField(label=_("Share with"), choices=Recipient.choices)


class SuggestionAcceptForm(forms.Form):
    stores = ends_in(Indicator)

    tlp = forms.ChoiceField(label=_("TLP"), choices=Tlp.choices, initial=Tlp.AMBER_STRICT)


class IndicatorTlpForm(forms.Form):
    stores = ends_in(Indicator)

    tlp = forms.ChoiceField(label=_("TLP"), choices=Tlp.choices)


class IntelImportForm(forms.Form):
    stores = ends_in(nowhere=("file",), source="sharing.ThreatIntelItem.source")

    file = forms.FileField(
        label=_("STIX 2.1 bundle or MISP event (JSON)"),
        help_text=_("Up to %(mb)d MB.") % {"mb": 10},
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Who sent it, e.g. JPCERT/CC. Leave empty to use the name the file gives."),
    )
