"""Forms of the communications pages. They parse; the services decide (N-4, the transition table,
the announcement decision)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.columns import NOTHING, ends_in
from common.timestamps import CheckedDateTimeField
from comms.enums import Audience, Channel, ContactKind, GuestRole, Status, TemplateKind
from comms.models import (
    Communication,
    ExternalContact,
    GuestInvitation,
    MessageTemplate,
    StaffMailList,
)
from incidents.forms.fields import LocalDateTimeInput
from incidents.models.enums import Tlp

BODY_MAX = 20000
LANGUAGE_CHOICES = [("ja", _("Japanese")), ("en", _("English"))]


class FromTemplateForm(forms.Form):
    stores = NOTHING

    template = forms.ChoiceField(label=_("Template"), choices=TemplateKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, initial="ja")


class CommunicationForm(forms.Form):
    stores = ends_in(Communication)

    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    audience_detail = forms.CharField(
        label=_("Which ones"),
        max_length=200,
        required=False,
        help_text=_("The department, the customers or partners meant (if not all)."),
    )
    channel = forms.ChoiceField(label=pgettext_lazy("comms", "Channel"), choices=Channel.choices)
    tlp = forms.ChoiceField(
        label=_("TLP"),
        choices=[("", _("The audience's default")), *Tlp.choices],
        required=False,
        help_text=_(
            "Rule N-4: the media and the public only TLP:CLEAR; an ISAC TLP:GREEN or tighter; "
            "JPCERT/CC and IPA TLP:AMBER or tighter."
        ),
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("【要記入：…】 marks what must still be written before it is approved."),
    )


class StatusForm(forms.Form):
    stores = ends_in(Communication, nowhere=("status", "reason"))

    status = forms.ChoiceField(choices=Status.choices)
    reference = forms.CharField(
        label=pgettext_lazy("comms", "Reference"),
        max_length=300,
        required=False,
        help_text=_("How it went and where it is kept: URL, mail ID, receipt number."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StaffListForm(forms.Form):
    stores = ends_in(StaffMailList)

    addresses = forms.CharField(
        label=_("Staff addresses"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One email address per line (a distribution list reaching every employee)."),
    )


class TemplateForm(forms.Form):
    stores = ends_in(MessageTemplate)

    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Text"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 20})
    )


class ContactForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    url = forms.URLField(
        label=_("web page or form"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = ExternalContact
        fields = ["kind", "name", "desk", "phone", "email", "url", "reference_no", "hours", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["notes"].max_length = 4000


class GuestInviteForm(forms.Form):
    """An outside responder invited to one incident (the service checks expiry and address)."""

    stores = ends_in(GuestInvitation, nowhere=("language",))

    email = forms.EmailField(label=_("Email"), max_length=254)
    name = forms.CharField(
        label=_("Name and company"),
        max_length=200,
        required=False,
        help_text=_("For example: Sato, XYZ Forensics."),
    )
    role = forms.ChoiceField(label=pgettext_lazy("guest", "Access"), choices=GuestRole.choices)
    expires_at = CheckedDateTimeField(label=_("Expires at"), widget=LocalDateTimeInput)
    tlp_ceiling = forms.ChoiceField(
        label=_("TLP ceiling"),
        choices=Tlp.choices,
        initial=Tlp.AMBER,
        help_text=_("An incident marked above it shows the guest only its reference."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=LANGUAGE_CHOICES, initial="ja"
    )


class GuestAcceptForm(forms.Form):
    stores = NOTHING

    password = forms.CharField(
        label=_("Password"), max_length=128, widget=forms.PasswordInput, strip=False
    )
    password_again = forms.CharField(
        label=_("Password (again)"), max_length=128, widget=forms.PasswordInput, strip=False
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class GuestCommentForm(forms.Form):
    """A CONTRIBUTE guest's comment: kept on the incident's timeline (no column of its own)."""

    stores = ends_in(nowhere=("text",))

    text = forms.CharField(
        label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
