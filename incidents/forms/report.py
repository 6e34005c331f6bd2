"""The report forms: the one-tap form (staff and reporting link) and the responder form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.columns import ends_in
from incidents import normalize
from incidents.forms.fields import PastDateTimeField, enum_choices
from incidents.models import Report, ReportKey
from incidents.models.assets import ASSET_TAG_MAX_LENGTH
from incidents.models.enums import Category, Channel, Impact, IndicatorKind, WhatHappened
from incidents.services.intake import EML_MAX_BYTES, IMPACT_BY_WHAT, ReportInput

CABLE_CHOICES = [
    ("yes", _("Yes, I pulled it (or turned Wi-Fi off)")),
    ("no", _("No")),
    ("unknown", _("Not sure")),
]
# The kinds a report carries into its incident as indicators (campaign grouping keys).
EXTRA_INDICATOR_KINDS = [
    IndicatorKind.URL,
    IndicatorKind.FILE_SHA256,
    IndicatorKind.SENDER_ADDRESS,
    IndicatorKind.MESSAGE_ID,
    IndicatorKind.SUBJECT,
]
RESPONDER_CHANNELS = [c for c in Channel.values if c not in (Channel.API, Channel.ONE_TAP)]


def _text(label: str, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, **kwargs)


class MailFieldsForm(forms.Form):
    """What both report forms ask about the email and the PC."""

    stores = ends_in(Report, asset_label="incidents.Asset.asset_tag", nowhere=("cable_pulled",))

    sender = _text(_("Sender (From)"), 320)
    subject = _text(_("Subject"), 998)
    mail_received_at = PastDateTimeField(label=_("When did the email arrive?"))
    attachment_name = _text(_("Attachment file name"), 255)
    asset_label = _text(
        _("PC name or asset tag"),
        ASSET_TAG_MAX_LENGTH,
        help_text=_("Written on the sticker on your PC, e.g. PC-0123."),
    )
    cable_pulled = forms.ChoiceField(
        label=_("Did you pull the LAN cable (or turn Wi-Fi off)?"),
        choices=CABLE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    cable_pulled_at = PastDateTimeField(label=_("When did you pull it?"))
    description = forms.CharField(
        label=_("Anything else"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )
    eml = forms.FileField(
        label=_("The email as an .eml file (optional)"),
        required=False,
        help_text=_("Save the email as a file and attach it here. Do not forward the email."),
    )

    def clean_eml(self) -> Any:
        eml = self.cleaned_data.get("eml")
        if eml and eml.size > EML_MAX_BYTES:
            raise forms.ValidationError(_("The .eml file is larger than 10 MB."))
        return eml

    def cable_pulled_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("cable_pulled") or "")

    def mail_input(self) -> dict[str, Any]:
        data = self.cleaned_data
        pulled = self.cable_pulled_value()
        return {
            "sender": data["sender"].strip(),
            "subject": data["subject"].strip(),
            "mail_received_at": data["mail_received_at"],
            "attachment_name": data["attachment_name"].strip(),
            "asset_label": data["asset_label"].strip(),
            "cable_pulled": pulled,
            "cable_pulled_at": data["cable_pulled_at"] if pulled else None,
            "description": data["description"],
        }


class OneTapReportForm(MailFieldsForm):
    """Screen 3 of the one-tap report: short, every field but one optional."""

    field_order = ["what_happened"]

    what_happened = forms.ChoiceField(
        label=_("What happened?"), choices=WhatHappened.choices, widget=forms.RadioSelect
    )

    def to_input(self, *, first_aid_confirmed_at: datetime | None) -> ReportInput:
        what = self.cleaned_data["what_happened"]
        return ReportInput(
            channel=Channel.ONE_TAP,
            category=Category.TARGETED_EMAIL,
            what_happened=what,
            impact=IMPACT_BY_WHAT.get(what, Impact.LOW),
            first_aid_confirmed_at=first_aid_confirmed_at,
            **self.mail_input(),
        )


class LinkReportForm(OneTapReportForm):
    """The same form on the reporting link. Without an account the desk cannot know who
    reported, so the form asks, but a report without a name or a way back is still filed."""

    field_order = ["what_happened", "reporter_name", "reporter_email", "reporter_phone"]

    reporter_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    reporter_email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        required=False,
        help_text=_("The desk will contact you. An email address or a phone number is enough."),
    )
    reporter_phone = forms.CharField(label=_("Your phone number"), max_length=40, required=False)

    def to_input(self, *, first_aid_confirmed_at: datetime | None) -> ReportInput:
        data = super().to_input(first_aid_confirmed_at=first_aid_confirmed_at)
        data.reporter_name = self.cleaned_data["reporter_name"].strip()
        data.reporter_email = self.cleaned_data["reporter_email"].strip()
        data.reporter_phone = self.cleaned_data["reporter_phone"].strip()
        return data


class IndicatorRowForm(forms.Form):
    stores = ends_in(ReportKey)

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=enum_choices(IndicatorKind, EXTRA_INDICATOR_KINDS, blank="—"),
        required=False,
    )
    value = _text(_("Value"), 2000)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, value = data.get("kind"), (data.get("value") or "").strip()
        if bool(kind) != bool(value):
            raise forms.ValidationError(_("Give both the kind and the value, or neither."))
        if kind and not normalize.normalise(kind, value):
            self.add_error("value", _("This value does not fit the chosen kind."))
        return data


IndicatorRowFormSet = forms.formset_factory(IndicatorRowForm, extra=3, max_num=10)


class ResponderReportForm(MailFieldsForm):
    """The full report that IT or CSIRT staff file for something they saw or were told."""

    stores = ends_in(
        Report,
        asset_label="incidents.Asset.asset_tag",
        impact="incidents.Event.impact",
        nowhere=("cable_pulled",),
    )

    field_order = [
        "category",
        "channel",
        "impact",
        "what_happened",
        "description",
        "sender",
        "subject",
        "message_id",
        "url",
        "mail_received_at",
        "attachment_name",
        "attachment_sha256",
        "asset_label",
        "eml",
        "cable_pulled",
        "cable_pulled_at",
    ]

    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    channel = forms.ChoiceField(
        label=_("Received through"), choices=enum_choices(Channel, RESPONDER_CHANNELS)
    )
    impact = forms.ChoiceField(label=_("Impact"), choices=Impact.choices, initial=Impact.LOW)
    what_happened = forms.ChoiceField(
        label=_("What did the recipient do?"),
        choices=enum_choices(WhatHappened, blank="—"),
        required=False,
    )
    message_id = _text(_("Message-ID"), 998)
    url = forms.URLField(
        label=_("URL in the email"), required=False, assume_scheme="https", max_length=2000
    )
    attachment_sha256 = forms.RegexField(
        label=_("Attachment SHA-256"),
        regex=r"^\s*[0-9a-fA-F]{64}\s*$",
        max_length=64,
        required=False,
        error_messages={"invalid": _("A SHA-256 is 64 hexadecimal characters.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].required = True
        self.fields["description"].label = _("Description")
        self.fields["asset_label"].label = _("Affected PC or asset tag")
        self.fields["asset_label"].help_text = ""

    def clean_sender(self) -> str:
        sender = self.cleaned_data["sender"].strip()
        if sender and "@" not in normalize.sender(sender):
            raise forms.ValidationError(_("Give the sender's address, e.g. name@example.com."))
        return sender

    def to_input(self, *, indicators: list[tuple[str, str]]) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            channel=data["channel"],
            category=data["category"],
            impact=data["impact"],
            what_happened=data["what_happened"],
            message_id=data["message_id"].strip(),
            url=data["url"],
            attachment_sha256=data["attachment_sha256"].strip().lower(),
            extra_keys=indicators,
            **self.mail_input(),
        )


def indicator_rows(formset: forms.BaseFormSet) -> list[tuple[str, str]]:
    return [
        (row.cleaned_data["kind"], row.cleaned_data["value"].strip())
        for row in formset.forms
        if row.cleaned_data.get("kind")
    ]
