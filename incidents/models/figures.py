"""The statistics rollup (issue 20): per organisation, calendar month and measure, the counts
and sums of durations the statistics page reads instead of a year of incidents.

Kept by ``incidents.monthly`` in the same transaction as the rows it counts; an organisation
has figures only in the time zones listed in ``FiguresZone`` (written by the rebuild, which
starts them complete), and the page computes live for any other organisation or zone.
"""

from __future__ import annotations

from django.db import models

from accounts.models import Organisation


class FiguresZone(models.Model):
    """The rollup of ``organisation`` is complete in ``zone`` (an IANA time zone name)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    zone = models.CharField(max_length=64)
    built_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "zone"], name="figures_zone_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.zone}"


class MonthlyFigure(models.Model):
    """One measure of one month: ``n`` rows counted, ``total_us`` their summed duration (µs).

    Measures: ``category`` and ``level`` (incidents declared, by ``key``), ``triage`` (closed
    triage items triaged, received → triaged), ``closed`` and ``fp`` (closed triage items, those
    found not to be an incident), ``resolve`` (declared → closed), ``isolate`` (observed →
    isolated), ``decide`` and ``late`` (decisions decided, by type in ``key``).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    zone = models.CharField(max_length=64)
    month = models.DateField()
    measure = models.CharField(max_length=16)
    key = models.CharField(max_length=64, blank=True)
    n = models.BigIntegerField(default=0)
    total_us = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "zone", "month", "measure", "key"],
                name="monthly_figure_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.measure} {self.key}: {self.n}"


class DailyFigure(models.Model):
    """One measure of one day of the organisation's calendar, for the measures the dashboard's
    30-day trend reads by day (``incidents.monthly.DAILY``: ``isolate``, observed → isolated, by
    the day of the isolation). Kept with ``MonthlyFigure``, in the same zones and writes."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    zone = models.CharField(max_length=64)
    day = models.DateField()
    measure = models.CharField(max_length=16)
    n = models.BigIntegerField(default=0)
    total_us = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "zone", "measure", "day"], name="daily_figure_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.measure}: {self.n}"
