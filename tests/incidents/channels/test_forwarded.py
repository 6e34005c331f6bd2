"""Finding the reported mail in a forward: attached, or quoted inline by common clients."""

import pytest

from incidents.channels import forwarded
from tests.incidents.channels import mails


def test_a_mail_forwarded_as_an_attachment_is_taken_whole_with_its_iso_2022_jp_body():
    found = forwarded.unwrap(mails.attached())
    assert found.kind == forwarded.ATTACHED
    assert found.forwarder == "reporter@example.jp"
    assert found.forwarder_name == "報告 太郎"
    original = forwarded.unwrap(found.original)
    assert original.forwarder == mails.PHISH_SENDER
    assert original.subject == mails.PHISH_SUBJECT
    assert mails.PHISH_URL in original.urls
    assert "リンクはクリックしていません" in found.text


@pytest.mark.parametrize(
    "template", [mails.OUTLOOK_JA, mails.GMAIL_EN, mails.APPLE_EN, mails.THUNDERBIRD_JA]
)
@pytest.mark.parametrize("charset", ["utf-8", "iso-2022-jp"])
def test_an_inline_forward_gives_the_originals_sender_subject_and_urls(template, charset):
    found = forwarded.unwrap(mails.inline(template, charset=charset))
    assert found.kind == forwarded.INLINE
    assert mails.PHISH_SENDER in found.sender
    assert found.original_subject == mails.PHISH_SUBJECT
    assert found.urls == [mails.PHISH_URL]


def test_a_message_written_to_the_mailbox_is_not_a_forward():
    found = forwarded.unwrap(mails.written())
    assert found.kind == forwarded.NOT_FORWARD
    assert "警告" in found.text


@pytest.mark.parametrize("raw", [b"", b"garbage without headers", b"Subject: x\r\n\r\nno sender"])
def test_bytes_without_a_sender_are_not_a_mail(raw):
    with pytest.raises(forwarded.NotAMail):
        forwarded.unwrap(raw)
