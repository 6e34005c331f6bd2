"""Advisory feeds polled from URLs (issue 23, step 2): configured per organisation, polled by
Celery beat with the existing importers.

A poll claims the feed first with a conditional UPDATE (``lease_until`` in the past or empty):
a second beat, or a second worker, finds the claim taken and skips it, so one fetch means at
most one import. A body identical to the last one imported is not imported again. A failure is
recorded on the feed (the settings page shows it) and alerts the ISMS office once: not again
until the feed has succeeded in between.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from common import clock, events
from common.errors import Conflict, DomainError, InvalidInput
from vulns import access
from vulns.enums import FeedKind
from vulns.fetch import FetchError, fetch, require_https
from vulns.models import FeedSource
from vulns.services import imports

LEASE = timedelta(minutes=10)
EVENT = "vulnerability.feed_failed"


@dataclass
class PollResult:
    outcome: str  # imported, unchanged, failed, busy
    created: int = 0
    updated: int = 0


# --- Configuration -----------------------------------------------------------------------------


def _check(kind: str, url: str) -> str:
    if kind not in FeedKind.values:
        raise InvalidInput("bad_feed_kind", _("Choose the kind of feed."))
    url = url.strip()
    try:
        require_https(url)
    except FetchError as error:
        raise InvalidInput("feed_not_https", str(error), field="url") from error
    return url


def feed_add(
    *, organisation: Organisation, actor: User, kind: str, url: str, enabled: bool = True
) -> FeedSource:
    access.require_write(actor)
    url = _check(kind, url)
    try:
        with transaction.atomic():
            return FeedSource.objects.create(
                organisation=organisation, kind=kind, url=url, enabled=enabled
            )
    except IntegrityError as error:
        raise Conflict("feed_exists", _("This feed is already configured.")) from error


@transaction.atomic
def feed_set_enabled(*, feed: FeedSource, actor: User, enabled: bool) -> FeedSource:
    access.require_write(actor)
    if feed.organisation_id != actor.organisation_id:
        raise access.PermissionDeniedError("permission_denied", _("Not your feed."))
    FeedSource.objects.filter(pk=feed.pk).update(enabled=enabled, updated_at=clock.now())
    feed.enabled = enabled
    return feed


@transaction.atomic
def feed_remove(*, feed: FeedSource, actor: User) -> None:
    access.require_write(actor)
    if feed.organisation_id != actor.organisation_id:
        raise access.PermissionDeniedError("permission_denied", _("Not your feed."))
    feed.delete()


# --- Polling -------------------------------------------------------------------------------------


def _claim(feed_id: int) -> bool:
    """Take the feed for one poll, unless another poll holds it (a conditional UPDATE)."""
    now = clock.now()
    return bool(
        FeedSource.objects.filter(pk=feed_id, enabled=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + LEASE)
    )


def feed_poll(feed_id: int) -> PollResult:
    """Fetch one feed and import it with its importer; idempotent, safe to run twice at once."""
    if not _claim(feed_id):
        return PollResult("busy")
    feed = FeedSource.objects.get(pk=feed_id)
    now = clock.now()
    try:
        data = fetch(feed.url)
        digest = hashlib.sha256(data).hexdigest()
        if digest == feed.last_digest:
            result = PollResult("unchanged")
        else:
            imported = imports.feed_import(kind=feed.kind, data=data, actor=None)
            result = PollResult("imported", imported.created, imported.updated)
    except (FetchError, DomainError) as error:
        message = str(getattr(error, "message", error))
        where = getattr(error, "details", {}).get("where", "")
        _failed(feed, f"{message} ({where})" if where else message, now)
        return PollResult("failed")
    FeedSource.objects.filter(pk=feed.pk).update(
        last_polled_at=now,
        last_success_at=now,
        last_digest=digest,
        last_error="",
        alerted_at=None,
        lease_until=None,
    )
    return result


def _failed(feed: FeedSource, message: str, now) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        feed = FeedSource.objects.select_for_update().get(pk=feed.pk)
        first = feed.alerted_at is None
        if first:  # once per failing run: not again until the feed has succeeded
            events.publish(
                EVENT,
                organisation_id=feed.organisation_id,
                incident=None,
                feed=feed,
                error=message[:500],
                since=now,
            )
        FeedSource.objects.filter(pk=feed.pk).update(
            last_polled_at=now,
            last_error=message[:2000],
            last_error_at=now,
            alerted_at=now if first else feed.alerted_at,
            lease_until=None,
        )


def feeds_due() -> list[int]:
    return list(FeedSource.objects.filter(enabled=True).values_list("pk", flat=True))
