"""The people who must be trained, and the CSV imports that keep them current."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationUnit
from common.models import TimeStampedModel
from training.enums import ImportKind, ImportStatus, Population


class PersonQuerySet(models.QuerySet):
    def active(self, on: date) -> PersonQuerySet:
        """People who had started and not yet left on that day."""
        return self.filter(start_date__lte=on).filter(
            models.Q(left_on__isnull=True) | models.Q(left_on__gt=on)
        )


class Person(TimeStampedModel):
    """Anyone who must be trained, with or without an account: many dispatched workers and
    contractors never log in, yet the basic behaviour must reach them too."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name=_("organisation"),
    )
    employee_no = models.CharField(_("staff number"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    population = models.CharField(_("population"), max_length=12, choices=Population.choices)
    unit = models.ForeignKey(
        OrganisationUnit,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("department"),
    )
    start_date = models.DateField(_("start date"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_person",
        verbose_name=_("account"),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_no"], name="person_unique_staff_number"
            ),
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=~models.Q(email=""),
                name="person_unique_email",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("start_date")),
                name="person_leaves_after_start",
            ),
        ]
        indexes = [
            # The people list and the coverage page: an organisation's people by name.
            models.Index(fields=["organisation", "name"], name="person_org_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_no})"


class CsvImport(TimeStampedModel):
    """One uploaded CSV: previewed first, imported all at once or not at all."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content = models.BinaryField(_("content"))
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    drill = models.ForeignKey(
        "training.PhishingDrill",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="imports",
        verbose_name=_("drill"),
    )

    class Meta:
        verbose_name = _("CSV import")
        verbose_name_plural = _("CSV imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename} ({self.get_status_display()})"

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)
