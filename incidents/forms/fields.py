"""Field helpers shared by the incident forms."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from common import clock
from common.timestamps import CheckedDateTimeField

EARLIEST = datetime(2000, 1, 1).astimezone()
FUTURE_TOLERANCE = timedelta(minutes=10)


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's own date-time picker; works without any script."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class PastDateTimeField(CheckedDateTimeField):
    """A moment that has already happened: not before 2000, not in the future."""

    widget = LocalDateTimeInput
    default_error_messages = {
        "out_of_range": _("Give a time between the year 2000 and now."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate(self, value: datetime | None) -> None:
        super().validate(value)
        if value is not None and not (EARLIEST <= value <= clock.now() + FUTURE_TOLERANCE):
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")


def enum_choices(
    enum: type[models.TextChoices],
    values: Iterable[str] | None = None,
    blank: str | None = None,
) -> list[tuple[str, str]]:
    """Choices of a TextChoices, optionally a subset and with a blank first entry."""
    wanted = set(values) if values is not None else None
    choices = [(v, label) for v, label in enum.choices if wanted is None or v in wanted]
    return ([("", blank)] if blank is not None else []) + choices
