"""Forms of the vulnerability pages: parse only; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.columns import ends_in
from incidents.models import Asset
from vulns.enums import ExposureRole, FeedKind, FindingStatus, Justification
from vulns.models import AssetOwner, FeedSource, Finding, InventoryImport, Software


class FindingStatusForm(forms.Form):
    stores = ends_in(Finding)

    status = forms.ChoiceField(label=_("New status"), choices=FindingStatus.choices)
    justification = forms.ChoiceField(
        label=_("Justification (required for “not affected”)"),
        choices=[("", "—"), *Justification.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, targets: list[str] | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["status"].choices = [
                (value, label) for value, label in FindingStatus.choices if value in targets
            ]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("status") == FindingStatus.NOT_AFFECTED and not data.get("justification"):
            self.add_error(
                "justification", _("Say why the asset is not affected: choose a justification.")
            )
        return data


class FeedUploadForm(forms.Form):
    stores = ends_in(nowhere=("kind", "file"))

    kind = forms.ChoiceField(label=_("Kind of feed"), choices=FeedKind.choices)
    file = forms.FileField(label=_("File"))


class SoftwareForm(forms.Form):
    stores = ends_in(Software)

    vendor = forms.CharField(label=_("Vendor"), max_length=120)
    product = forms.CharField(label=_("Product"), max_length=120)
    version = forms.CharField(label=_("Version"), max_length=64)
    cpe = forms.CharField(label=_("CPE 2.3 name"), max_length=255, required=False)
    purl = forms.CharField(label=_("Package URL"), max_length=255, required=False)


class ExposureForm(forms.Form):
    stores = ends_in(nowhere=("internet_facing",), role="vulns.Exposure.role")

    internet_facing = forms.BooleanField(label=_("Faces the internet"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ExposureRole.choices)


UPLOAD_MAX_BYTES = 10 * 1024 * 1024


class InventoryUploadForm(forms.Form):
    """An inventory CSV (the asset is on each line) or an SBOM of one asset."""

    stores = ends_in(InventoryImport, nowhere=("kind",))

    kind = forms.ChoiceField(
        label=_("What the file is"),
        choices=[
            ("csv", _("Inventory CSV (one piece of software per line)")),
            ("sbom", _("SBOM (CycloneDX or SPDX) of one asset")),
        ],
        initial="csv",
    )
    asset = forms.ModelChoiceField(
        label=_("Asset the SBOM describes"),
        queryset=Asset.objects.none(),
        required=False,
        empty_label="—",
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV: UTF-8 (with or without BOM) or Shift_JIS, the first line names the columns. "
            "SBOM: CycloneDX JSON, SPDX JSON or SPDX tag-value. At most 10 MB."
        ),
    )

    def __init__(self, *args, organisation_id: int | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.filename = ""
        self.fields["asset"].queryset = Asset.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id
        ).order_by("asset_tag")

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        self.filename = upload.name or ""
        return upload.read()

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("kind") == "sbom" and not data.get("asset"):
            self.add_error("asset", _("Choose the asset the SBOM describes."))
        return data


class FeedSourceForm(forms.Form):
    stores = ends_in(FeedSource)

    kind = forms.ChoiceField(label=_("Kind of feed"), choices=FeedKind.choices)
    url = forms.URLField(label=_("URL (https)"), max_length=500, assume_scheme="https")
    enabled = forms.BooleanField(label=_("Poll it"), required=False, initial=True)


class OwnerForm(forms.Form):
    stores = ends_in(AssetOwner)

    owner = forms.ModelChoiceField(
        label=_("Asset owner (gets the tasks of its findings)"),
        queryset=User.objects.none(),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            organisation_id=organisation_id, is_active=True
        ).order_by("display_name", "username")
