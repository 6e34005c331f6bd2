from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.columns import NOTHING
from incidents.models.enums import Tlp


class ReportForm(forms.Form):
    """The TLP ceiling of the printed indicators (the incident's own TLP when not given)."""

    stores = NOTHING  # a choice, kept as the code in the download's timeline entry

    tlp = forms.ChoiceField(label=_("Indicators up to"), choices=Tlp.choices, required=False)
