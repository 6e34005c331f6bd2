"""The intake desk (受付): reports, the triage items they form, reporting links, settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from common.models import TimeStampedModel
from incidents.models import enums
from incidents.models.incident import Incident
from incidents.monthly import Fact, Figured, event_facts


class EventQuerySet(models.QuerySet):
    def waiting(self) -> EventQuerySet:
        return self.filter(status=enums.EventStatus.RECEIVED)


class Event(Figured, TimeStampedModel):
    # The statistics rollup (incidents.monthly): closed triage items, false positives, MTTA.
    FIGURE_FIELDS = (
        "organisation_id",
        "incident_id",
        "status",
        "disposition",
        "received_at",
        "triaged_at",
    )

    def figure_facts(self, values: dict[str, Any]) -> list[Fact]:
        return event_facts(self, values)

    def figure_may_count(self, values: dict[str, Any]) -> bool:
        return values["status"] != enums.EventStatus.RECEIVED  # closed items only

    """A triage item: one or more reports of the same thing, waiting for the ISMS office."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=enums.EventStatus.choices,
        default=enums.EventStatus.RECEIVED,
    )
    summary = models.CharField(_("summary"), max_length=300)
    category = models.CharField(
        _("category"),
        max_length=32,
        choices=enums.Category.choices,
        default=enums.Category.TARGETED_EMAIL,
    )
    channel = models.CharField(_("channel"), max_length=24, choices=enums.Channel.choices)
    impact = models.CharField(
        _("impact"), max_length=8, choices=enums.Impact.choices, default=enums.Impact.LOW
    )
    priority = models.CharField(
        _("priority"), max_length=2, choices=enums.Priority.choices, default=enums.Priority.P3
    )
    priority_reason = models.CharField(_("priority reason"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received at"))
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("triaged by"),
    )
    disposition = models.CharField(
        _("disposition"), max_length=40, choices=enums.Disposition.choices, blank=True
    )
    disposition_note = models.TextField(_("disposition note"), blank=True)
    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("incident"),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("triage item")
        verbose_name_plural = _("triage items")
        indexes = [
            # The triage queue: waiting items of an organisation, oldest first.
            models.Index(
                fields=["organisation", "status", "received_at", "id"], name="event_queue"
            ),
            # The triage item list without a status filter (API /events/), oldest first.
            models.Index(fields=["organisation", "received_at", "id"], name="event_list"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["RECEIVED", "PROMOTED", "ATTACHED"])
                | ~models.Q(disposition=""),
                name="event_closed_has_disposition",
            ),
        ]

    def __str__(self) -> str:
        return f"EV-{self.pk}: {self.summary}"

    @property
    def priority_reason_text(self) -> str:
        """Why this priority, in the current language (the reason is stored as codes)."""
        from incidents.triage import reason_text

        return reason_text(self.priority_reason)

    @property
    def time_to_triage(self):  # type: ignore[no-untyped-def]
        return self.triaged_at - self.received_at if self.triaged_at else None


class Report(TimeStampedModel):
    """One person's report. It joins an event (before triage) or an incident (after)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("organisation"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("triage item"),
    )
    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("incident"),
    )
    channel = models.CharField(_("channel"), max_length=24, choices=enums.Channel.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("reporter"),
    )
    reporter_name = models.CharField(_("reporter name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("reporter email"), blank=True)
    reporter_phone = models.CharField(_("reporter phone"), max_length=40, blank=True)
    received_at = models.DateTimeField(_("received at"))
    category = models.CharField(
        _("category"),
        max_length=32,
        choices=enums.Category.choices,
        default=enums.Category.TARGETED_EMAIL,
    )
    what_happened = models.CharField(
        _("what happened"), max_length=20, choices=enums.WhatHappened.choices, blank=True
    )
    first_aid_confirmed_at = models.DateTimeField(
        _("first aid confirmed at"), null=True, blank=True
    )
    sender = models.CharField(_("sender"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    url = models.CharField(_("URL"), max_length=2000, blank=True)
    mail_received_at = models.DateTimeField(_("mail received at"), null=True, blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=255, blank=True)
    attachment_sha256 = models.CharField(_("attachment SHA-256"), max_length=64, blank=True)
    asset_label = models.CharField(_("PC name or asset tag"), max_length=100, blank=True)
    cable_pulled = models.BooleanField(_("cable pulled"), null=True, blank=True)
    cable_pulled_at = models.DateTimeField(_("cable pulled at"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    eml = models.FileField(_(".eml file"), upload_to="reports/%Y/%m/", blank=True)
    eml_parse_error = models.CharField(_(".eml parse error"), max_length=300, blank=True)
    # How grouping placed the report: {"target": "incident"|"event", "id": …, "kind": …}.
    matched = models.JSONField(_("matched by"), default=dict, blank=True)
    # A record derived from the report that could not be written (the report was kept), for
    # the ISMS office to complete by hand.
    intake_problem = models.CharField(
        _("not recorded"), max_length=16, choices=enums.IntakeProblem.choices, blank=True
    )
    intake_problem_detail = models.CharField(_("why not"), max_length=300, blank=True)
    # The one tap saves the report before anything else is asked (report first, then first
    # aid): the key the start page carried makes a repeated tap find the same report.
    tap_key = models.CharField(_("tap key"), max_length=64, blank=True)
    details_at = models.DateTimeField(_("details added at"), null=True, blank=True)
    # Its number: R-YYYY-NNNNNN from the organisation's gap-free sequence of the year, or
    # EX-R-YYYY-NNNN from the exercises' own sequence (issue 18; services/refs.py). The number
    # is taken last in the filing transaction (issue 20: the counter's row lock, held until the
    # commit, orders every report of the organisation): until then it is NULL, which no other
    # transaction ever sees.
    is_exercise = models.BooleanField(_("exercise"), default=False)
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("number"), null=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            # "My reports": a reporter sees their own, newest first.
            models.Index(fields=["reporter", "-received_at"], name="report_by_reporter"),
            # The report list of the ISMS office (keyset on received_at, id).
            models.Index(fields=["organisation", "-received_at", "-id"], name="report_org_recv"),
        ]
        constraints = [
            # A repeated or concurrent tap of one start page files one report, not two.
            models.UniqueConstraint(
                fields=["organisation", "tap_key"],
                condition=~models.Q(tap_key=""),
                name="report_unique_tap",
            ),
            # Real reports and exercise reports number apart (R-… and EX-R-…, issue 18).
            models.UniqueConstraint(
                fields=["organisation", "is_exercise", "year", "seq"],
                name="report_unique_seq_per_year",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        if self.is_exercise:
            return f"EX-R-{self.year}-{self.seq:04d}"
        return f"R-{self.year}-{self.seq:06d}"


class ReportKey(models.Model):
    """A normalised mail indicator of a report; grouping matches waiting events by these."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="keys")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, null=True, related_name="keys")
    kind = models.CharField(max_length=16, choices=enums.IndicatorKind.choices)
    value = models.CharField(max_length=2000)
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [
            # Campaign grouping before triage: a waiting event with this key.
            models.Index(fields=["organisation", "kind", "digest"], name="reportkey_match"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}={self.value}"


class EventKey(models.Model):
    """A mail key of a waiting triage item. At most one open item holds a key, so two
    concurrent first reports of one email cannot start two items: the second insert waits on
    the unique index, fails, and joins the first (services/intake.py)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="open_keys")
    kind = models.CharField(max_length=16, choices=enums.IndicatorKind.choices)
    digest = models.CharField(max_length=64)
    open = models.BooleanField(default=True)

    class Meta:
        constraints = [
            # Campaign grouping before triage: "is an open item already about this email?"
            models.UniqueConstraint(
                fields=["organisation", "kind", "digest"],
                condition=models.Q(open=True),
                name="event_key_open_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.kind}"


class ReportingLink(TimeStampedModel):
    """The secret reporting link for people without an account (派遣, 請負)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="reporting_links"
    )
    token = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reporting link")
        verbose_name_plural = _("reporting links")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_reporting_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: …{self.token[-4:]}"


class IntakeSettings(TimeStampedModel):
    """Per-organisation wording of the first-aid steps and the triage matrix."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="intake_settings"
    )
    first_aid_ja = models.TextField(_("first-aid steps (Japanese)"), blank=True)
    first_aid_en = models.TextField(_("first-aid steps (English)"), blank=True)
    # {"<CATEGORY>": {"<IMPACT>": "P1".."P4"}}; missing cells fall back to the defaults.
    triage_matrix = models.JSONField(_("triage matrix"), default=dict, blank=True)

    class Meta:
        verbose_name = _("intake settings")
        verbose_name_plural = _("intake settings")

    def __str__(self) -> str:
        return str(self.organisation)


class IdempotencyRecord(models.Model):
    """The first response to a POST with an Idempotency-Key, replayed for the same body."""

    owner = models.CharField(max_length=80)  # "user:<id>" or "key:<id>"
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.owner}:{self.key}"
