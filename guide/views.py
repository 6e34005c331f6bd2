"""The user guide in the app: ``docs/guide/ja/<role>.md``, rendered on the server.

The guide is public (like the project's docs), so a contractor on the reporting link can read
the worker's page too. markdown-it-py renders CommonMark with raw HTML turned off: whatever
the files say, the page carries no markup of their own, so the strict CSP holds.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from guide.pages import GUIDES, GUIDES_BY_SLUG

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "guide" / "ja"


@lru_cache(maxsize=16)
def _rendered(slug: str, mtime: float) -> str:
    text = (GUIDE_DIR / f"{slug}.md").read_text(encoding="utf-8")
    renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    return renderer.render(text)


def _my_guides(request: HttpRequest) -> set[str]:
    from accounts.models import RoleAssignment

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return {"worker"}
    roles = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    return {g.slug for g in GUIDES if not g.roles or roles & set(g.roles)}


def index(request: HttpRequest) -> HttpResponse:
    mine = _my_guides(request)
    guides = [{"guide": g, "mine": g.slug in mine} for g in GUIDES]
    return render(request, "guide/index.html", {"guides": guides})


def page(request: HttpRequest, slug: str) -> HttpResponse:
    guide = GUIDES_BY_SLUG.get(slug)
    path = GUIDE_DIR / f"{slug}.md"
    if guide is None or not path.exists():
        raise Http404
    html = _rendered(slug, path.stat().st_mtime)
    context = {"guide": guide, "body": mark_safe(html), "guides": GUIDES}  # noqa: S308
    return render(request, "guide/page.html", context)
