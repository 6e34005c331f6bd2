"""Reading a feed's JSON with the path of every problem ("vulnerabilities[3].cve.id")."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from vulns.importers.record import FeedError


def load(data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FeedError(_("The file is not UTF-8 text."), where=f"byte {error.start}") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedError(
            _("The file is not valid JSON (%(error)s).") % {"error": error.msg},
            where=f"line {error.lineno}",
        ) from error


class Node:
    """A JSON value with its path; ``get`` and ``items`` refuse what the feed format forbids."""

    def __init__(self, value: Any, path: str = "$") -> None:
        self.value, self.path = value, path

    def fail(self, message: Any) -> FeedError:
        return FeedError(message, where=self.path)

    def obj(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.fail(_("An object is expected here."))
        return self.value

    def get(self, key: str, *, required: bool = True) -> Node:
        value = self.obj().get(key)
        if value is None and required:
            raise FeedError(_("%(key)s is missing.") % {"key": key}, where=f"{self.path}.{key}")
        return Node(value, f"{self.path}.{key}")

    def items(self, *, required: bool = True) -> list[Node]:
        if self.value is None and not required:
            return []
        if not isinstance(self.value, list):
            raise self.fail(_("A list is expected here."))
        return [Node(v, f"{self.path}[{i}]") for i, v in enumerate(self.value)]

    def text(self, *, max_length: int = 10000) -> str:
        if self.value is None:
            return ""
        if not isinstance(self.value, str) or len(self.value) > max_length:
            raise self.fail(
                _("A text of at most %(n)d characters is expected here.") % {"n": max_length}
            )
        return self.value

    def day(self) -> date | None:
        text = self.text(max_length=40)
        if not text:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError as error:
            raise self.fail(_("A date (YYYY-MM-DD) is expected here.")) from error

    def moment(self) -> datetime | None:
        text = self.text(max_length=40)
        if not text:
            return None
        try:
            at = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as error:
            raise self.fail(_("A date and time (ISO 8601) is expected here.")) from error
        if at.tzinfo is None:
            from datetime import UTC

            at = at.replace(tzinfo=UTC)
        return at
