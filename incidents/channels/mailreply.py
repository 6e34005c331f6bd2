"""The reply to whoever forwarded a mail to the reporting mailbox, in Japanese (issue 21)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as noop

from incidents.models import IntakeSettings, MailOutcome, MailReceipt

DEFAULT_STEPS = (
    noop("Do not open the attachment or the links of the email, and do not reply to it."),
    noop(
        "If you opened the attachment or entered a password, pull the network cable (or turn "
        "off Wi-Fi) and do not turn the PC off."
    ),
    noop("If you entered a password, tell the ISMS office at once."),
)
REASONS = {
    "too_large": noop("The message was larger than the mailbox accepts."),
    "not_a_mail": noop("The message could not be read as an email."),
    "refused": noop("The report could not be filed from this message."),
}


def _steps(organisation_id: int) -> list[str]:
    row = IntakeSettings.objects.filter(organisation_id=organisation_id).first()
    custom = [line.strip() for line in (row.first_aid_ja if row else "").splitlines()]
    return [line for line in custom if line] or [_(step) for step in DEFAULT_STEPS]


def message_for(receipt: MailReceipt) -> EmailMessage:
    """The receipt number and the first-aid steps, or why the message could not be taken."""
    with translation.override("ja"):
        if receipt.outcome == MailOutcome.REPORTED and receipt.report is not None:
            subject = _("Your report was received (%(number)s)") % {"number": receipt.report.number}
            lines = [
                _("Thank you. Your report was received as %(number)s.")
                % {"number": receipt.report.number},
                "",
                _("What to do now:"),
                *(f"・{step}" for step in _steps(receipt.mailbox.organisation_id)),
            ]
        else:
            subject = _("Your report could not be received")
            lines = [
                _(REASONS.get(receipt.reason, REASONS["refused"])),
                _(
                    "Please report it on the report page instead, or call the ISMS office; "
                    "do not forward the email again."
                ),
            ]
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [receipt.forwarder])
