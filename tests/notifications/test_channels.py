"""The ISMS office's channel services: URLs checked and encrypted, the secret shown once."""

from __future__ import annotations

import pytest

from common.errors import Conflict, InvalidInput
from notifications.models import Channel
from notifications.services import channels

pytestmark = pytest.mark.django_db


def test_a_webhook_is_stored_encrypted_with_a_hint_and_a_secret(isms_office, receiver):
    channel, secret = channels.channel_create(
        actor=isms_office, kind="WEBHOOK", name="SIEM", url=receiver.url("/very-secret-path")
    )
    stored = Channel.objects.get(pk=channel.pk)
    assert "very-secret-path" not in stored.url_encrypted
    assert stored.url == receiver.url("/very-secret-path")
    assert stored.url_hint == "http://127.0.0.1/…path"
    assert len(secret) >= 32 and stored.signing_secret == secret


def test_a_metadata_url_is_refused(isms_office):
    with pytest.raises(InvalidInput) as caught:
        channels.channel_create(
            actor=isms_office, kind="SLACK", name="x", url="http://169.254.169.254/latest/"
        )
    assert caught.value.code == "UNSAFE_URL"
    assert not Channel.objects.filter(kind="SLACK").exists()


def test_a_private_url_is_refused_unless_allowed(isms_office, settings):
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(InvalidInput):
        channels.channel_create(actor=isms_office, kind="TEAMS", name="x", url="http://10.0.0.5/")


def test_a_url_kind_needs_a_url_and_personal_kinds_exist_once(isms_office):
    with pytest.raises(InvalidInput):
        channels.channel_create(actor=isms_office, kind="WEBHOOK", name="x")
    channels.channel_create(actor=isms_office, kind="EMAIL", name="mail")
    with pytest.raises(Conflict):
        channels.channel_create(actor=isms_office, kind="EMAIL", name="mail again")


def test_rotating_the_secret_replaces_it(isms_office, receiver):
    channel, first = channels.channel_create(
        actor=isms_office, kind="WEBHOOK", name="SIEM", url=receiver.url()
    )
    second = channels.channel_rotate_secret(channel=channel, actor=isms_office)
    assert second != first and Channel.objects.get(pk=channel.pk).signing_secret == second


def test_updating_the_url_checks_it_again(isms_office, receiver):
    channel, _ = channels.channel_create(
        actor=isms_office, kind="SLACK", name="chat", url=receiver.url()
    )
    with pytest.raises(InvalidInput):
        channels.channel_update(channel=channel, actor=isms_office, url="http://[fe80::1]/")
    updated = channels.channel_update(channel=channel, actor=isms_office, enabled=False)
    assert updated.enabled is False and updated.url == receiver.url()
