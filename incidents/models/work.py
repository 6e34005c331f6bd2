"""Tasks (checklist items and ad-hoc work) of an incident."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.roles import Role
from common.models import TimeStampedModel
from incidents.models import enums
from incidents.models.incident import Incident


class TaskQuerySet(models.QuerySet):
    def open(self) -> TaskQuerySet:
        return self.filter(status=enums.TaskStatus.OPEN)

    def overdue(self, now) -> TaskQuerySet:  # type: ignore[no-untyped-def]
        return self.open().filter(due_at__lt=now)

    def bulk_create(self, objs, *args, **kwargs):  # type: ignore[no-untyped-def]
        objs = list(objs)
        _with_organisation(objs)
        return super().bulk_create(objs, *args, **kwargs)


def _with_organisation(tasks: list[Task]) -> None:
    """Each task takes its incident's organisation (read once for those not loaded)."""
    missing = [t for t in tasks if t.organisation_id is None]
    unloaded = {t.incident_id for t in missing if not Task.incident.is_cached(t)}
    read = dict(
        Incident.objects.filter(pk__in=unloaded).values_list("pk", "organisation_id")
        if unloaded
        else ()
    )
    for task in missing:
        loaded = Task.incident.is_cached(task)
        task.organisation_id = task.incident.organisation_id if loaded else read[task.incident_id]


class Task(TimeStampedModel):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("incident")
    )
    # The incident's organisation, copied when the task is created (``save``, ``bulk_create``):
    # the dashboard's overdue count reads the organisation's open tasks from one index instead
    # of probing each task's incident (issue 20). An incident never changes organisation.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", editable=False
    )
    code = models.CharField(_("code"), max_length=16, blank=True)  # e.g. L1-03
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=600)
    title_en = models.CharField(_("title (English)"), max_length=600, blank=True)
    owner_role = models.CharField(_("owner role"), max_length=32, choices=Role.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("owner"),
    )
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=enums.TaskStatus.choices, default=enums.TaskStatus.OPEN
    )
    completion_note = models.TextField(_("completion note"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Done "from the record" (incidents.completion): the condition and the records that prove
    # it, e.g. {"condition": "network_indicators_blocked", "records": ["cdn.example @ PROXY"]}.
    record_proof = models.JSONField(_("completed from the record"), default=dict, blank=True)
    # A done task that a later record no longer proves keeps its status and lists here what
    # is missing (record names: "PC-15"); the warning is worded when shown, in the reader's
    # language.
    record_missing = models.JSONField(_("missing from the record"), default=list, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            # Overdue and open tasks across incidents (dashboard tile, task list).
            models.Index(fields=["status", "due_at"], name="task_status_due"),
            # The organisation's overdue tasks, counted from the index alone (dashboard tile).
            models.Index(
                fields=["organisation", "status", "due_at"],
                include=["incident"],
                name="task_org_status_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="WAIVED") | ~models.Q(completion_note=""),
                name="task_waived_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.organisation_id is None:
            _with_organisation([self])
        super().save(*args, **kwargs)

    @property
    def shown_title(self) -> str:
        """The title in the reader's language: the English one where the UI is English and the
        checklist has it, else the Japanese one (the checklist's own language)."""
        from django.utils.translation import get_language

        english = (get_language() or "ja").startswith("en")
        return self.title_en if english and self.title_en else self.title

    @property
    def done_from_record(self) -> bool:
        return bool(self.record_proof)

    @property
    def record_warning(self) -> str:
        """What a later record broke, in the active language; empty when nothing is."""
        if not self.record_missing:
            return ""
        from incidents import completion

        return completion.broken_text(
            completion.TASK_RECORDS.get(self.code, ""), self.record_missing
        )
