"""Browser forms of the training app: input shapes only; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationUnit
from training.enums import Population

UPLOAD_MAX_BYTES = 10 * 1024 * 1024


class CsvUploadForm(forms.Form):
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
