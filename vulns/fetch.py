"""The one function that reaches out to the internet for advisory feeds (tests replace it).

https only, no redirect to anything else, a timeout, and at most ``MAX_BYTES`` read: a feed
larger than that is refused, not cut.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 30


class FetchError(Exception):
    """The feed could not be fetched; the message is for the settings page."""


class _HttpsOnly(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urlsplit(newurl).scheme != "https":
            raise FetchError(_("The feed redirects to an address that is not https."))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def require_https(url: str) -> None:
    if urlsplit(url).scheme != "https" or not urlsplit(url).hostname:
        raise FetchError(_("Only https addresses are polled."))


def fetch(url: str) -> bytes:
    require_https(url)
    opener = urllib.request.build_opener(_HttpsOnly)
    # The scheme is https (require_https above; a redirect elsewhere is refused by _HttpsOnly).
    request = urllib.request.Request(url, headers={"User-Agent": "isms-csirt feed poll"})  # noqa: S310
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            data = response.read(MAX_BYTES + 1)
    except FetchError:
        raise
    except urllib.error.HTTPError as error:
        raise FetchError(_("The server answered %(status)d.") % {"status": error.code}) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(
            _("The feed could not be fetched: %(reason)s") % {"reason": reason}
        ) from error
    if len(data) > MAX_BYTES:
        raise FetchError(_("The feed is larger than 20 MB."))
    return data
