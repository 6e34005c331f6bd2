"""Browser forms of the training app: input shapes only; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation, OrganisationUnit
from bcp.enums import Outcome, Scope
from bcp.models import Decision
from common.columns import NOTHING, ends_in
from common.timestamps import CheckedDateTimeField
from training import scenario
from training.enums import ClockMode, Delivery, DeliveryMode, InjectKind, Population, Topic
from training.models import (
    Assignment,
    Course,
    CsirtFunctionDelivery,
    CsvImport,
    Exercise,
    PhishingDrill,
    Session,
)

UPLOAD_MAX_BYTES = 10 * 1024 * 1024


class CsvUploadForm(forms.Form):
    stores = ends_in(CsvImport)

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 (with or without BOM) or Shift_JIS; the first line names the columns."),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        self.filename = upload.name
        return upload.read()


class PeopleFilterForm(forms.Form):
    stores = NOTHING

    q = forms.CharField(label=_("Name or staff number"), required=False)
    population = forms.ChoiceField(
        label=_("Population"), choices=[("", _("All")), *Population.choices], required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Department"), queryset=OrganisationUnit.objects.none(), required=False
    )

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            OrganisationUnit.objects.filter(organisation_id=organisation_id)
            .select_related("parent")
            .order_by("parent__name", "name")
        )


class DateInput(forms.DateInput):
    input_type = "date"


class CourseForm(forms.Form):
    stores = ends_in(Course)

    code = forms.CharField(label=_("Code"), max_length=32)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    required_for = forms.MultipleChoiceField(
        label=_("Required for"),
        choices=Population.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    required_since = forms.DateField(label=_("Required since"), widget=DateInput, required=False)
    due_within_days = forms.IntegerField(
        label=_("New joiners complete it within (days)"), min_value=0, max_value=365, initial=30
    )
    validity_months = forms.IntegerField(
        label=_("Valid for (months)"),
        min_value=1,
        max_value=120,
        required=False,
        help_text=_("Empty: a completion never expires."),
    )
    pass_score = forms.IntegerField(
        label=_("Pass score"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Empty: attending is completing (no quiz)."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if data["required_since"] is None:
            data.pop("required_since")
        return data


class SessionForm(forms.Form):
    stores = ends_in(Session)

    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    delivery = forms.ChoiceField(label=_("Delivery"), choices=Delivery.choices)
    location = forms.CharField(label=_("Place or link"), max_length=200, required=False)
    instructor = forms.CharField(label=_("Instructor"), max_length=200, required=False)


class AttendanceForm(forms.Form):
    stores = NOTHING

    lines = forms.CharField(
        label=_("Who attended"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One staff number per line, followed by the score if the course has a quiz: E0001, 90"
        ),
    )

    def clean_lines(self) -> list[tuple[str, int | None]]:
        entries, bad = [], []
        for number, raw in enumerate(self.cleaned_data["lines"].splitlines(), 1):
            parts = [p.strip() for p in raw.replace("\t", ",").split(",") if p.strip()]
            if not parts:
                continue
            score = None
            if len(parts) > 1:
                if not parts[1].isdigit() or int(parts[1]) > 100:
                    bad.append(str(number))
                    continue
                score = int(parts[1])
            entries.append((parts[0], score))
        if bad:
            raise forms.ValidationError(
                _("Lines %(lines)s: the score must be a number from 0 to 100.")
                % {"lines": ", ".join(bad)}
            )
        if not entries:
            raise forms.ValidationError(_("Give at least one staff number."))
        return entries


class CoverageFilterForm(forms.Form):
    stores = NOTHING

    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=Course.objects.none(),
        required=False,
        empty_label=_("Every required course"),
    )
    on = forms.DateField(label=_("On"), widget=DateInput, required=False)

    def __init__(self, *args, courses, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses


class AssignmentForm(forms.Form):
    stores = ends_in(Assignment)

    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)

    def __init__(self, *args, courses, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class DrillForm(forms.Form):
    stores = ends_in(PhishingDrill, nowhere=("populations",))

    title = forms.CharField(label=_("Title"), max_length=200)
    scenario = forms.CharField(
        label=_("Scenario"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The lure: sender, subject, what the link or attachment pretended to be."),
    )
    sent_at = CheckedDateTimeField(label=_("Sent at"), widget=DateTimeInput)
    populations = forms.MultipleChoiceField(
        label=_("Recipients: populations"),
        choices=Population.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None chosen: everyone."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Recipients: departments"),
        queryset=OrganisationUnit.objects.none(),
        required=False,
        help_text=_("None chosen: every department."),
    )
    follow_up_course = forms.ModelChoiceField(
        label=_("Follow-up course for those who click"),
        queryset=Course.objects.none(),
        required=False,
        help_text=_("Empty: the course on the targeted-email basic behaviour."),
    )
    follow_up_days = forms.IntegerField(
        label=_("Follow-up within (days)"), min_value=1, max_value=365, initial=30
    )

    def __init__(self, *args, organisation_id: int, courses, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = OrganisationUnit.objects.filter(
            organisation_id=organisation_id
        ).select_related("parent")
        self.fields["follow_up_course"].queryset = courses


class ExerciseStartForm(forms.Form):
    stores = ends_in(Exercise, nowhere=("sample",))

    sample = forms.ChoiceField(label=_("Sample scenario"), required=False)
    file = forms.FileField(
        label=_("Or a scenario file (JSON or YAML)"),
        required=False,
        help_text=_("Timed injects and the decisions expected; see the samples."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    mode = forms.ChoiceField(label=_("Clock"), choices=ClockMode.choices)
    speed = forms.FloatField(
        label=_("Speed (accelerated only)"),
        required=False,
        initial=60,
        help_text=_("60 = one exercise hour per wall minute."),
    )
    starts_at = CheckedDateTimeField(
        label=_("Exercise time at the start"),
        widget=DateTimeInput,
        required=False,
        help_text=_("Empty: now (a real-time exercise then follows the wall clock)."),
    )

    def __init__(self, *args, samples: dict, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.samples = samples
        self.fields["sample"].choices = [("", "—")] + [
            (name, doc["title"]) for name, doc in samples.items()
        ]

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("file")
        if bool(upload) == bool(data.get("sample")):
            raise forms.ValidationError(_("Choose a sample or upload a scenario file."))
        if upload:
            if upload.size > UPLOAD_MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 10 MB."))
            try:
                data["document"] = scenario.load_text(upload.read().decode("utf-8-sig"))
            except (UnicodeDecodeError, scenario.ScenarioError) as exc:
                problems = getattr(exc, "problems", [_("The file is not UTF-8 text.")])
                raise forms.ValidationError(problems) from exc
        else:
            data["document"] = self.samples[data["sample"]]
        return data


class ExerciseAdvanceForm(forms.Form):
    stores = NOTHING

    minutes = forms.IntegerField(
        label=_("Minutes forward"), min_value=0, max_value=7 * 24 * 60, required=False
    )
    to = CheckedDateTimeField(label=_("Or to"), widget=DateTimeInput, required=False)


class ExerciseDecideForm(forms.Form):
    stores = ends_in(Decision, scope="bcp.Decision.outcome_scope")

    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    scope = forms.ChoiceField(
        label=_("Scope (BCP)"),
        choices=[("", "—"), (Scope.PARTIAL, Scope.PARTIAL.label), (Scope.FULL, Scope.FULL.label)],
        required=False,
    )
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 2}))


# The labels of the exercise API's inject fields on the exercise room's form (the fields, their
# choices and bounds are the API serializer's; which kind shows which is scenario.FIELDS).
INJECT_LABELS = {
    "incident": _("Incident (its key in the scenario)"),
    "by": _("Act as (a role or a user)"),
    "reporter": _("Reporter"),
    "what_happened": _("What happened"),
    "caused_by": _("Caused by the incident (its key)"),
    "asset": _("Terminal or server"),
    "cable_pulled": _("Cable pulled"),
    "state": _("Infection"),
    "via": _("Infected via"),
    "capability": _("Malware capability"),
    "method": _("Isolation method"),
    "status": _("Status"),
    "to_c2": _("To a C2 server"),
    "c2": _("Destination (C2)"),
    "last": _("Last connection (offset, +H:MM)"),
    "bytes": _("Bytes sent"),
    "blocked": _("Was blocked"),
    "personal_data": _("Personal data"),
    "data_set": _("Data set"),
    "leak_kind": _("Kind of leak"),
    "individuals": _("Individuals affected"),
    "observed": _("Learned at (offset, +H:MM)"),
    "occurred": _("Happened at (offset, +H:MM)"),
    "recipient": _("Recipient"),
    "delivered": _("Delivered at (offset, +H:MM)"),
    "reported": _("Reported at (offset, +H:MM)"),
    "executed": _("Attachment executed"),
    "deleted": _("Deleted at (offset, +H:MM)"),
    "ioc_kind": _("Kind of indicator"),
    "value": _("Indicator value"),
    "blocked_by": _("Blocked at"),
    "type": _("Decision"),
    "target_level": _("Target level"),
    "recommendation": _("Recommendation"),
    "outcome": _("Outcome"),
    "rationale": _("Rationale"),
    "scope": _("Scope (BCP)"),
    "reason": _("Reason"),
    "to": _("New status"),
    "code": _("Task code (L1-03 …)"),
    "note": _("Note"),
    "audience": _("Audience"),
    "subject": _("Subject"),
    "body": _("Body"),
    "channel": _("Communication channel"),
    "reference": _("Reference of the communication"),
    "obligation_kind": _("Obligation"),
    "action": _("What to do with the obligation"),
    "due": _("Due at (offset, +H:MM)"),
    "reference_no": _("Reference number"),
}
# Choices the API names by their code alone.
INJECT_CHOICE_LABELS = {
    "action": {"add": _("Add"), "done": _("Done"), "waive": _("Waive")},
}


def _inject_form_field(name: str, api_field):  # type: ignore[no-untyped-def]
    """The browser's field for one of the exercise API's inject fields, with its bounds."""
    from rest_framework import serializers as drf

    label = INJECT_LABELS[name]
    if isinstance(api_field, drf.ChoiceField):
        names = INJECT_CHOICE_LABELS.get(name, {})
        choices = [(k, names.get(k, v)) for k, v in api_field.choices.items()]
        return forms.ChoiceField(label=label, choices=[("", "—"), *choices], required=False)
    if isinstance(api_field, drf.BooleanField):
        return forms.BooleanField(label=label, required=False)
    if isinstance(api_field, drf.IntegerField):
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=api_field.min_value,
            max_value=api_field.max_value,
        )
    long = (api_field.max_length or 0) > 500
    return forms.CharField(
        label=label,
        max_length=api_field.max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}) if long else forms.TextInput,
    )


def _inject_form_class() -> type[forms.Form]:
    """The exercise room's inject form, built from the exercise API's serializer: every kind
    the API accepts, every field it takes (a new kind or field shows up here by itself)."""
    from training.api.exercise_serializers import ExerciseInjectSerializer

    api_fields = ExerciseInjectSerializer().fields
    kinds = [(k, InjectKind(k).label) for k in api_fields["kind"].choices if k in scenario.FIELDS]
    attrs: dict = {
        "__module__": __name__,
        "__doc__": "An inject posted from the exercise room; the API's inject, field for field.",
        "stores": ExerciseInjectSerializer.stores,
        "kind": forms.ChoiceField(label=_("What happens"), choices=kinds),
        "text": forms.CharField(label=_("Description"), max_length=500, required=False),
    }
    for name in dict.fromkeys(n for kind, _label in kinds for n in scenario.inject_fields(kind)):
        attrs[name] = _inject_form_field(name, api_fields[name])
    return type("ExerciseInjectForm", (InjectFormRows, forms.Form), attrs)


class InjectFormRows:
    """The inject form's rows and payload (a mixin: the form itself is built from the API)."""

    cleaned_data: dict

    def kinds_of(self, name: str) -> str:
        """The kinds that take this field, for the page's script to show it only for them."""
        return " ".join(k for k in scenario.FIELDS if name in scenario.inject_fields(k))

    def rows(self):  # type: ignore[no-untyped-def]
        for field in self:
            kinds = "" if field.name in ("kind", "text") else self.kinds_of(field.name)
            yield field, kinds

    def payload(self) -> dict:
        """Only the chosen kind's fields, as the API would receive them."""
        allowed = scenario.inject_fields(self.cleaned_data["kind"])
        data = self.cleaned_data
        return {k: data[k] for k in allowed if data.get(k) not in ("", None, False)}


ExerciseInjectForm = _inject_form_class()


class FindingsForm(forms.Form):
    stores = ends_in(Exercise)

    findings = forms.CharField(
        label=_("Findings (lessons learned)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


STEP_CHOICES = [("", "—"), ("1", "STEP 1"), ("2", "STEP 2"), ("3", "STEP 3")]


class CsirtFunctionForm(forms.Form):
    stores = ends_in(CsirtFunctionDelivery)

    mode = forms.ChoiceField(
        label=pgettext_lazy("csirt function", "Delivered"), choices=DeliveryMode.choices
    )
    provider = forms.CharField(label=_("Outsourced to"), max_length=200, required=False)
    step = forms.TypedChoiceField(
        label=_("STEP"), choices=STEP_CHOICES, coerce=int, empty_value=None, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class CsirtStepForm(forms.Form):
    stores = ends_in(Organisation, step="accounts.Organisation.csirt_step")

    step = forms.TypedChoiceField(label=_("Current STEP"), choices=STEP_CHOICES[1:], coerce=int)


class ReviewPeriodForm(forms.Form):
    stores = NOTHING

    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To"), widget=DateInput)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data
