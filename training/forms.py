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
from incidents.models.enums import InfectionState
from training import scenario
from training.enums import ClockMode, Delivery, DeliveryMode, InjectKind, Population, Topic
from training.models import (
    Assignment,
    Course,
    CsirtFunctionDelivery,
    CsvImport,
    Exercise,
    ExerciseInject,
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


class ExerciseInjectForm(forms.Form):
    stores = ends_in(
        ExerciseInject,
        reporter="incidents.Report.reporter_name",
        state="incidents.AffectedAsset.infection_state",
        status=("incidents.Incident.external_comm_status", "incidents.Incident.leak_status"),
        nowhere=("asset",),
    )

    kind = forms.ChoiceField(label=_("What happens"), choices=InjectKind.choices)
    text = forms.CharField(label=_("Description"), max_length=500, required=False)
    asset = forms.CharField(label=_("Terminal or server"), max_length=50, required=False)
    state = forms.ChoiceField(
        label=_("Infection"),
        choices=[("", "—")] + [c for c in InfectionState.choices if c[0] != "NONE"],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Suspected or confirmed"),
        choices=[("", "—"), ("SUSPECTED", _("Suspected")), ("CONFIRMED", _("Confirmed"))],
        required=False,
    )
    to_c2 = forms.BooleanField(label=_("To a C2 server"), required=False)
    personal_data = forms.BooleanField(label=_("Personal data"), required=False)
    reporter = forms.CharField(label=_("Reporter"), max_length=100, required=False)

    def payload(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if v not in ("", None, False)}
        data.pop("kind", None)
        data.pop("text", None)
        return data


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
