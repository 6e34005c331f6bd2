from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

# Each field's choices as {value: label}, the labels left lazy (translated when shown).
_LABELS: dict[models.Field, dict[Any, Any]] = {}


class TimeStampedModel(models.Model):
    """Base for domain rows: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field) -> Any:
        """``get_<field>_display()`` as Django's, with the choices read into a dict once per
        field: Django's builds it on every call and hashes each label, translating every
        choice of the field (a list page asks four labels of each of its 50 rows: about
        a third of its rendering). The choices of this project's fields are fixed lists."""
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = {
                make_hashable(value): label for value, label in field.flatchoices
            }
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the periodic heartbeat task (read by /readyz)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    beat_at = models.DateTimeField(_("beat at"))
    hostname = models.CharField(_("hostname"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
