"""Time stamps from outside: only offsets that exist, and moments the database can hold.

Python reads offsets up to ±23:59 (``+16:10``); PostgreSQL refuses anything past ±15:59 with an
error, and a moment near year 1 or 9999 overflows when moved to UTC. Real time zones lie
between -12:00 and +14:00, so an input outside that range is refused as invalid.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from rest_framework import serializers

MIN_OFFSET = timedelta(hours=-12)
MAX_OFFSET = timedelta(hours=14)
OFFSET_MESSAGE = _("Give a time with a time zone offset between -12:00 and +14:00.")


def checked(value: datetime | None) -> datetime | None:
    """The moment in UTC, or a ValidationError (code ``invalid``) for an impossible one."""
    if value is None or value.tzinfo is None:
        return value
    offset = value.utcoffset()
    if offset is None or not MIN_OFFSET <= offset <= MAX_OFFSET:
        raise forms.ValidationError(OFFSET_MESSAGE, code="invalid")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise forms.ValidationError(OFFSET_MESSAGE, code="invalid") from None


class CheckedDateTimeField(forms.DateTimeField):
    """A form field for a moment; see the module's docstring."""

    def to_python(self, value: object) -> datetime | None:
        return checked(super().to_python(value))


class CheckedIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value: object) -> datetime | None:
        return checked(super().to_python(value))


class CheckedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An API filter on a moment (ISO 8601); see the module's docstring."""

    field_class = CheckedIsoDateTimeField


EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


class MomentField(serializers.DateTimeField):
    """An API moment between the years 2000 and 2099 (nothing in the product lies outside it).

    Before 1888 a time zone such as Asia/Tokyo has a local mean time offset with seconds
    (+09:18:59), which no ISO 8601 / RFC 3339 reader accepts back; such years are refused.
    """

    default_error_messages = {
        "out_of_range": _("Give a time between the years 2000 and 2099."),
    }

    def to_internal_value(self, value: Any) -> datetime:
        parsed = super().to_internal_value(value)
        if not EARLIEST <= parsed < LATEST:
            self.fail("out_of_range")
        return parsed
