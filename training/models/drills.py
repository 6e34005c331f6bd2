"""Phishing drills (標的型メール訓練): who received the lure, and who opened, clicked,
entered data and reported it, and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from common.models import TimeStampedModel
from training.models.courses import Course
from training.models.people import Person


class PhishingDrill(TimeStampedModel):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="phishing_drills",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    scenario = models.TextField(_("scenario"), blank=True)
    sent_at = models.DateTimeField(_("sent at"))
    follow_up_course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up course"),
    )
    follow_up_days = models.PositiveSmallIntegerField(_("follow-up within (days)"), default=30)
    results_imported_at = models.DateTimeField(_("results imported at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("phishing drill")
        verbose_name_plural = _("phishing drills")
        indexes = [
            # The drill list and the review pack: an organisation's drills by date.
            models.Index(fields=["organisation", "-sent_at"], name="drill_org_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.sent_at:%Y-%m-%d})"


class DrillRecipient(models.Model):
    """One recipient's result. Flags stay true when the drill tool gives no time."""

    drill = models.ForeignKey(
        PhishingDrill, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("drill")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="drill_results", verbose_name=_("person")
    )
    opened = models.BooleanField(_("opened"), default=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    clicked = models.BooleanField(_("clicked"), default=False)
    clicked_at = models.DateTimeField(_("clicked at"), null=True, blank=True)
    entered_data = models.BooleanField(_("entered data"), default=False)
    entered_data_at = models.DateTimeField(_("entered data at"), null=True, blank=True)
    reported = models.BooleanField(_("reported"), default=False)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("drill recipient")
        verbose_name_plural = _("drill recipients")
        constraints = [
            models.UniqueConstraint(fields=["drill", "person"], name="drill_recipient_once"),
            models.CheckConstraint(
                condition=models.Q(clicked=False) | models.Q(opened=True),
                name="drill_clicked_means_opened",
            ),
            models.CheckConstraint(
                condition=models.Q(entered_data=False) | models.Q(clicked=True),
                name="drill_entered_means_clicked",
            ),
        ]
        indexes = [
            # A person's drill history (the readiness panel on the incident page).
            models.Index(fields=["person", "drill"], name="drill_recipient_person"),
        ]

    def __str__(self) -> str:
        return f"{self.drill_id}: {self.person_id}"
