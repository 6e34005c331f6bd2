from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.incident import Incident


class TimelineEntry(models.Model):
    """Append-only, hash-chained record of every change to an incident (A.5.28, A.5.33).

    ``hash`` = HMAC-SHA256 under the key ``key_id`` names (kept outside the database) over
    ``prev_hash`` and the canonical JSON of the entry (``incidents.chain``); legacy entries,
    written before keys existed, have no key id and plain SHA-256. On PostgreSQL triggers reject
    UPDATE, DELETE (migration 0002) and TRUNCATE (0012); beat anchors the chain heads in signed
    checkpoint files; ``verify_timeline`` names the first entry that fails a check.
    """

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="timeline", verbose_name=_("incident")
    )
    seq = models.PositiveIntegerField(_("sequence"))
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=40)
    payload = models.JSONField(_("payload"), default=dict)
    prev_hash = models.CharField(max_length=64)
    # Empty for the legacy entries hashed without a key (before migration 0013).
    key_id = models.CharField(_("key id"), max_length=16, blank=True, default="")
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        constraints = [
            # Also serialises concurrent appends: the loser of a race retries.
            models.UniqueConstraint(fields=["incident", "seq"], name="timeline_unique_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}#{self.seq} {self.kind}"
