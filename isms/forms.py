"""Forms of the review and corrective-action pages. They parse; the services decide (a root
cause and lessons are C-1's to require, a control and a risk reference M-2's)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.columns import NOTHING, ends_in
from isms.enums import ActionStatus, ControlTheme
from isms.models import AnnexAControl, CorrectiveAction, PostIncidentReview


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ControlsField(forms.MultipleChoiceField):
    """Annex A controls as checkboxes grouped by theme (5 organizational … 8 technological)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=self.grouped, **kwargs)

    @staticmethod
    def grouped() -> list[tuple[str, list[tuple[str, str]]]]:
        groups: dict[str, list[tuple[str, str]]] = {}
        for control in AnnexAControl.objects.all():
            groups.setdefault(control.theme, []).append(
                (control.id, f"A.{control.id} {control.title}")
            )
        return [(str(ControlTheme(theme).label), items) for theme, items in groups.items()]


def _text(label: Any, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ReviewForm(forms.Form):
    stores = ends_in(PostIncidentReview, nowhere=("lessons", "controls"))

    root_cause = _text(_("Root cause"), help_text=_("Why it happened, as far as it is known."))
    what_worked = _text(_("What worked"))
    what_did_not = _text(_("What did not work"))
    lessons = _text(_("Lessons"), rows=4, help_text=_("One lesson per line."))
    no_lessons = _text(
        _("No lessons: why"),
        rows=2,
        help_text=_("Only when the incident taught nothing new: say so, and why."),
    )
    controls = ControlsField(label=_("Annex A controls affected"), required=False)
    no_action_reason = _text(
        _("Why no corrective action is needed"),
        rows=2,
        help_text=_("Only when the incident goes to the management review without one (rule M-1)."),
    )

    def clean_lessons(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["lessons"].splitlines() if line.strip()]


class CorrectiveActionForm(forms.Form):
    stores = ends_in(CorrectiveAction, nowhere=("controls",))

    title = forms.CharField(label=_("What will be done"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(label=_("Due date"), widget=DateInput)
    controls = ControlsField(label=_("Annex A controls"))
    risk_reference = forms.CharField(
        label=_("Risk register entry"),
        max_length=300,
        help_text=_("The entry of the organisation's risk register this action updates."),
    )
    risk_url = forms.URLField(
        label=_("Link to the risk register"), required=False, assume_scheme="https", max_length=200
    )
    description = _text(_("Details"), rows=2)

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = str


class ActionStatusForm(forms.Form):
    stores = ends_in(CorrectiveAction, reason="isms.CorrectiveAction.status_reason")

    status = forms.ChoiceField(choices=ActionStatus.choices)
    reason = forms.CharField(
        label=_("Why it is cancelled"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActionFilterForm(forms.Form):
    stores = NOTHING

    control = forms.ChoiceField(label=_("Annex A control"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(c.id, f"A.{c.id} {c.title}") for c in AnnexAControl.objects.all()]
        self.fields["control"].choices = [("", _("Every control")), *choices]
