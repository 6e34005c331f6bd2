from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.columns import NOTHING
from sharing.tlp import Recipient


class StixExportForm(forms.Form):
    stores = NOTHING  # the choice picks a rule; nothing typed is stored

    recipient = forms.ChoiceField(label=_("Share with"), choices=Recipient.choices)
