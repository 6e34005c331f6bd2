"""The ISMS office's intake settings: first-aid wording and the triage matrix grid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.columns import ends_in
from incidents import triage
from incidents.models import IntakeSettings
from incidents.models.enums import Category, Impact, Priority


def _cell(category: str, impact: str) -> str:
    return f"m__{category}__{impact}"


class IntakeSettingsForm(forms.Form):
    stores = ends_in(IntakeSettings)

    first_aid_ja = forms.CharField(
        label=_("First-aid steps (Japanese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "ja"}),
        help_text=_("One step per line. Leave empty to show the standard steps."),
    )
    first_aid_en = forms.CharField(
        label=_("First-aid steps (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "en"}),
        help_text=_("One step per line. Leave empty to show the standard steps."),
    )

    def __init__(self, *args: Any, current: IntakeSettings | None = None, **kwargs: Any) -> None:
        matrix = current.triage_matrix if current else {}
        initial = {
            "first_aid_ja": current.first_aid_ja if current else "",
            "first_aid_en": current.first_aid_en if current else "",
        }
        for category in Category.values:
            for impact in Impact.values:
                initial[_cell(category, impact)] = (matrix.get(category) or {}).get(impact, "")
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for category in Category.values:
            for impact in Impact.values:
                default = triage.default_priority(category, impact)
                self.fields[_cell(category, impact)] = forms.ChoiceField(
                    label=f"{Category(category).label} × {Impact(impact).label}",
                    choices=[("", _("default (%(p)s)") % {"p": default}), *Priority.choices],
                    required=False,
                )

    def matrix_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (label, [self[_cell(category, impact)] for impact in Impact.values])
            for category, label in Category.choices
        ]

    def matrix(self) -> dict[str, dict[str, str]]:
        result: dict[str, dict[str, str]] = {}
        for category in Category.values:
            for impact in Impact.values:
                value = self.cleaned_data.get(_cell(category, impact))
                if value:
                    result.setdefault(category, {})[impact] = value
        return result
