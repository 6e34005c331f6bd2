"""The ISMS office's form to register a security-tool alert source."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.columns import ends_in
from incidents.models import AlertFormat, AlertSource


class AlertSourceForm(forms.Form):
    # The windows are converted to seconds; the service bounds them (30 s–1 h, 0–30 days).
    stores = ends_in(AlertSource, nowhere=("replay_window_minutes", "repeat_window_hours"))

    name = forms.CharField(label=_("Name"), max_length=100)
    format = forms.ChoiceField(label=_("Alert format"), choices=AlertFormat.choices)
    replay_window_minutes = forms.IntegerField(
        label=_("Replay window (minutes)"),
        min_value=1,
        max_value=60,
        initial=5,
        help_text=_("A signed request older or newer than this is refused."),
    )
    repeat_window_hours = forms.IntegerField(
        label=_("Repeat window (hours)"),
        min_value=0,
        max_value=720,
        initial=24,
        help_text=_("The same alert again within this time is counted on its first report."),
    )
