"""Replies to forwarders the reporting mailbox had not sent yet (its own retry bookkeeping,
dropped by incidents 0026) become outbox rows, so none is lost. The text is frozen here: the
receipt number and the default first aid, Japanese first, then English."""

import uuid

from django.db import migrations
from django.utils import timezone

STEPS_JA = (
    "メールの添付ファイルやリンクを開かず、返信もしないでください。",
    "添付ファイルを開いた、またはパスワードを入力した場合は、LANケーブルを抜き（Wi-Fiを切り）、"
    "パソコンの電源は切らないでください。",
    "パスワードを入力した場合は、すぐにISMS事務局に連絡してください。",
)
STEPS_EN = (
    "Do not open the attachment or the links of the email, and do not reply to it.",
    "If you opened the attachment or entered a password, pull the network cable (or turn off "
    "Wi-Fi) and do not turn the PC off.",
    "If you entered a password, tell the ISMS office at once.",
)
REFUSED_JA = (
    "このメールからは報告を受け付けられませんでした。報告ページから報告するか、ISMS事務局に"
    "電話してください。同じメールを再び転送しないでください。"
)
REFUSED_EN = (
    "The report could not be filed from this message. Please report it on the report page "
    "instead, or call the ISMS office; do not forward the email again."
)


def _mail(receipt):
    if receipt.report_id:
        number = receipt.report.number
        ja = "\n".join(
            [f"ご報告ありがとうございます。受付番号は{number}です。", "", "今すぐ行うこと："]
            + [f"・{s}" for s in STEPS_JA]
        )
        en = "\n".join(
            [f"Thank you. Your report was received as {number}.", "", "What to do now:"]
            + [f"・{s}" for s in STEPS_EN]
        )
        subject = f"報告を受け付けました（{number}） / Your report was received ({number})"
    else:
        ja, en = REFUSED_JA, REFUSED_EN
        subject = "報告を受け付けられませんでした / Your report could not be received"
    return {"subject": subject, "body": f"{ja}\n\n{'-' * 40}\n\n{en}"}


def forward(apps, schema_editor):
    MailReceipt = apps.get_model("incidents", "MailReceipt")
    Alert = apps.get_model("notifications", "Alert")
    Notification = apps.get_model("notifications", "Notification")
    Channel = apps.get_model("notifications", "Channel")
    now = timezone.now()
    pending = MailReceipt.objects.filter(
        reply_due=True, reply_sent_at__isnull=True, reply_attempts__lt=5
    ).select_related("mailbox", "report")
    for receipt in pending:
        address = receipt.forwarder
        key = f"mailreceipt:{receipt.pk}"
        if not address or len(address) > 254 or Alert.objects.filter(dedupe_key=key).exists():
            continue
        organisation_id = receipt.mailbox.organisation_id
        channel = Channel.objects.filter(organisation_id=organisation_id, kind="EMAIL").first()
        if channel is None:
            channel = Channel.objects.create(
                organisation_id=organisation_id, kind="EMAIL", name="Email"
            )
        alert = Alert.objects.create(
            organisation_id=organisation_id,
            event="mailbox.replied",
            subject=key,
            dedupe_key=key,
            payload={"receipt": receipt.pk, "mail": _mail(receipt)},
            channel_kinds=["EMAIL"],
            created_at=now,
        )
        Notification.objects.create(
            alert=alert,
            organisation_id=organisation_id,
            address=address,
            channel=channel,
            idempotency_key=uuid.uuid4(),
            next_attempt_at=now,
            created_at=now,
        )  # queued_at empty: the redelivery sweep sends it


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0025_reporting_mailbox_security_codes"),
        ("notifications", "0013_mailbox_replied_to_an_address"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
