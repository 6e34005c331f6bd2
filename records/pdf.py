"""HTML to PDF with WeasyPrint (HTML and CSS paged media, Pango for Japanese text with the
Noto CJK fonts): the incident report and the emergency kit, from the same templates as their
print pages."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

STYLESHEET = "css/records-print.css"


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    import weasyprint  # imported here: loading Pango costs a second the web pages do not need

    html = render_to_string(template, {**context, "pdf": True})
    css = weasyprint.CSS(filename=finders.find(STYLESHEET))
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[css]
    )


def kit_path(kit: Any) -> Path:
    return Path(settings.VAR_DIR) / "kits" / str(kit.organisation_id) / f"kit-v{kit.version}.pdf"


def kit_file_write(kit: Any) -> Path:
    """The version's PDF (in the site's language) under ISMS_VAR_DIR, written once."""
    path = kit_path(kit)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with translation.override(settings.LANGUAGE_CODE):
        data = render_pdf("records/kit_pdf.html", {"kit": kit})
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)  # a reader never sees half a file
    return path
