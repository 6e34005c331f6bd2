"""The reply to whoever forwarded a mail to the reporting mailbox, Japanese first, then English
(issue 21). The mailbox intake publishes it (``mailbox.replied``) in the transaction that files
the message; the alerts' outbox delivers it to the forwarder's address."""

from __future__ import annotations

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
LANGUAGES = ("ja", "en")
SEPARATOR = "-" * 40


def _custom_steps(organisation_id: int) -> list[str]:
    row = IntakeSettings.objects.filter(organisation_id=organisation_id).first()
    custom = [line.strip() for line in (row.first_aid_ja if row else "").splitlines()]
    return [line for line in custom if line]


def _in_one_language(receipt: MailReceipt, custom: list[str]) -> tuple[str, list[str]]:
    if receipt.outcome == MailOutcome.REPORTED and receipt.report is not None:
        number = {"number": receipt.report.number}
        steps = custom or [_(step) for step in DEFAULT_STEPS]
        return _("Your report was received (%(number)s)") % number, [
            _("Thank you. Your report was received as %(number)s.") % number,
            "",
            _("What to do now:"),
            *(f"・{step}" for step in steps),
        ]
    return _("Your report could not be received"), [
        _(REASONS.get(receipt.reason, REASONS["refused"])),
        _(
            "Please report it on the report page instead, or call the ISMS office; "
            "do not forward the email again."
        ),
    ]


def compose(receipt: MailReceipt) -> dict[str, str]:
    """The receipt number and the first-aid steps, or why the message could not be taken."""
    custom = _custom_steps(receipt.mailbox.organisation_id)
    subjects, blocks = [], []
    for language in LANGUAGES:
        with translation.override(language):
            subject, lines = _in_one_language(receipt, custom)
        subjects.append(subject)
        blocks.append("\n".join(lines))
    return {"subject": " / ".join(subjects), "body": f"\n\n{SEPARATOR}\n\n".join(blocks)}
