"""The home page (``/``): the tiles the user's roles allow, their own work first, refreshed in
place every 30 s."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from accounts import roster
from accounts import selectors as accounts_selectors
from accounts.models import User
from accounts.roles import Role
from bcp import access as bcp_access
from bcp import selectors as bcp_selectors
from common import clock
from common.fold import Part, fold, kept
from dashboard.selectors import home, tiles, trend
from dashboard.selectors.scope import sees_statistics
from incidents import access as incident_access
from notifications import access as notification_access
from training import access as training_access
from vulns import access as vulns_access
from vulns import selectors as vulns_selectors


def _role_gaps(rows: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Deciding roles nobody can take now, and those with nobody behind the one who can, from
    the roster's rows read with the tiles (none for those who may not see the roster)."""
    if "roster_assigned" not in rows:
        return [], []
    moments = bcp_selectors.roster_of(roster.chains_from(rows))
    uncovered = [str(Role(m.role).label) for m in moments if m.uncovered]
    no_deputy = [str(Role(m.role).label) for m in moments if m.without_deputy]
    return uncovered, no_deputy


def _who_parts(user: User, tiles_shown: tuple[bool, bool, bool]) -> dict[str, Part]:
    """The tiles' parts that depend on who the user is only — not on the moment, nor on rows
    read first. For those who see every incident (the ISMS office, the CSIRT lead) they are
    compiled once per thread and user (``common.fold.kept``, issue 20: ~5 ms of Python a
    load); the key holds everything they read of the user, and ``kept`` refuses a build that
    queries or a part that holds a moment. For others the decisions they see depend on the
    delegations in force now (``bcp.selectors.decisions_visible_to``): built on every load."""
    works_incidents, triages, manages_alerts = tiles_shown

    def build() -> dict[str, QuerySet[Any]]:
        parts: dict[str, QuerySet[Any]] = {}
        if works_incidents:
            parts["incidents"] = tiles.open_incidents_counts(user)
            parts["decisions_rows"] = tiles.decisions_waiting_rows(user)
            parts["bcp"] = tiles.bcp_overview_counts(user)
            parts["bcp_rows"] = tiles.bcp_overview_rows(user)
        if triages:
            parts["triage"] = tiles.triage_waiting_counts(user)
        if manages_alerts:
            parts["alerts"] = tiles.alerts_waiting_counts(user)
            parts["alerts_rows"] = tiles.alerts_waiting_rows(user)
        parts["obligations"] = home.my_obligations_rows(user=user)
        parts["my_person"] = home.my_person_rows(user=user)
        return parts

    if not incident_access.sees_all_incidents(user):
        return dict(build())
    return kept(("home", *_who(user), tiles_shown), build, moments=False)


def _who(user: User) -> tuple[Any, ...]:
    """What the parts of ``_who_parts`` read of the user, and the language and zone of the
    request (a part may hold a translated or zoned constant)."""
    roles = tuple(
        (a.organisation_id, a.role, a.priority, tuple(a.authority_scope or []))
        for a in accounts_selectors.role_assignments_of(user)
    )
    return (
        user.pk,
        user.organisation_id,
        user.email,
        user.is_superuser,  # the access checks grant a superuser every role
        roles,
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )


def tiles_context(user: User) -> dict[str, Any]:
    """Each tile only for the roles that may act on it; None hides a tile."""
    now = clock.now()
    works_incidents = incident_access.sees_all_incidents(
        user
    ) or incident_access.can_edit_incidents(user)
    triages = incident_access.can_triage(user)
    manages_alerts = notification_access.can_manage_alerts(user)
    sees_vulns = vulns_access.can_read(user)
    statistics = sees_statistics(user)
    # Every tile's counts and rows, the user's decisions and obligations, the vulnerability
    # counts and the 30-day trend in one query (issue 20: ``fold``).
    parts: dict[str, Any] = _who_parts(user, (works_incidents, triages, manages_alerts))
    if works_incidents:
        parts["decisions"] = tiles.decisions_waiting_counts(user, now)
        parts["tasks"] = tiles.overdue_tasks_counts(user, now)
        parts["tasks_rows"] = tiles.overdue_tasks_rows(user, now)
    if sees_vulns:
        parts["vulns"] = vulns_selectors.tile_counts(user, now)
    reads_training = training_access.can_read(user)
    if reads_training:
        parts["readiness"] = tiles.training_readiness_counts(user)
    if statistics:
        parts.update(trend.trend_parts(organisation_id=user.organisation_id, now=now))
    if bcp_access.can_see_roster(user):
        parts.update(roster.chain_parts(organisation=user.organisation, at=now))
    parts.update(home.my_decisions_parts(user=user, at=now))
    rows = fold(parts)
    uncovered_roles, roles_without_deputy = _role_gaps(rows)
    context: dict[str, Any] = {
        "now": now,
        "uncovered_roles": uncovered_roles,
        "roles_without_deputy": roles_without_deputy,
        "incidents": tiles.open_incidents(user, rows["incidents"]) if works_incidents else None,
        "decisions": (
            tiles.decisions_waiting(user, now, rows["decisions"], rows["decisions_rows"])
            if works_incidents
            else None
        ),
        "tasks": (
            tiles.overdue_tasks(user, now, rows["tasks"], rows["tasks_rows"])
            if works_incidents
            else None
        ),
        "bcp": tiles.bcp_overview(user, rows["bcp"], rows["bcp_rows"]) if works_incidents else None,
        "triage": tiles.triage_waiting(user, rows["triage"]) if triages else None,
        "alerts": (
            tiles.alerts_waiting(user, rows["alerts"], rows["alerts_rows"])
            if manages_alerts
            else None
        ),
        "readiness": tiles.training_readiness(user, rows["readiness"]) if reads_training else None,
        "my_decisions": home.my_decisions(user=user, at=now, folded=rows),
        "my_training": home.my_training(user=user, folded=rows["my_person"]),
        "obligations": rows["obligations"],
        # Open critical or KEV-listed vulnerability findings, and those past due (issue 23).
        "vulns": vulns_selectors.tile(user, now, rows["vulns"]) if sees_vulns else None,
        "report": user.organisation_id is not None,
        "trend": (
            trend.trend_30_days(
                organisation_id=user.organisation_id,
                now=now,
                rows=rows["trend"],
                kept_days=rows["trend_days"],
            )
            if statistics
            else None
        ),
    }
    context["roles_covered"] = bool(context["incidents"]) and not context["uncovered_roles"]
    context["layout"] = _layout(user, context)
    return context


def _layout(user: User, context: dict[str, Any]) -> list[str]:
    """The tiles to show, the user's own work first (``home.layout_for``)."""
    shown = {
        **context,
        "roles": context["roles_covered"],
        "my_training": context["my_training"] is not None,
        "my_decisions": context["my_decisions"] is not None,
    }
    order = home.layout_for(incident_access.roles_of(user))
    return [f"dashboard/partials/tiles/{name}.html" for name in order if shown.get(name)]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    context = tiles_context(request.user)
    if request.headers.get("HX-Request") == "true":
        response = render(request, "dashboard/partials/tiles.html", context)
    else:
        context["roles"] = home.roles_of(user=request.user)
        response = render(request, "dashboard/index.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
