"""Vulnerability information (issue 23): what runs where, what the advisories say, findings.

The asset inventory is incidents' ``Asset``; vulns keeps its own records beside it (the
software on an asset, whether the asset faces the internet) and never changes incidents' rows.
Advisories are public information, shared by every organisation of the installation; findings,
software and policies belong to one organisation.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from bcp.models import Decision
from common.models import TimeStampedModel
from incidents.models import Asset, Incident
from vulns import enums

USER = settings.AUTH_USER_MODEL
VULN_ID_MAX_LENGTH = 64


class Exposure(TimeStampedModel):
    """Whether an asset faces the internet, and as what (VPN, firewall, mail, web)."""

    asset = models.OneToOneField(
        Asset, on_delete=models.CASCADE, related_name="exposure", verbose_name=_("asset")
    )
    internet_facing = models.BooleanField(_("internet-facing"), default=False)
    role = models.CharField(
        _("role"),
        max_length=12,
        choices=enums.ExposureRole.choices,
        default=enums.ExposureRole.INTERNAL,
    )

    class Meta:
        verbose_name = _("exposure")
        verbose_name_plural = _("exposures")

    def __str__(self) -> str:
        return f"{self.asset}: {self.get_role_display()}"


class Software(TimeStampedModel):
    """A product (software or firmware) at one version on one asset."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, related_name="software", verbose_name=_("asset")
    )
    vendor = models.CharField(_("vendor"), max_length=120)
    product = models.CharField(_("product"), max_length=120)
    version = models.CharField(_("version"), max_length=64)
    cpe = models.CharField(_("CPE 2.3 name"), max_length=255, blank=True)
    purl = models.CharField(_("package URL"), max_length=255, blank=True)
    # What matching looks up (vulns.matching.keys_of): "cpe:vendor:product", "purl:type/ns/name".
    cpe_key = models.CharField(max_length=250, db_index=True, editable=False)
    purl_key = models.CharField(max_length=250, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("software")
        verbose_name_plural = _("software")
        ordering = ["vendor", "product", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "vendor", "product", "version"], name="software_once_per_asset"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} {self.product} {self.version}"


class Advisory(TimeStampedModel):
    """One vulnerability (CVE id, else the JVN or CSAF id), merged from every feed that names it."""

    vuln_id = models.CharField(_("vulnerability id"), max_length=VULN_ID_MAX_LENGTH, unique=True)
    jvn_id = models.CharField(_("JVN id"), max_length=32, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    title_ja = models.CharField(_("title (Japanese)"), max_length=500, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True)
    cvss_vector = models.CharField(_("CVSS vector"), max_length=200, blank=True)
    cvss_score = models.DecimalField(
        _("CVSS base score"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    severity = models.CharField(
        _("severity"), max_length=8, choices=enums.Severity.choices, default=enums.Severity.NONE
    )
    cvss_source = models.CharField(
        _("CVSS from"), max_length=8, choices=enums.FeedKind.choices, blank=True
    )
    kev_listed = models.BooleanField(_("known exploited (KEV)"), default=False)
    kev_added_on = models.DateField(_("added to KEV on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)

    class Meta:
        verbose_name = _("advisory")
        verbose_name_plural = _("advisories")
        indexes = [models.Index(fields=["kev_listed"], name="advisory_kev")]

    def __str__(self) -> str:
        return self.vuln_id

    @property
    def title(self) -> str:
        japanese = (get_language() or "ja").startswith("ja")
        first, second = (
            (self.title_ja, self.title_en) if japanese else (self.title_en, self.title_ja)
        )
        if first or second:
            return first or second
        summary = (self.summary_ja if japanese else self.summary_en) or self.summary_en
        return summary.split(". ")[0][:120] if summary else self.vuln_id


class AdvisoryVersion(models.Model):
    """What one feed said about an advisory, each time it said something new (kept on re-import)."""

    advisory = models.ForeignKey(
        Advisory, on_delete=models.CASCADE, related_name="versions", verbose_name=_("advisory")
    )
    source = models.CharField(_("source"), max_length=8, choices=enums.FeedKind.choices)
    revision = models.PositiveIntegerField(_("revision"))
    digest = models.CharField(_("digest"), max_length=64)
    document = models.JSONField(_("record"))
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("advisory version")
        verbose_name_plural = _("advisory versions")
        ordering = ["advisory", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["advisory", "source", "digest"], name="advisory_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.advisory_id} r{self.revision} ({self.source})"


class AffectedRange(models.Model):
    """One affected product of an advisory: a CPE or purl key and a version or version range."""

    advisory = models.ForeignKey(
        Advisory, on_delete=models.CASCADE, related_name="ranges", verbose_name=_("advisory")
    )
    source = models.CharField(_("source"), max_length=8, choices=enums.FeedKind.choices)
    key = models.CharField(_("product key"), max_length=250, db_index=True)
    # A VERS range ("vers:generic/>=7.0.0|<7.0.13"); "*" for every version.
    vers = models.CharField(_("version range"), max_length=500)
    criteria = models.CharField(_("as the feed wrote it"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("affected range")
        verbose_name_plural = _("affected ranges")

    def __str__(self) -> str:
        return f"{self.key} {self.vers}"


class DuePolicy(TimeStampedModel):
    """The organisation's policy of how soon a finding is dealt with (the defaults below)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    critical_days = models.PositiveSmallIntegerField(_("critical (days)"), default=14)
    high_days = models.PositiveSmallIntegerField(_("high (days)"), default=30)
    medium_days = models.PositiveSmallIntegerField(_("medium (days)"), default=90)
    low_days = models.PositiveSmallIntegerField(_("low or no score (days)"), default=180)
    kev_days = models.PositiveSmallIntegerField(_("known exploited (days)"), default=14)
    internet_critical_days = models.PositiveSmallIntegerField(
        _("critical or high on an internet-facing asset (days)"), default=7
    )
    kev_internet_hours = models.PositiveSmallIntegerField(
        _("known exploited on an internet-facing asset (hours)"), default=72
    )

    class Meta:
        verbose_name = _("due-date policy")
        verbose_name_plural = _("due-date policies")

    def __str__(self) -> str:
        return str(self.organisation)

    def by_severity(self) -> dict[str, timedelta]:
        return {
            enums.Severity.CRITICAL: timedelta(days=self.critical_days),
            enums.Severity.HIGH: timedelta(days=self.high_days),
            enums.Severity.MEDIUM: timedelta(days=self.medium_days),
            enums.Severity.LOW: timedelta(days=self.low_days),
            enums.Severity.NONE: timedelta(days=self.low_days),
        }


class Finding(TimeStampedModel):
    """One vulnerability on one asset, with its VEX-style status and due date."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    advisory = models.ForeignKey(
        Advisory, on_delete=models.PROTECT, related_name="findings", verbose_name=_("advisory")
    )
    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, related_name="vuln_findings", verbose_name=_("asset")
    )
    software = models.ForeignKey(
        Software,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("software"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=enums.FindingStatus.choices,
        default=enums.FindingStatus.NEW,
    )
    justification = models.CharField(
        _("justification"), max_length=64, choices=enums.Justification.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    found_at = models.DateTimeField(_("found at"))
    due_at = models.DateTimeField(_("due at"))
    # When the CSIRT lead was alerted of a known exploited flaw on an internet-facing asset.
    alerted_at = models.DateTimeField(_("alerted at"), null=True, blank=True)
    incident = models.ForeignKey(
        Incident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("incident"),
    )
    # The decision that accepts the finding's risk (issue 23): the finding becomes "risk
    # accepted" only when it is approved (vulns.services.risk).
    risk_decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("risk acceptance decision"),
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(fields=["advisory", "asset"], name="finding_once_per_asset"),
            models.CheckConstraint(
                condition=~models.Q(status="NOT_AFFECTED") | ~models.Q(justification=""),
                name="finding_not_affected_justified",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "due_at"], name="finding_due")]

    def __str__(self) -> str:
        return f"{self.advisory_id} @ {self.asset_id}"


class FindingEvent(models.Model):
    """The history of a finding: each status change, with who and why (append-only)."""

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="events", verbose_name=_("finding")
    )
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=32)
    from_status = models.CharField(
        _("from"), max_length=16, choices=enums.FindingStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=16, choices=enums.FindingStatus.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("finding event")
        verbose_name_plural = _("finding events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.finding_id}: {self.kind}"

    @property
    def label(self) -> str:
        return str(enums.EVENT_LABELS.get(self.kind, self.kind))


class InventoryImport(TimeStampedModel):
    """One uploaded inventory CSV or SBOM: checked first (the preview), then imported all at once
    or not at all (the apply checks the kept file again). A file with a problem is never kept."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=enums.InventoryImportKind.choices)
    # The asset an SBOM describes (a CSV names the asset on each line).
    asset = models.ForeignKey(
        Asset,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asset"),
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content = models.BinaryField(_("content"))
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=enums.InventoryImportStatus.choices,
        default=enums.InventoryImportStatus.PREVIEWED,
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inventory import")
        verbose_name_plural = _("inventory imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename} ({self.get_status_display()})"


class FeedSource(TimeStampedModel):
    """An advisory feed the organisation has polled from a URL (Celery beat, ``poll_feeds``)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind of feed"), max_length=8, choices=enums.FeedKind.choices)
    url = models.URLField(_("URL"), max_length=500)
    enabled = models.BooleanField(_("polled"), default=True)
    # The claim of one poll: a second beat (or worker) finds it taken and skips the feed.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_digest = models.CharField(max_length=64, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    # When the ISMS office was told the feed fails; cleared by the next success.
    alerted_at = models.DateTimeField(_("failure alerted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("advisory feed")
        verbose_name_plural = _("advisory feeds")
        ordering = ["kind", "url"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "url"], name="feed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.url}"


class AssetOwner(TimeStampedModel):
    """Who looks after an asset: the person its findings' tasks go to (issue 23)."""

    asset = models.OneToOneField(
        Asset, on_delete=models.CASCADE, related_name="vuln_owner", verbose_name=_("asset")
    )
    owner = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="+", verbose_name=_("asset owner")
    )

    class Meta:
        verbose_name = _("asset owner")
        verbose_name_plural = _("asset owners")

    def __str__(self) -> str:
        return f"{self.asset}: {self.owner}"


class FindingTask(TimeStampedModel):
    """An asset owner's task for an open finding, due when the finding is; alerted before the
    due date and at it, once each per due date (vulns.services.owner_tasks)."""

    finding = models.OneToOneField(
        Finding, on_delete=models.CASCADE, related_name="task", verbose_name=_("finding")
    )
    owner = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="vuln_tasks", verbose_name=_("asset owner")
    )
    due_at = models.DateTimeField(_("due at"))
    # The due date each alert was sent for: a claim compares it, so each goes out once.
    reminded_for = models.DateTimeField(_("reminded for"), null=True, blank=True)
    alerted_for = models.DateTimeField(_("alerted at the due date for"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("vulnerability task")
        verbose_name_plural = _("vulnerability tasks")
        indexes = [models.Index(fields=["done_at", "due_at"], name="finding_task_due")]

    def __str__(self) -> str:
        return f"{self.finding_id} → {self.owner_id}"
