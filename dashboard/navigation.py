"""The site's menu: the few destinations each role uses, in four groups.

One table (``MENU``) says which link belongs to which group and who sees it; the header
renders the groups that have at least one link for the user. A new page gets its link by a
row here, not by another template tag in ``base.html``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from bcp import access as bcp_access
from dashboard.selectors.scope import sees_statistics
from incidents import access as incident_access
from privacy import access as privacy_access
from training import access as training_access
from vulns import access as vulns_access


@dataclass(frozen=True)
class Destination:
    group: str
    label: str | Promise
    url_name: str
    allowed: Callable[[User], bool]
    # Paths under which the link is the current page (the first is its own path).
    sections: tuple[str, ...] = ()
    query: str = ""


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    links: list[Link]


GROUPS = {
    "respond": _("Response"),
    "decide": _("Decisions"),
    "training": _("Training and exercises"),
    "settings": _("Settings"),
}


def _works_incidents(user: User) -> bool:
    return incident_access.sees_all_incidents(user) or incident_access.can_edit_incidents(user)


def _keeps_api_keys(user: User) -> bool:
    """``accounts.access.can_manage_api_keys`` from the roles already read for this request
    (that check queries the database; the menu is on every page)."""
    if incident_access.integration_scope(user) is not None:
        return False
    return incident_access.can_manage_intake(user)  # the ISMS office (or a superuser)


def _keeps_people(user: User) -> bool:
    """``accounts.access.can_manage_people`` from the roles already read for this request."""
    if incident_access.integration_scope(user) is not None or not user.is_active:
        return False
    return Role.ISMS_OFFICE in incident_access.roles_of(user)


def _holds_a_role(user: User) -> bool:
    return bool(bcp_access.roles_held(user)) or bool(getattr(user, "is_superuser", False))


MENU = [
    Destination(
        "respond", _("Triage"), "incidents:triage_queue", incident_access.can_triage, ("/triage/",)
    ),
    Destination(
        "respond",
        _("Incidents"),
        "dashboard:incidents",
        _works_incidents,
        ("/dashboard/", "/incidents/", "/reports/new/"),
        query="?status=open",
    ),
    Destination("respond", _("Statistics"), "dashboard:statistics", sees_statistics),
    Destination(
        "respond",
        _("Corrective actions"),
        "isms:action_list",
        incident_access.sees_all_incidents,
        ("/corrective-actions/",),
    ),
    Destination(
        "respond",
        _("Vulnerabilities"),
        "vulns:finding_list",
        vulns_access.can_read,
        ("/vulnerabilities/",),
    ),
    Destination(
        "decide", _("Decisions waiting"), "bcp:decision_inbox", _holds_a_role, ("/decisions/",)
    ),
    Destination(
        "decide",
        _("Legal and privacy"),
        "privacy:inbox",
        privacy_access.is_legal,
        ("/privacy/",),
    ),
    Destination("decide", _("Roster"), "bcp:roster", bcp_access.can_see_roster, ("/roster/",)),
    Destination("decide", _("BCP plan"), "bcp:plan", bcp_access.can_see_roster, ("/bcp/",)),
    Destination(
        "training", _("Overview"), "training:hub", training_access.can_read, ("/training/",)
    ),
    Destination(
        "training",
        _("Coverage"),
        "training:coverage",
        training_access.can_read,
        ("/training/coverage/",),
    ),
    Destination(
        "training",
        _("Exercises"),
        "training:exercise_list",
        training_access.can_run_exercises,
        ("/training/exercises/",),
    ),
    Destination(
        "settings",
        pgettext_lazy("menu", "People"),
        "accounts:people",
        _keeps_people,
        ("/accounts/users/",),
    ),
    Destination(
        "settings",
        pgettext_lazy("menu", "Departments"),
        "accounts:units",
        _keeps_people,
        ("/accounts/departments/",),
    ),
    Destination(
        "settings",
        pgettext_lazy("menu", "Intake"),
        "incidents:intake_settings",
        incident_access.can_manage_intake,
        ("/intake/settings/",),
    ),
    Destination(
        "settings",
        pgettext_lazy("menu", "Alert sources"),
        "incidents:alert_sources",
        incident_access.can_manage_intake,
        ("/intake/sources/",),
    ),
    Destination(
        "settings",
        pgettext_lazy("menu", "Escalation"),
        "risklevels:settings",
        incident_access.can_manage_intake,
        ("/escalation/",),
    ),
    Destination(
        "settings",
        _("Data sets"),
        "privacy:data_sets",
        privacy_access.can_write_inventory,
        ("/data-sets/",),
    ),
    Destination(
        "settings",
        _("Emergency kit"),
        "records:kit",
        bcp_access.can_manage_roster,
        ("/emergency-kit/",),
    ),
    Destination(
        "settings",
        _("API keys"),
        "accounts:api_keys",
        _keeps_api_keys,
        ("/accounts/api-keys/",),
    ),
]


def _match(destination: Destination, url: str, path: str) -> int:
    """How well the page at ``path`` belongs to the link: its own page, else the longest
    section prefix; 0 when it does not."""
    if path == url:
        return 10_000
    return max(
        (len(prefix) for prefix in destination.sections if path.startswith(prefix)), default=0
    )


# Each destination's URL, reversed once per process (per script prefix and URL conf): the menu
# is on every page and its ~20 ``reverse()`` calls were a tenth of a list page's rendering.
_URLS: dict[tuple[str, object], list[str]] = {}


def _urls() -> list[str]:
    key = (get_script_prefix(), get_urlconf())
    urls = _URLS.get(key)
    if urls is None:
        urls = _URLS[key] = [reverse(destination.url_name) for destination in MENU]
    return urls


def _links(user: User, path: str) -> list[tuple[int, bool]]:
    """(index in MENU, is the current page) of each destination the user may follow."""
    urls = _urls()
    allowed = [i for i, destination in enumerate(MENU) if destination.allowed(user)]
    scores = [_match(MENU[i], urls[i], path) for i in allowed]
    best = max(scores, default=0)
    return [(i, bool(best) and score == best) for i, score in zip(allowed, scores, strict=True)]


def menu_for(user: User, path: str) -> list[Group]:
    """The groups with the links this user may follow, the current page marked."""
    urls = _urls()
    links: dict[str, list[Link]] = {key: [] for key in GROUPS}
    for i, current in _links(user, path):
        destination = MENU[i]
        links[destination.group].append(
            Link(str(destination.label), urls[i] + destination.query, current)
        )
    return [Group(key, str(GROUPS[key]), items) for key, items in links.items() if items]


# The menu's HTML by what it depends on: the links shown, the current one, the language and the
# script prefix (a few dozen entries per process: one per role set and section).
_HTML: dict[tuple[object, ...], str] = {}


def menu_html(user: User, path: str) -> SafeString:
    """The menu as ``dashboard/partials/nav.html`` wrote it (with its final newline)."""
    links = tuple(_links(user, path))
    key = (links, get_language(), get_script_prefix(), get_urlconf())
    found = _HTML.get(key)
    if found is None:
        found = _HTML[key] = _render(menu_for(user, path))
    return mark_safe(found)  # noqa: S308 (escaped in _render)


CURRENT = ' aria-current="page"'


def _render(groups: list[Group]) -> str:
    e = html.escape
    parts = []
    for group in groups:
        key = e(group.key)
        items = "".join(
            f'<li><a href="{e(link.url)}"{CURRENT if link.current else ""}>{e(link.label)}</a></li>'
            for link in group.links
        )
        parts.append(
            f'<div class="nav-group nav-{key}">\n'
            f'  <span class="nav-group-label" id="nav-{key}">{e(group.label)}</span>\n'
            f'  <ul aria-labelledby="nav-{key}">{items}</ul>\n'
            "</div>"
        )
    return "".join(parts) + "\n"
