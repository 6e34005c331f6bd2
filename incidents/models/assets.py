from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from common.models import TimeStampedModel
from incidents.models import enums
from incidents.models.incident import Incident
from incidents.monthly import Fact, Figured, isolation_facts

# An asset tag is what a report's "PC name or asset tag" becomes; every input that can end up
# here is bounded by this length (tests/test_input_bounds.py).
ASSET_TAG_MAX_LENGTH = 64


class Asset(TimeStampedModel):
    """A terminal, server or service of the organisation (the ISMS asset inventory, A.5.9)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="assets",
        verbose_name=_("organisation"),
    )
    asset_tag = models.CharField(_("asset tag"), max_length=ASSET_TAG_MAX_LENGTH)
    hostname = models.CharField(_("hostname"), max_length=255, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=enums.AssetKind.choices, default=enums.AssetKind.PC
    )
    owner_department = models.CharField(_("owner department"), max_length=200, blank=True)
    holds_personal_data = models.BooleanField(_("holds personal data"), default=False)
    # Customer or company-confidential data (contracts, designs, customer lists): with personal
    # data, what makes a compromised server level 3 (rule L3-b).
    holds_confidential_data = models.BooleanField(
        _("holds customer or confidential data"), default=False
    )
    criticality = models.CharField(
        _("criticality"),
        max_length=4,
        choices=enums.Criticality.choices,
        default=enums.Criticality.MED,
    )

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "asset_tag"], name="asset_unique_tag"),
        ]
        indexes = [
            # Each fact change reads these few rows among every asset (issue 20: both were a
            # scan of all assets per change): the escalation snapshot's servers (rule L3-b)
            # and the APPI rules' assets holding personal data (privacy.services.appi).
            models.Index(
                fields=["id"], condition=models.Q(kind__in=enums.SERVER_KINDS), name="asset_servers"
            ),
            models.Index(
                fields=["id"],
                condition=models.Q(holds_personal_data=True),
                name="asset_personal_data",
            ),
        ]

    def __str__(self) -> str:
        # Many organisations name a PC after its tag: "PC-12 (PC-12)" says nothing twice.
        if not self.hostname or self.hostname.casefold() == self.asset_tag.casefold():
            return self.asset_tag
        return f"{self.asset_tag} ({self.hostname})"


class AffectedAsset(Figured, TimeStampedModel):
    # The statistics rollup (incidents.monthly): the time to isolate, in the asset's
    # organisation.
    FIGURE_FIELDS = ("incident_id", "asset_id", "infection_observed_at", "isolated_at")

    def figure_organisations(self, values: dict[str, Any]) -> set[int]:
        return {self._asset_organisation(values["asset_id"])}

    def _asset_organisation(self, asset_id: int) -> int:
        cached = self._state.fields_cache.get("asset")
        if cached is not None and cached.pk == asset_id:
            return cached.organisation_id
        return Asset.objects.values_list("organisation_id", flat=True).get(pk=asset_id)

    def figure_facts(self, values: dict[str, Any]) -> list[Fact]:
        org = self._asset_organisation(values["asset_id"])
        return isolation_facts(self, values, org)

    def figure_may_count(self, values: dict[str, Any]) -> bool:
        return values["isolated_at"] is not None and values["infection_observed_at"] is not None

    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="affected_assets",
        verbose_name=_("incident"),
    )
    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="involvements", verbose_name=_("asset")
    )
    infection_state = models.CharField(
        _("infection state"),
        max_length=12,
        choices=enums.InfectionState.choices,
        default=enums.InfectionState.NONE,
    )
    infection_via = models.CharField(
        _("infected via"),
        max_length=8,
        choices=enums.InfectionVia.choices,
        default=enums.InfectionVia.UNKNOWN,
    )
    first_infected_at = models.DateTimeField(_("first infected at"), null=True, blank=True)
    # When the organisation learned the asset was (suspected) infected: rule L2-b compares it
    # with other assets' isolation times.
    infection_observed_at = models.DateTimeField(_("infection observed at"), null=True, blank=True)
    malware_capability = models.CharField(
        _("malware capability"),
        max_length=16,
        choices=enums.MalwareCapability.choices,
        default=enums.MalwareCapability.UNKNOWN,
    )
    containment_state = models.CharField(
        _("containment"),
        max_length=16,
        choices=enums.ContainmentState.choices,
        default=enums.ContainmentState.NOT_CONTAINED,
    )
    isolated_at = models.DateTimeField(_("isolated at"), null=True, blank=True)
    isolation_method = models.CharField(
        _("isolation method"), max_length=16, choices=enums.IsolationMethod.choices, blank=True
    )
    remediation_state = models.CharField(
        _("remediation"),
        max_length=10,
        choices=enums.RemediationState.choices,
        default=enums.RemediationState.NONE,
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("affected asset")
        verbose_name_plural = _("affected assets")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "asset"], name="affected_asset_once_per_incident"
            ),
            models.CheckConstraint(
                condition=~models.Q(containment_state="ISOLATED")
                | models.Q(isolated_at__isnull=False),
                name="affected_asset_isolated_has_time",
            ),
        ]
        indexes = [
            # The escalation snapshot: infected assets of an incident, latest infection first.
            models.Index(
                fields=["incident", "infection_state", "infection_observed_at"],
                name="affected_infection",
            ),
            # The escalation snapshot: the earliest isolations of an incident (rule L2-b), in
            # the sample's order (the asset breaks ties: no sort of the tied rows, issue 20).
            models.Index(fields=["incident", "isolated_at", "asset"], name="affected_isolation"),
            # The escalation snapshot: the earliest effective infections (rule X-4), in order.
            models.Index(
                fields=["incident", "infection_observed_at", "asset"],
                condition=models.Q(infection_state__in=enums.EFFECTIVE_INFECTION),
                name="affected_effective_infection",
            ),
            # The escalation snapshot: the earliest lateral infection (rule L2-c; issue 20: a
            # read of every infected row before).
            models.Index(
                fields=["incident", "infection_observed_at", "asset"],
                condition=models.Q(
                    infection_state__in=enums.EFFECTIVE_INFECTION,
                    infection_via=enums.InfectionVia.LATERAL,
                ),
                name="affected_lateral_infection",
            ),
            # The infection counts (rule X-4, the trend point): the isolated assets of an
            # incident counted in the index (issue 20: a read of all of its rows before).
            models.Index(
                fields=["incident"],
                condition=models.Q(containment_state=enums.ContainmentState.ISOLATED),
                name="affected_isolated_count",
            ),
            # The dashboard's 30-day trend: isolations by the day (issue 20: a scan of every
            # affected asset before).
            models.Index(
                fields=["isolated_at"],
                condition=models.Q(isolated_at__isnull=False),
                name="affected_isolated_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.asset}"
