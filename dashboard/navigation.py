"""The site's menu: the few destinations each role uses, in four groups.

One table (``MENU``) says which link belongs to which group and who sees it; the header
renders the groups that have at least one link for the user. A new page gets its link by a
row here, not by another template tag in ``base.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


def menu_for(user: User, path: str) -> list[Group]:
    """The groups with the links this user may follow, the current page marked."""
    allowed = [
        (destination, reverse(destination.url_name))
        for destination in MENU
        if destination.allowed(user)
    ]
    scores = [_match(destination, url, path) for destination, url in allowed]
    best = max(scores, default=0)
    links: dict[str, list[Link]] = {key: [] for key in GROUPS}
    for (destination, url), score in zip(allowed, scores, strict=True):
        current = bool(best) and score == best
        links[destination.group].append(
            Link(str(destination.label), url + destination.query, current)
        )
    return [Group(key, str(GROUPS[key]), items) for key, items in links.items() if items]
