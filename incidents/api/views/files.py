"""Evidence files go out as attachments only, whatever their name or declared type."""

from __future__ import annotations

import json
from typing import Any

from django.http import FileResponse
from rest_framework import renderers

from incidents.models import EvidenceItem


class AttachmentRenderer(renderers.BaseRenderer):
    """Lets a client ask for the file with ``Accept: application/octet-stream``."""

    media_type = "application/octet-stream"
    format = "bin"
    charset = None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict[str, Any] | None = None,
    ) -> bytes:
        return json.dumps(data, default=str).encode()  # only errors reach a renderer


def safe_filename(name: str, fallback: str) -> str:
    """The last path segment, printable, no quotes: never a path, never a header injection."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in "\"';").strip(" .")
    return base[:150] or fallback


def attachment_response(item: EvidenceItem) -> FileResponse:
    # Whatever the file claims to be (HTML, SVG …), the browser must only ever save it.
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=safe_filename(item.original_name, f"evidence-{item.pk}"),
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
