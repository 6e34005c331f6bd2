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
