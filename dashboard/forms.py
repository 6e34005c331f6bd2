"""The filters of the lists and the statistics period (GET forms; a bad value is ignored)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.template.defaultfilters import stringformat
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import DecisionType, Role
from bcp.enums import DecisionStatus
from common.columns import NOTHING
from common.text import escape as _e
from dashboard.selectors.statistics import DEFAULT_PERIOD, PERIODS
from incidents import selectors as incident_selectors
from incidents.models.enums import Category, Channel, IncidentStatus, Priority, TaskStatus, Tlp
from notifications.enums import EVENT_CHOICES

ALL = [("", _("All"))]
PERIOD_LABELS = {
    3: _("Last 3 months"),
    6: _("Last 6 months"),
    12: _("Last 12 months"),
    24: _("Last 24 months"),
}
LEVELS = [(1, _("Level 1")), (2, _("Level 2")), (3, _("Level 3"))]


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """As ``django/forms/widgets/attrs.html`` writes them (in order; True: the name only)."""
    return mark_safe(  # noqa: S308 (names and values escaped)
        "".join(
            f" {_e(name)}" if value is True else f' {_e(name)}="{_e(value)}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


class QuickSelect(forms.Select):
    """Django's ``<select>`` with the same markup, written here instead of by two templates
    per option (``select_option.html`` and ``attrs.html``): a list's filters have about 80
    options, which cost a fifth of the page's rendering through the template engine. The
    options are read as ``ChoiceWidget.optgroups`` reads them (the first match selected), without
    building its dict per option."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen, has_selected, parts = widget["value"], False, []
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)) or self.allow_multiple_selected:
                return self._render_groups(name, value, attrs)
            shown = "" if option_value is None else str(option_value)
            selected = not has_selected and shown in chosen
            has_selected |= selected
            parts.append(
                f'\n  <option value="{_e(shown)}"{" selected" if selected else ""}>'
                f"{_e(option_label)}</option>\n"
            )
        return mark_safe(  # noqa: S308 (every value escaped)
            f'<select name="{_e(widget["name"])}"{_attrs(widget["attrs"])}>{"".join(parts)}\n'
            "</select>"
        )

    def _render_groups(self, name: str, value: Any, attrs: Any) -> SafeString:
        """Choices in groups (none of the filters has any): from Django's ``optgroups``."""
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rows = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>\n',
                ((str(o["value"]), _attrs(o["attrs"]), o["label"]) for o in options),
            )
            if group_name:
                rows = format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, rows)
            parts.append(rows)
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attrs(widget["attrs"]),
            format_html_join("", "{}", ((part,) for part in parts)),
        )


class QuickInput:
    """Django's ``<input>`` (``django/forms/widgets/input.html``) written here: a text, date
    or checkbox filter through the template engine cost three template renderings each."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        shown = ""
        if widget["value"] is not None:
            shown = f' value="{_e(stringformat(widget["value"], "s"))}"'
        return mark_safe(  # noqa: S308 (every value escaped)
            f'<input type="{_e(widget["type"])}" name="{_e(widget["name"])}"{shown}'
            f"{_attrs(widget['attrs'])}>"
        )


class QuickTextInput(QuickInput, forms.TextInput):
    pass


class QuickDateInput(QuickInput, forms.DateInput):
    pass


class QuickCheckboxInput(QuickInput, forms.CheckboxInput):
    pass


# The widgets a filter form writes in Python, by Django's class (the same markup).
QUICK: dict[type, type] = {
    forms.Select: QuickSelect,
    forms.TextInput: QuickTextInput,
    forms.DateInput: QuickDateInput,
    forms.CheckboxInput: QuickCheckboxInput,
}


# Django's own message (translated in its catalogue): a label ending in one gets no suffix.
LABEL_ENDINGS = ":?.!"


class QuickBoundField(BoundField):
    """``label_tag`` as Django's (``django/forms/label.html``), written here."""

    def label_tag(
        self, contents: Any = None, attrs: Any = None, label_suffix: Any = None, tag: Any = None
    ) -> SafeString:
        if attrs or tag or self.form.template_name_label != "django/forms/label.html":
            return super().label_tag(contents, attrs, label_suffix, tag)
        contents = contents or self.label
        if label_suffix is None:
            label_suffix = (
                self.field.label_suffix
                if self.field.label_suffix is not None
                else self.form.label_suffix
            )
        if label_suffix and contents and contents[-1] not in gettext(LABEL_ENDINGS):
            contents = format_html("{}{}", contents, label_suffix)
        id_ = self.field.widget.attrs.get("id") or self.auto_id
        if not id_:
            return conditional_escape(contents)
        for_ = self.field.widget.id_for_label(id_)
        if self.field.required and hasattr(self.form, "required_css_class"):
            return super().label_tag(contents, attrs, label_suffix, tag)
        if not for_:
            return format_html("<label>{}</label>", contents)
        return format_html('<label for="{}">{}</label>', stringformat(for_, "s"), contents)


class FilterForm(forms.Form):
    """A list's filters. ``filters()`` gives the valid, non-empty ones as keyword arguments."""

    stores = NOTHING

    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    # The filters always shown; the others fold under "More filters" (open when one is set).
    primary: tuple[str, ...] | None = None
    bound_field_class = QuickBoundField

    def __init__(self, data: Any = None, *, user: Any = None) -> None:
        super().__init__(data)
        self.user = user
        for field in self.fields.values():
            quick = QUICK.get(type(field.widget))
            if quick is not None:
                field.widget.__class__ = quick  # the same widget, rendered in Python

    @staticmethod
    def fields_html(fields: list[BoundField]) -> SafeString:
        """``dashboard/partials/filter_field.html`` for each field, written here."""
        parts = []
        for field in fields:
            if isinstance(field.field.widget, forms.CheckboxInput):
                parts.append(
                    f'<div class="filter-field is-check">{field}{field.label_tag()}</div>\n'
                )
            else:
                parts.append(f'<div class="filter-field">{field.label_tag()}{field}</div>\n')
        return mark_safe("".join(parts))  # noqa: S308 (Django's widgets and labels, escaped)

    def primary_html(self) -> SafeString:
        return self.fields_html(self.primary_fields())

    def more_html(self) -> SafeString:
        return self.fields_html(self.more_fields())

    def primary_fields(self) -> list[forms.BoundField]:
        return [f for f in self if self.primary is None or f.name in self.primary]

    def more_fields(self) -> list[forms.BoundField]:
        return [f for f in self if self.primary is not None and f.name not in self.primary]

    def more_active(self) -> int:
        """How many of the folded filters are set."""
        data = self.data or {}
        return sum(1 for field in self.more_fields() if data.get(field.name))

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in ("", None, False)
        }


# "At least n" for the X-4 counters of the incident list.
AT_LEAST = [*ALL, ("1", _("1 or more")), ("2", _("2 or more")), ("5", _("5 or more"))]


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IncidentFilterForm(FilterForm):
    primary = ("q", "status", "level", "category", "priority")

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Reference, title, sender, subject, indicator, PC name, reporter"),
            }
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[*ALL, ("open", _("Open (not closed)")), *IncidentStatus.choices],
    )
    level = forms.TypedChoiceField(
        label=_("Level"), required=False, coerce=int, empty_value=None, choices=[*ALL, *LEVELS]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[*ALL, *Category.choices]
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[*ALL, *Priority.choices]
    )
    bcp = forms.ChoiceField(
        label=_("Cyber BCP"),
        required=False,
        choices=[*ALL, ("pending", _("Decision pending")), ("active", _("Activated"))],
    )
    waiting = forms.BooleanField(label=_("Waiting on a decision"), required=False)
    infected = forms.TypedChoiceField(
        label=_("Infected assets (incl. suspected)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=AT_LEAST,
    )
    executed = forms.TypedChoiceField(
        label=_("Recipients who ran the mail"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=AT_LEAST,
    )
    tlp = forms.ChoiceField(label=_("Sharing (TLP)"), required=False, choices=[*ALL, *Tlp.choices])
    exercise = forms.ChoiceField(
        label=_("Real or exercise"),
        required=False,
        # Never both: an exercise's incidents are listed apart from real work (issue 18).
        choices=[("real", _("Real incidents")), ("exercise", _("Exercise incidents"))],
    )
    declared_from = forms.DateField(label=_("Declared from"), required=False, widget=DATE)
    declared_to = forms.DateField(label=_("Declared until"), required=False, widget=DATE)
    assignee = forms.ModelChoiceField(
        label=_("Assigned to"), required=False, queryset=User.objects.none(), empty_label=_("All")
    )

    def __init__(self, data: Any = None, *, user: Any = None) -> None:
        super().__init__(data, user=user)
        if user is not None and user.organisation_id is not None:
            field = self.fields["assignee"]
            field.queryset = incident_selectors.people_in(organisation_id=user.organisation_id)  # type: ignore[attr-defined]


class ReportFilterForm(FilterForm):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            *ALL,
            ("waiting", _("Waiting for triage")),
            ("incident", _("Part of an incident")),
            ("not_incident", _("Not an incident")),
        ],
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[*ALL, *Channel.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[*ALL, *Category.choices]
    )


class DecisionFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[*ALL, ("open", _("Decision pending")), *DecisionStatus.choices[1:]],
    )
    decision_type = forms.ChoiceField(
        label=_("Decision"), required=False, choices=[*ALL, *DecisionType.choices]
    )
    overdue = forms.BooleanField(label=_("Past its deadline"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)


class TaskFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("open", _("Open")),
            ("overdue", _("Overdue")),
            (TaskStatus.DONE, TaskStatus.DONE.label),
            (TaskStatus.WAIVED, TaskStatus.WAIVED.label),
        ],
    )
    level = forms.TypedChoiceField(
        label=_("Level"), required=False, coerce=int, empty_value=None, choices=[*ALL, *LEVELS]
    )
    owner_role = forms.ChoiceField(
        label=_("Owner role"), required=False, choices=[*ALL, *Role.choices]
    )
    mine = forms.BooleanField(label=_("Mine"), required=False)


class AlertFilterForm(FilterForm):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            *ALL,
            ("awaiting", _("Waiting for acknowledgement")),
            ("flagged", _("Unacknowledged at the end of the chain")),
            ("acknowledged", _("Acknowledged")),
            ("resolved", _("No longer needed")),
        ],
    )
    event = forms.ChoiceField(label=_("Event"), required=False, choices=[*ALL, *EVENT_CHOICES])


class PeriodForm(forms.Form):
    stores = NOTHING

    months = forms.TypedChoiceField(
        label=_("Period"),
        required=False,
        coerce=int,
        empty_value=DEFAULT_PERIOD,
        initial=DEFAULT_PERIOD,
        choices=[(n, PERIOD_LABELS[n]) for n in PERIODS],
    )

    def period(self) -> int:
        return self.cleaned_data["months"] if self.is_valid() else DEFAULT_PERIOD
