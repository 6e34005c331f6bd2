"""Every form and serializer field that ends in a model column accepts only what the column holds.

Issue 12, item 1: a field that accepts more than its column (a 73-character PC name for a
64-character asset tag) is a 500 and, at intake, a lost report. The forms and serializers are
discovered by importing every module of the product, not listed here; where a plain form or
serializer's fields end is declared next to them (``common.columns``). A value past the bound
is refused by the field itself, so the API answers 400 ``max_length``/``max_value`` and the
page shows the message in the user's language.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.core import validators
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection, models
from rest_framework import serializers

from common.columns import Stores

APPS = (
    "common",
    "accounts",
    "incidents",
    "risklevels",
    "bcp",
    "isms",
    "comms",
    "privacy",
    "notifications",
    "training",
    "vulns",
    "sharing",
    "dashboard",
    "records",
    "demo",
    "isms_csirt",
)
SKIP_MODULES = (".migrations", ".management")
# Fields that hold no bounded value: a reference (stored as the referenced row's id), a file
# (stored under a name the server makes), a JSON document, a moment or a truth value.
UNBOUNDED_INPUTS = (
    serializers.RelatedField,
    serializers.ManyRelatedField,
    serializers.FileField,
    serializers.JSONField,
    serializers.DictField,
    serializers.DateTimeField,
    serializers.DateField,
    serializers.BooleanField,
    serializers.HiddenField,
    serializers.SerializerMethodField,
    serializers.BaseSerializer,
    forms.ModelChoiceField,
    forms.FileField,
    forms.JSONField,
    forms.DateTimeField,
    forms.DateField,
    forms.BooleanField,
    forms.NullBooleanField,
)


def _import_product() -> None:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if not any(part in module.name for part in SKIP_MODULES):
                importlib.import_module(module.name)


def _subclasses(base: type) -> Iterator[type]:
    for sub in base.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _input_classes() -> list[type]:
    _import_product()
    found = {
        cls
        for base in (serializers.BaseSerializer, forms.BaseForm)
        for cls in _subclasses(base)
        if cls.__module__.split(".")[0] in APPS and not cls.__name__.startswith("_")
    }
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


INPUT_CLASSES = _input_classes()


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _fields(cls: type) -> dict[str, Any]:
    """The writable fields, as the class builds them (a ModelSerializer from its model)."""
    if issubclass(cls, serializers.BaseSerializer):
        if issubclass(cls, serializers.ModelSerializer):
            built = cls(context={}).get_fields()
        else:
            built = dict(cls._declared_fields)
        return {name: f for name, f in built.items() if not f.read_only}
    return dict(cls.base_fields)


def _model_of(cls: type) -> type[models.Model] | None:
    if issubclass(cls, serializers.ModelSerializer):
        return cls.Meta.model
    if issubclass(cls, forms.BaseModelForm):
        return cls._meta.model
    return None


def _column(model: type[models.Model], name: str) -> models.Field | None:
    try:
        column = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return column if column.concrete and not column.is_relation else None


def _resolve(label: str) -> models.Field:
    app_label, model_name, name = label.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(name)


def _columns(cls: type, name: str, field: Any) -> list[models.Field]:
    model = _model_of(cls)
    if model is not None:
        source = getattr(field, "source", None) or name
        column = _column(model, source if "." not in source else "")
        return [column] if column is not None else []
    declared = _declared(cls)
    if declared is None:
        return []
    own = _column(declared.model, name) if declared.model else None
    return ([own] if own is not None else []) + [
        _resolve(label) for label in declared.elsewhere.get(name, ())
    ]


def _declared(cls: type) -> Stores | None:
    declared = getattr(cls, "stores", None)
    return declared if isinstance(declared, Stores) else None


def _bounded(field: Any) -> bool:
    if isinstance(field, serializers.ListField):
        return _bounded(field.child)
    return not isinstance(field, UNBOUNDED_INPUTS)


# --- Every input says where it ends -------------------------------------------------------------


def test_the_product_has_forms_and_serializers_to_check():
    names = {_name(cls) for cls in INPUT_CLASSES}
    assert "incidents.api.serializers.intake.ReportCreateSerializer" in names
    assert "incidents.forms.report.LinkReportForm" in names
    assert "risklevels.forms.ChecklistTemplateForm" in names
    assert len(names) > 100


@pytest.mark.parametrize("cls", INPUT_CLASSES, ids=_name)
def test_every_plain_form_and_serializer_says_where_its_fields_end(cls):
    if _model_of(cls) is not None:
        return
    declared = getattr(cls, "stores", None)
    assert isinstance(declared, Stores), (
        f"{_name(cls)}: declare `stores = ends_in(Model, …)` or `stores = NOTHING` "
        "(common/columns.py), so the bounds of its fields can be checked"
    )
    if declared.nothing:
        return
    fields = _fields(cls)
    unknown = (set(declared.elsewhere) | declared.nowhere) - set(fields)
    assert not unknown, f"{_name(cls)} declares fields it does not have: {sorted(unknown)}"
    for labels in declared.elsewhere.values():
        for label in labels:
            _resolve(label)  # raises if the column does not exist
    unplaced = [
        name
        for name, field in fields.items()
        if _bounded(field) and name not in declared.nowhere and not _columns(cls, name, field)
    ]
    assert not unplaced, (
        f"{_name(cls)}: where do {unplaced} end? Name a column in `ends_in(…, field=…)` "
        "or list the field in `nowhere`"
    )


# --- What a field accepts fits its columns -------------------------------------------------------


def _max_length(field: Any) -> int | None:
    limit = getattr(field, "max_length", None)
    if limit is None and isinstance(field, forms.Field):
        lengths = [
            v.limit_value for v in field.validators if isinstance(v, validators.MaxLengthValidator)
        ]
        limit = min(lengths) if lengths else None
    return limit


def _value_range(field: Any, column: models.Field, via_model: bool) -> tuple[Any, Any]:
    low, high = getattr(field, "min_value", None), getattr(field, "max_value", None)
    checks = list(getattr(field, "validators", [])) + (list(column.validators) if via_model else [])
    for v in checks:
        if isinstance(v, validators.MinValueValidator):
            low = v.limit_value if low is None else max(low, v.limit_value)
        if isinstance(v, validators.MaxValueValidator):
            high = v.limit_value if high is None else min(high, v.limit_value)
    return low, high


def _choice_values(field: Any) -> list[Any]:
    if isinstance(field, serializers.ChoiceField):
        return list(field.choices)
    choices = field.choices
    values: list[Any] = []
    for value, label in choices:
        if isinstance(label, list | tuple):  # an optgroup
            values += [v for v, _ in label]
        else:
            values.append(value)
    return values


def _child(field: Any) -> Any:
    return getattr(field, "child", None) or getattr(field, "base_field", None)


def _problems(field: Any, column: models.Field, *, via_model: bool) -> list[str]:
    """What the field accepts that the column cannot hold."""
    if isinstance(column, ArrayField):
        child = _child(field)
        if child is None and isinstance(field, forms.MultipleChoiceField):
            return _problems_of_choices(field, column.base_field)
        return _problems(child, column.base_field, via_model=via_model) if child else []
    if isinstance(field, serializers.MultipleChoiceField):
        return []  # not an array column: the service joins or maps the choices
    if isinstance(field, serializers.ChoiceField | forms.ChoiceField):
        return _problems_of_choices(field, column)
    if isinstance(column, models.CharField):
        limit = _max_length(field)
        if via_model and limit is None:
            return []  # a ModelForm validates the model's max_length itself
        if limit is None or limit > column.max_length:
            return [f"accepts {limit or 'any'} characters, the column holds {column.max_length}"]
        return []
    if isinstance(column, models.IntegerField) and not column.primary_key:
        low, high = connection.ops.integer_field_range(column.get_internal_type())
        got_low, got_high = _value_range(field, column, via_model)
        if low is not None and (got_low is None or got_low < low):
            return [f"accepts values below {low} ({got_low})"]
        if high is not None and (got_high is None or got_high > high):
            return [f"accepts values above {high} ({got_high})"]
        return []
    if isinstance(column, models.DecimalField):
        digits, places = getattr(field, "max_digits", None), getattr(field, "decimal_places", None)
        if digits is None or digits > column.max_digits or (places or 0) > column.decimal_places:
            return [f"accepts {digits}/{places} digits, the column holds {column.max_digits}"]
    return []


def _problems_of_choices(field: Any, column: models.Field) -> list[str]:
    if not isinstance(column, models.CharField):
        return []
    too_long = [v for v in _choice_values(field) if len(str(v)) > column.max_length]
    return [f"choices longer than {column.max_length}: {too_long}"] if too_long else []


@pytest.mark.parametrize("cls", INPUT_CLASSES, ids=_name)
def test_every_field_accepts_only_what_its_columns_hold(cls):
    declared = _declared(cls)
    if declared is not None and declared.nothing:
        return
    via_model = issubclass(cls, forms.BaseModelForm)  # _post_clean runs the model's validators
    found = []
    for name, field in _fields(cls).items():
        if not _bounded(field):
            continue
        for column in _columns(cls, name, field):
            found += [
                f"{name} → {column.model.__name__}.{column.name}: {problem}"
                for problem in _problems(field, column, via_model=via_model)
            ]
    assert not found, f"{_name(cls)}:\n" + "\n".join(found)


# --- A value past the bound is refused with the field's message ---------------------------------


def _length_bounded(cls: type) -> list[tuple[str, Any, int]]:
    out = []
    for name, field in _fields(cls).items():
        if not _bounded(field) or isinstance(field, serializers.ChoiceField | forms.ChoiceField):
            continue
        limit = _max_length(field)
        declared = _declared(cls)
        columns = [] if declared is not None and declared.nothing else _columns(cls, name, field)
        if limit is not None and any(isinstance(c, models.CharField) for c in columns):
            out.append((name, field, limit))
    return out


@pytest.mark.parametrize("cls", INPUT_CLASSES, ids=_name)
def test_a_value_one_past_the_bound_is_refused(cls):
    """Refused by the field (a 400 naming the field), never passed on to the database."""
    for name, field, limit in _length_bounded(cls):
        check = field.run_validation if isinstance(field, serializers.Field) else field.clean
        try:
            check("a" * (limit + 1))
        except (serializers.ValidationError, DjangoValidationError):
            continue
        pytest.fail(f"{_name(cls)}.{name} accepted {limit + 1} characters")
