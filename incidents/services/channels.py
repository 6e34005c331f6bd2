"""Security-tool alerts: register a source, disable it, and receive its signed alerts (issue 21).

An alert becomes a report through the same intake as a person's report (triage, campaign
grouping). Repeats of one alert within the source's repeat window are counted on the first
report: the open receipt of (source, alert key) is unique, so of two concurrent first posts the
second waits on the index, fails, and counts itself on the winner's receipt.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from common import clock, crypto
from common.errors import Conflict, InvalidInput
from incidents import access
from incidents.channels import mapping, signing
from incidents.models import AlertFormat, AlertReceipt, AlertSource
from incidents.models.assets import ASSET_TAG_MAX_LENGTH
from incidents.models.enums import Channel
from incidents.services import assets, intake
from incidents.services.timeline import timeline_append

logger = logging.getLogger(__name__)
PURPOSE = b"incidents.alert-source"
CHANNEL_BY_FORMAT = {
    AlertFormat.DEFENDER: Channel.EDR_ALERT,
    AlertFormat.WAZUH: Channel.SOC_ALERT,
    AlertFormat.GENERIC_JSON: Channel.SOC_ALERT,
}
RETRIES = 3


@dataclass(frozen=True)
class Registered:
    source: AlertSource
    secret: str  # shown once, never stored in clear


@dataclass(frozen=True)
class Received:
    receipt: AlertReceipt
    new_report: bool


def _require_admin(actor: User, organisation: Organisation, action: str) -> None:
    access.require(
        access.can_manage_intake(actor) and actor.organisation_id == organisation.pk, action
    )


@transaction.atomic
def alert_source_register(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    fmt: str,
    replay_window_seconds: int = 300,
    repeat_window_seconds: int = 86400,
) -> Registered:
    """A new source with its own address and secret; the secret is returned this once."""
    _require_admin(actor, organisation, "register alert sources")
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("invalid_name", _("Give the source a name of 1 to 100 characters."))
    if fmt not in AlertFormat.values:
        raise InvalidInput("invalid_choice", _("Unknown alert format."), field="format")
    if not 30 <= replay_window_seconds <= 3600:
        raise InvalidInput(
            "invalid_window", _("The replay window must be 30 to 3600 seconds."), field="replay"
        )
    if not 0 <= repeat_window_seconds <= 30 * 86400:
        raise InvalidInput(
            "invalid_window", _("The repeat window must be 0 to 30 days."), field="repeat"
        )
    if AlertSource.objects.filter(organisation=organisation, name=name).exists():
        raise InvalidInput("name_taken", _("A source of this name exists."), field="name")
    secret = secrets.token_urlsafe(32)
    source = AlertSource.objects.create(
        organisation=organisation,
        name=name,
        format=fmt,
        token=secrets.token_urlsafe(24),
        secret_encrypted=crypto.encrypt(secret, purpose=PURPOSE),
        replay_window_seconds=replay_window_seconds,
        repeat_window_seconds=repeat_window_seconds,
        created_by=actor,
    )
    logger.info(
        "alert source %s of organisation %s added by %s", source.pk, organisation.pk, actor.pk
    )
    return Registered(source, secret)


@transaction.atomic
def alert_source_disable(*, source: AlertSource, actor: User) -> AlertSource:
    """Refuse the source's alerts from now on (its reports stay)."""
    _require_admin(actor, source.organisation, "disable alert sources")
    source = AlertSource.objects.select_for_update().get(pk=source.pk)
    if source.disabled_at is None:
        source.disabled_at = clock.now()
        source.save(update_fields=["disabled_at", "updated_at"])
        logger.info("alert source %s disabled by %s", source.pk, actor.pk)
    return source


@transaction.atomic
def alert_source_rotate(*, source: AlertSource, actor: User) -> Registered:
    """A new webhook address and secret for the source; the old ones stop working at once.
    The new secret is returned this once."""
    _require_admin(actor, source.organisation, "rotate alert source secrets")
    source = AlertSource.objects.select_for_update().get(pk=source.pk)
    if source.disabled_at is not None:
        raise Conflict("source_disabled", _("This alert source is disabled."))
    secret = secrets.token_urlsafe(32)
    source.token = secrets.token_urlsafe(24)
    source.secret_encrypted = crypto.encrypt(secret, purpose=PURPOSE)
    source.save(update_fields=["token", "secret_encrypted", "updated_at"])
    logger.info("alert source %s: address and secret rotated by %s", source.pk, actor.pk)
    return Registered(source, secret)


def alert_receive(*, source: AlertSource, body: bytes, timestamp: str, signature: str) -> Received:
    """Check the signature, map the alert, and file it or count it as a repeat."""
    signing.verify(
        secret=_secret(source),
        timestamp=timestamp,
        signature=signature,
        body=body,
        now=clock.now(),
        window=source.replay_window_seconds,
    )
    if source.disabled_at is not None:
        raise signing.Unauthenticated("source_disabled", _("This alert source is disabled."))
    alert = _parse(body)
    mapped = mapping.map_alert(source.format, alert)
    for _attempt in range(RETRIES):
        try:
            with transaction.atomic():
                return _file_or_count(source, mapped, alert)
        except IntegrityError:
            continue  # a concurrent post of the same alert won: count on its receipt
    raise InvalidInput("alert_busy", _("The alert could not be recorded; send it again."))


def _secret(source: AlertSource) -> str:
    try:
        return crypto.decrypt(source.secret_encrypted, purpose=PURPOSE)
    except ValueError:  # SECRET_KEY changed without the old one in SECRET_KEY_FALLBACKS
        logger.error("alert source %s: its secret no longer decrypts", source.pk)
        raise signing.Unauthenticated(
            "signature_invalid", _("The signature does not match.")
        ) from None


def _refuse_constant(name: str) -> None:
    raise ValueError(name)  # NaN and Infinity: valid Python, not JSON, and not for PostgreSQL


def _parse(body: bytes) -> object:
    """JSON that PostgreSQL can store: no NaN/Infinity, no NUL, no lone surrogate, not too deep."""
    try:
        alert = json.loads(body, parse_constant=_refuse_constant)
        text = json.dumps(alert, ensure_ascii=False)
        text.encode("utf-8")  # a lone surrogate (\ud800) fails here
    except (ValueError, UnicodeError, RecursionError):
        raise InvalidInput("malformed_json", _("The body is not valid JSON.")) from None
    if "\x00" in text or "\\u0000" in text:
        raise InvalidInput("malformed_json", _("The body is not valid JSON.")) from None
    return alert


def _file_or_count(source: AlertSource, mapped: mapping.MappedAlert, alert: dict) -> Received:
    now = clock.now()
    key = mapped.key()
    current = (
        AlertReceipt.objects.select_for_update(of=("self",))
        .filter(source=source, alert_key=key, open=True)
        .select_related("report__incident")
        .first()
    )
    if current is not None:
        window = timedelta(seconds=source.repeat_window_seconds)
        if now - current.first_seen_at <= window:
            return Received(_count_repeat(current, now), new_report=False)
        current.open = False
        current.save(update_fields=["open"])
    receipt = AlertReceipt.objects.create(
        source=source,
        alert_key=key,
        alert_id=mapped.alert_id,
        payload=alert,
        first_seen_at=now,
        last_seen_at=now,
    )
    receipt.report = intake.report_submit(
        organisation=source.organisation, actor=None, data=_report_input(source, mapped)
    )
    receipt.save(update_fields=["report"])
    return Received(receipt, new_report=True)


def _count_repeat(receipt: AlertReceipt, now) -> AlertReceipt:  # type: ignore[no-untyped-def]
    AlertReceipt.objects.filter(pk=receipt.pk).update(
        repeat_count=F("repeat_count") + 1, last_seen_at=now
    )
    receipt.refresh_from_db(fields=["repeat_count", "last_seen_at"])
    report = receipt.report
    if report is not None and report.incident is not None:
        timeline_append(
            incident=report.incident,
            kind="alert.repeated",
            actor_label=receipt.source.name,
            payload={"report": report.number, "times_received": receipt.repeat_count},
        )
    return receipt


def _report_input(source: AlertSource, mapped: mapping.MappedAlert) -> intake.ReportInput:
    hostname = mapped.hostname[:ASSET_TAG_MAX_LENGTH]
    if hostname:
        assets.asset_upsert(
            organisation_id=source.organisation_id, asset_tag=hostname, hostname=hostname
        )
    return intake.ReportInput(
        channel=CHANNEL_BY_FORMAT[source.format],
        category=mapped.category,
        impact=mapped.impact,
        summary=mapped.title,
        description=mapped.description,
        asset_label=hostname,
        reporter_name=source.name,
        extra_keys=list(mapped.indicators),
    )
