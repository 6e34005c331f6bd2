"""The schema tells the truth about errors: every operation lists those any API view can answer.

Views declare the errors of their own rules (``errors(400, 409)``); this drf-spectacular
post-processing hook adds, to every operation, the ones that come from the framework around
them: 401 without credentials, 403 for a caller without the scope or organisation, 404 for an
object not visible, 400 for malformed input or filters, 409 for a command refused by the
state, 413 and 415 for a body too large or of another type. Each is the same error document
(``{"code", "message", "details"}``, docs/api.md).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular import openapi
from rest_framework import serializers

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error: a stable machine-readable code, a message for people, details.",
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "details": {"type": "object", "additionalProperties": {}},
    },
    "required": ["code", "message", "details"],
}
DESCRIPTIONS = {
    "400": "Invalid input (the error's code and field say which)",
    "401": "No valid credentials (session or API key)",
    "403": "Not allowed",
    "404": "Not found or not visible",
    "409": "Conflicts with the current state",
    "413": "The body is too large",
    "415": "A body type the endpoint does not accept",
}
METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
UNSAFE = ("post", "put", "patch", "delete")


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method in METHODS:
                _add(operation, _codes(path, method, operation))
    return result


def _codes(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    body = "requestBody" in operation
    codes = ["401", "403"]
    if body or operation.get("parameters"):
        codes.append("400")
    if "{" in path:
        codes.append("404")
    if method in UNSAFE:
        codes.append("409")
    if body:
        codes += ["413", "415"]
    return codes


def _add(operation: dict[str, Any], codes: list[str]) -> None:
    responses = operation.setdefault("responses", {})
    for code in codes:
        responses.setdefault(
            code,
            {
                "description": DESCRIPTIONS[code],
                "content": {"application/json": {"schema": ERROR_REF}},
            },
        )


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, with read-only fields described as the model lets them be.

    DRF drops ``allow_blank`` from fields listed in ``read_only_fields`` and a declared
    read-only field (a nested person, a reference by slug) knows nothing of its column, so the
    schema said "one of the choices" or "an object" where the API answers ``""`` or ``null``.
    """

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        column = _column(field) if field.read_only else None
        if column is not None:
            if column.null:
                field.allow_null = True
            if column.blank and isinstance(field, serializers.ChoiceField | serializers.CharField):
                field.allow_blank = True
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if column is not None and column.blank and schema.get("format") in ("email", "uri"):
            schema.pop("format")  # "" is a valid answer, not a valid address
        return schema


def _column(field: Any) -> models.Field | None:
    """The model column a serializer field shows, if it shows one directly."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", "") or ""
    if model is None or not source or "." in source or source == "*":
        return None
    try:
        column = model._meta.get_field(source)
    except FieldDoesNotExist:
        return None
    return column if column.concrete else None
