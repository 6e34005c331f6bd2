"""Fields, mixins and shared outputs of the incident API serializers."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User
from common import clock
from common.columns import NOTHING
from common.errors import InvalidInput
from incidents.services.intake import EARLIEST, FUTURE_TOLERANCE

# --- Fields -------------------------------------------------------------------------------------


class PlausibleDateTimeField(serializers.DateTimeField):
    """A timestamp between 2000 and now (plus a tolerance for clock skew or a due date)."""

    default_error_messages = {
        "invalid_timestamp": _("The time must lie between 2000 and now."),
    }

    def __init__(self, *, future: timedelta = FUTURE_TOLERANCE, **kwargs: Any) -> None:
        self.future = future
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> datetime:
        try:
            parsed = super().to_internal_value(value)
        except serializers.ValidationError as exc:
            if "overflow" in exc.get_codes():  # year 9999 in UTC is year 10000 in Tokyo
                self.fail("invalid_timestamp")
            raise
        if not EARLIEST <= parsed <= clock.now() + self.future:
            self.fail("invalid_timestamp")
        return parsed


class MailboxField(serializers.CharField):
    """A sender as mail clients show it: ``"Name" <address>`` or a bare address."""

    default_error_messages = {"invalid": _("Enter a valid email address.")}

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if value:
            _name, address = parseaddr(value)
            try:
                validate_email(address)
            except DjangoValidationError:
                self.fail("invalid")
        return value


def text(max_length: int, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, allow_blank=True, default="", **kwargs)


def choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, **kwargs)


class OrganisationPeopleMixin:
    """Scopes the person fields named in ``people_fields`` to the requester's organisation."""

    people_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # type: ignore[attr-defined]
        org_id = getattr(getattr(request, "user", None), "organisation_id", None)
        people: QuerySet[User] = User.objects.filter(organisation_id=org_id, is_active=True)
        for name in self.people_fields:
            field = self.fields[name]  # type: ignore[attr-defined]
            getattr(field, "child_relation", field).queryset = people


class EditableFieldsMixin:
    """A PATCH names only fields it may change; anything else is refused, not ignored."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        sent = set(getattr(self, "initial_data", {}) or {})
        refused = sorted(sent - set(self.fields))  # type: ignore[attr-defined]
        if refused:
            raise InvalidInput(
                "field_not_editable",
                _(
                    "These fields cannot be changed here. The status changes by a transition "
                    "command and the level only by a decision."
                ),
                fields=refused,
            )
        return attrs


class FieldsBuiltOnce:
    """A serializer whose fields are built once per class, then made afresh cheaply (issue 20).

    DRF builds a ModelSerializer's fields for every instance, reading the model's field options
    each time, and deep-copies every declared field with its arguments (the choices, each
    label): together about a quarter of a report's CPU at the intake. Here the fields are built
    once per class, and each instance gets new, unbound fields made with the arguments they
    were made with, as DRF's own copy does, without deep-copying those arguments: fields only
    read them (a field's validators, choices and defaults are its own after ``__init__``). For
    serializers whose fields depend on the class only, never on the instance or the request.
    """

    def get_fields(self) -> dict[str, serializers.Field]:
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()  # type: ignore[misc]
            cls._fields_built_once = built  # type: ignore[attr-defined]
        return {name: _fresh(field) for name, field in built.items()}


def _fresh(field: serializers.Field) -> serializers.Field:
    if isinstance(field, serializers.ListSerializer):  # made by many=True: DRF's own copy
        return copy.deepcopy(field)
    return field.__class__(*field._args, **field._kwargs)  # type: ignore[attr-defined]


# --- Shared outputs -----------------------------------------------------------------------------


class PersonSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name"]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    """Every error: a stable machine-readable code, a message for people, and details."""

    stores = NOTHING

    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.DictField()
