"""``{{ field|field_group }}``: a form field's label, help text, errors and widget, as
``BoundField.as_field_group()`` writes them, kept per process for an unbound field.

The incident room shows 54 fields (26 selects) of add- and edit-forms; Django renders each
through five to ten templates, about a third of the page's rendering (issue 20). An unbound
field's markup is a function of what the key below holds: the form's class, the language and
time zone, the field's names, label and help text, its flags, its widget (type and every
attribute, choices included) and the value shown. Equal keys give the same markup, so a hit
returns what Django would have written. A bound form (its input and errors) and a widget whose
choices come from a query set (reading them would be a query) are rendered by Django each time;
a model choice field given plain choices (``IncidentEditForm.list_people``) is kept.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date, datetime, time
from decimal import Decimal
from types import FunctionType
from typing import Any

from django import template
from django.forms import BoundField
from django.forms.models import ModelChoiceIterator
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString

register = template.Library()

# Each incident page keys its row forms by the row's id: bounded, cleared when full.
MAX_ENTRIES = 4096
_groups: dict[Hashable, SafeString] = {}


class Uncacheable(Exception):
    """A value the key cannot hold exactly: the field is rendered by Django."""


PLAIN = (str, int, float, bool, Decimal, date, datetime, time, type(None))


def _frozen(value: Any) -> Hashable:
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, PLAIN):
        return (type(value), value)
    if isinstance(value, list | tuple):
        return (type(value), tuple(_frozen(item) for item in value))
    if isinstance(value, dict):
        return (dict, tuple((_frozen(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, set | frozenset):
        return (frozenset, frozenset(_frozen(item) for item in value))
    if isinstance(value, type | FunctionType):
        return value  # a class or a function (a checkbox's ``check_test``): by identity
    raise Uncacheable(type(value))


def _key(bound: BoundField) -> Hashable:
    form, field = bound.form, bound.field
    if form.is_bound:
        raise Uncacheable(field)
    widget = field.widget
    state = dict(vars(widget))
    if isinstance(state.get("choices"), ModelChoiceIterator):  # a query set's: a query to read
        raise Uncacheable(field)
    if "widgets" in state:  # a MultiWidget: its parts' attributes too
        state["widgets"] = [vars(part) for part in state["widgets"]]
    return (
        type(form),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        bound.html_name,
        bound.auto_id,
        _frozen(bound.label),
        _frozen(bound.help_text),
        _frozen(form.label_suffix),
        _frozen(field.label_suffix),
        getattr(form, "required_css_class", None),
        getattr(form, "error_css_class", None),
        form.use_required_attribute,
        field.required,
        field.disabled,
        field.localize,
        field.show_hidden_initial,
        field.template_name,
        type(widget),
        _frozen(state),
        _frozen(bound.value()),
    )


@register.filter
def field_group(bound: BoundField) -> SafeString:
    """The field as ``as_field_group()`` renders it; an unbound field's markup is kept."""
    try:
        key = _key(bound)
    except Uncacheable:
        return bound.as_field_group()
    markup = _groups.get(key)
    if markup is None:
        markup = bound.as_field_group()
        if len(_groups) >= MAX_ENTRIES:
            _groups.clear()
        _groups[key] = markup
    return markup
