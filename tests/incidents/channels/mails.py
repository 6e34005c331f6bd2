"""Messages as mail clients write them: a phishing mail, and forwards of it (attached, inline)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

PHISH_SENDER = "security@amaz0n-verify.example"
PHISH_SUBJECT = "【重要】アカウントの確認が必要です"
PHISH_URL = "https://amaz0n-verify.example/login?id=42"


def phish(*, charset: str = "iso-2022-jp") -> EmailMessage:
    """The reported mail: a MIME-encoded Japanese subject and an ISO-2022-JP body."""
    message = EmailMessage()
    message["From"] = f"Amazon <{PHISH_SENDER}>"
    message["To"] = "reporter@example.jp"
    message["Subject"] = PHISH_SUBJECT
    message["Date"] = format_datetime(datetime(2026, 12, 1, 9, 30, tzinfo=UTC))
    message["Message-ID"] = "<phish-0001@amaz0n-verify.example>"
    message.set_content(
        f"お客様のアカウントが停止されました。\n以下から確認してください：\n{PHISH_URL}\n",
        charset=charset,
    )
    return message


def _outer(forwarder: str, subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"報告 太郎 <{forwarder}>"
    message["To"] = "phishing@example.jp"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    message["Message-ID"] = make_msgid(domain="example.jp")
    return message


def attached(forwarder: str = "reporter@example.jp", original: EmailMessage | None = None) -> bytes:
    """Forwarded as an attachment (Outlook's "Forward as attachment", Thunderbird's default)."""
    message = _outer(forwarder, f"FW: {PHISH_SUBJECT}")
    message.set_content("怪しいメールが届きました。リンクはクリックしていません。\n")
    message.add_attachment(original or phish())
    return message.as_bytes(policy=SMTP)


OUTLOOK_JA = """怪しいメールです。

-----Original Message-----
差出人: Amazon <{sender}>
送信日時: 2026年12月1日 18:30
宛先: reporter@example.jp
件名: {subject}

お客様のアカウントが停止されました。
以下から確認してください：
{url}
"""
GMAIL_EN = """FYI

---------- Forwarded message ---------
From: Amazon <{sender}>
Date: Tue, Dec 1, 2026 at 6:30 PM
Subject: {subject}
To: <reporter@example.jp>


Your account is suspended. Check it here: {url}
"""
APPLE_EN = """Begin forwarded message:

> From: Amazon <{sender}>
> Subject: {subject}
> Date: 1 December 2026 at 18:30:00 JST
> To: reporter@example.jp
>
> Check it here: {url}
"""
THUNDERBIRD_JA = """-------- 転送メッセージ --------
件名: \t{subject}
日付: \tTue, 1 Dec 2026 18:30:00 +0900
差出人: \tAmazon <{sender}>
宛先: \treporter@example.jp

以下から確認してください：{url}
"""


def inline(
    template: str = OUTLOOK_JA, forwarder: str = "reporter@example.jp", charset: str = "utf-8"
) -> bytes:
    """Forwarded inline, as the client quotes the original in the body."""
    message = _outer(forwarder, f"転送: {PHISH_SUBJECT}")
    body = template.format(sender=PHISH_SENDER, subject=PHISH_SUBJECT, url=PHISH_URL)
    message.set_content(body, charset=charset)
    return message.as_bytes(policy=SMTP)


def written(forwarder: str = "reporter@example.jp") -> bytes:
    """Not a forward: someone writes to the mailbox in their own words."""
    message = _outer(forwarder, "パソコンの様子がおかしいです")
    message.set_content("先ほどから画面に警告が何度も出ます。\n")
    return message.as_bytes(policy=SMTP)


def huge(forwarder: str = "reporter@example.jp", megabytes: int = 30) -> bytes:
    message = _outer(forwarder, "FW: 大きな添付ファイル")
    message.set_content("添付のメールです。\n")
    message.add_attachment(
        b"\0" * (megabytes * 1024 * 1024),
        maintype="application",
        subtype="octet-stream",
        filename="big.bin",
    )
    return message.as_bytes(policy=SMTP)
