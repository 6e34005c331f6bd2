"""The one place the domain asks for the time, so tests can move it (time-machine)."""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()
