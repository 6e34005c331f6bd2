"""The ISMS office's form for the reporting mailbox (phishing@): where it is and how to log in."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.columns import ends_in
from incidents.models import MailSecurity, ReportingMailbox


class ReportingMailboxForm(forms.Form):
    # The password is stored encrypted (password_encrypted), never shown again.
    stores = ends_in(
        ReportingMailbox,
        password="incidents.ReportingMailbox.password_encrypted",  # noqa: S106 - a column name
    )

    enabled = forms.BooleanField(label=_("Take reports from this mailbox"), required=False)
    host = forms.CharField(label=_("IMAP server"), max_length=255)
    port = forms.IntegerField(label=_("Port"), min_value=1, max_value=65535, initial=993)
    security = forms.ChoiceField(
        label=_("Encryption"), choices=MailSecurity.choices, initial=MailSecurity.TLS
    )
    username = forms.CharField(label=_("User name"), max_length=255)
    password = forms.CharField(
        label=_("Password or app password"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored one. It is stored encrypted."),
    )
    folder = forms.CharField(label=_("Inbox folder"), max_length=200, initial="INBOX")
    processed_folder = forms.CharField(
        label=_("Processed folder"), max_length=200, initial="Processed"
    )
    quarantine_folder = forms.CharField(
        label=_("Held folder"),
        max_length=200,
        initial="Quarantine",
        help_text=_("Messages that could not be filed are moved here, with the reason recorded."),
    )
    domains = forms.CharField(
        label=_("The organisation's mail domains"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line. A forwarder without an account but inside these domains files a report "
            "without an account; mail from outside them is not filed (it is counted)."
        ),
    )

    FIELDS = (
        "enabled",
        "host",
        "port",
        "security",
        "username",
        "folder",
        "processed_folder",
        "quarantine_folder",
        "domains",
    )

    @classmethod
    def initial_from(cls, box: ReportingMailbox | None) -> dict[str, object]:
        if box is None:
            return {"enabled": True}
        return {name: getattr(box, name) for name in cls.FIELDS}

    def settings(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
