"""Forms of the incident page: status, affected assets, indicators, tasks, evidence."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.columns import ends_in
from common.timestamps import CheckedDateTimeField
from incidents.forms.fields import LocalDateTimeInput, PastDateTimeField, enum_choices
from incidents.models import (
    AffectedAsset,
    EvidenceItem,
    Incident,
    IncidentRelation,
    Indicator,
    MailMessage,
    RelationKind,
    Task,
)
from incidents.models.enums import (
    AssetKind,
    BlockPoint,
    ContainmentState,
    EvidenceKind,
    IncidentStatus,
    IndicatorKind,
    InfectionState,
    InfectionVia,
    IsolationMethod,
    RemediationState,
    TaskStatus,
    Tlp,
)


class TransitionForm(forms.Form):
    stores = ends_in(Incident, target="incidents.Incident.status", nowhere=("reason",))

    target = forms.ChoiceField(choices=IncidentStatus.choices)
    reason = forms.CharField(
        label=_("Why it is reopened"),
        required=False,  # the service asks for it where the lifecycle needs one
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    stores = ends_in(nowhere=("waive_reason",))  # each open task's completion note (text)

    waive_reason = forms.CharField(
        label=_("Reason for waiving the open tasks"),
        required=False,  # needed only when tasks are open; the service says so
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded on each open task, which is waived as the incident closes."),
    )


class AffectedAssetFieldsForm(forms.Form):
    stores = ends_in(AffectedAsset)

    infection_state = forms.ChoiceField(label=_("Infection"), choices=InfectionState.choices)
    containment_state = forms.ChoiceField(label=_("Isolation"), choices=ContainmentState.choices)
    isolation_method = forms.ChoiceField(
        label=_("Isolation method"),
        choices=enum_choices(IsolationMethod, blank="—"),
        required=False,
    )
    isolated_at = PastDateTimeField(label=_("Isolated at"))
    observed_at = PastDateTimeField(label=_("Learned at (if earlier than now)"))

    def changes(self) -> dict[str, Any]:
        """Only what was given: a blank isolation time lets the service stamp it."""
        data = dict(self.cleaned_data)
        data.pop("observed_at", None)
        if data.get("isolated_at") is None:
            data.pop("isolated_at", None)
        return data

    def learned_at(self) -> Any:
        """When the organisation learned it; None = now (the service's default)."""
        return self.cleaned_data.get("observed_at")


class AffectedAssetAddForm(AffectedAssetFieldsForm):
    stores = ends_in(
        AffectedAsset,
        asset_tag="incidents.Asset.asset_tag",
        hostname="incidents.Asset.hostname",
        kind="incidents.Asset.kind",
    )

    field_order = ["asset_tag", "hostname", "kind"]

    asset_tag = forms.CharField(label=_("PC name or asset tag"), max_length=64)
    hostname = forms.CharField(label=_("Hostname"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=AssetKind.choices)
    infection_via = forms.ChoiceField(label=_("Infected via"), choices=InfectionVia.choices)

    def asset_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "asset_tag": data["asset_tag"].strip(),
            "hostname": data["hostname"].strip(),
            "kind": data["kind"],
        }

    def changes(self) -> dict[str, Any]:
        data = super().changes()
        for name in ("asset_tag", "hostname", "kind"):
            data.pop(name)
        return data


class AffectedAssetUpdateForm(AffectedAssetFieldsForm):
    remediation_state = forms.ChoiceField(label=_("Remediation"), choices=RemediationState.choices)


class IndicatorAddForm(forms.Form):
    stores = ends_in(Indicator)

    kind = forms.ChoiceField(label=_("Kind"), choices=IndicatorKind.choices)
    value = forms.CharField(label=_("Value"), max_length=2000)
    tlp = forms.ChoiceField(label=_("TLP"), choices=Tlp.choices, initial=Tlp.AMBER_STRICT)


class IndicatorBlockForm(forms.Form):
    stores = ends_in(Indicator)

    blocked_by = forms.ChoiceField(label=_("Blocked at"), choices=BlockPoint.choices)


class TaskCreateForm(forms.Form):
    stores = ends_in(Task)

    title = forms.CharField(label=_("Task"), max_length=300)
    due_at = CheckedDateTimeField(label=_("Due"), required=False, widget=LocalDateTimeInput)


class TaskFinishForm(forms.Form):
    stores = ends_in(Task, note="incidents.Task.completion_note")

    status = forms.ChoiceField(
        choices=enum_choices(TaskStatus, [TaskStatus.DONE, TaskStatus.WAIVED])
    )
    note = forms.CharField(
        label=_("Note (required to waive)"),
        required=False,
        max_length=5000,
        widget=forms.TextInput(attrs={"placeholder": _("Note (required to waive)")}),
    )


class EvidenceUploadForm(forms.Form):
    stores = ends_in(EvidenceItem)

    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(label=_("File"))


class MailMessageAddForm(forms.Form):
    """A further email of the campaign (a new variant): at least one identifying field."""

    stores = ends_in(MailMessage)

    sender = forms.CharField(label=_("Sender"), max_length=320, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=998, required=False)
    attachment_name = forms.CharField(label=_("Attachment name"), max_length=255, required=False)
    sha256 = forms.RegexField(
        label=_("Attachment SHA-256"),
        regex=r"^[0-9a-fA-F]{64}$",
        max_length=64,
        required=False,
    )
    url = forms.URLField(label=_("URL"), max_length=2000, required=False, assume_scheme="https")
    message_id = forms.CharField(label=_("Message-ID"), max_length=998, required=False)


class RelationAddForm(forms.Form):
    stores = ends_in(IncidentRelation, nowhere=("incident",))

    kind = forms.ChoiceField(label=_("This incident is"), choices=RelationKind.choices)
    incident = forms.CharField(label=_("Incident (reference)"), max_length=20)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
