"""The ISMS office configures where alerts go. A URL is checked, stored encrypted, never shown
again in full; a generic webhook gets a signing secret, shown once at creation or rotation."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.errors import Conflict, InvalidInput
from notifications import crypto, netguard
from notifications.enums import PERSONAL_KINDS, URL_KINDS, ChannelKind
from notifications.models import Channel


def _checked_url(url: str) -> str:
    try:
        netguard.resolve(url)
    except netguard.UnsafeUrl as exc:
        raise InvalidInput(
            "UNSAFE_URL", _("This URL may not be used: %(why)s") % {"why": exc}, field="url"
        ) from exc
    except OSError as exc:
        raise InvalidInput(
            "UNRESOLVABLE_URL", _("The host name does not resolve."), field="url"
        ) from exc
    return url.strip()


def _set_url(channel: Channel, url: str) -> None:
    url = _checked_url(url)
    channel.url_encrypted = crypto.encrypt(url)
    channel.url_hint = netguard.hint(url)


@transaction.atomic
def channel_create(*, actor: User, kind: str, name: str, url: str = "") -> tuple[Channel, str]:
    """A new channel and, for a generic webhook, its signing secret (returned this once)."""
    if (
        kind in PERSONAL_KINDS
        and Channel.objects.filter(organisation_id=actor.organisation_id, kind=kind).exists()
    ):
        raise Conflict("CHANNEL_EXISTS", _("The organisation already has this channel."))
    channel = Channel(organisation_id=actor.organisation_id, kind=kind, name=name, created_by=actor)
    secret = ""
    if kind in URL_KINDS:
        if not url:
            raise InvalidInput("URL_REQUIRED", _("This channel needs a URL."), field="url")
        _set_url(channel, url)
    if kind == ChannelKind.WEBHOOK:
        secret = secrets.token_urlsafe(32)
        channel.secret_encrypted = crypto.encrypt(secret)
    channel.save()
    return channel, secret


@transaction.atomic
def channel_update(
    *,
    channel: Channel,
    actor: User,
    name: str | None = None,
    url: str | None = None,
    enabled: bool | None = None,
) -> Channel:
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if name is not None:
        channel.name = name
    if enabled is not None:
        channel.enabled = enabled
    if url:
        if channel.kind not in URL_KINDS:
            raise InvalidInput("NO_URL", _("This channel has no URL."), field="url")
        _set_url(channel, url)
    channel.save()
    return channel


@transaction.atomic
def channel_rotate_secret(*, channel: Channel, actor: User) -> str:
    if channel.kind != ChannelKind.WEBHOOK:
        raise Conflict("NO_SECRET", _("Only a generic webhook is signed."))
    secret = secrets.token_urlsafe(32)
    Channel.objects.filter(pk=channel.pk).update(secret_encrypted=crypto.encrypt(secret))
    return secret
