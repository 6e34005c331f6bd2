"""What the dashboard reads from: the user's incidents, once each, and the real ones."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from incidents import access as incident_access
from incidents import selectors as incident_selectors
from incidents.models import Incident


def visible_incidents(user: User) -> QuerySet[Incident]:
    """The incidents the user may see, without duplicate rows.

    The incidents selector joins the handlers for people who see only their own incidents;
    a count or a keyset page over that join could see an incident twice, so those users get
    the same set through ``id IN (…)``.
    """
    visible = incident_selectors.incidents_visible_to(user)
    if incident_access.sees_all_incidents(user):
        return visible
    return Incident.objects.filter(pk__in=visible.values("pk"))


def real_incidents(user: User) -> QuerySet[Incident]:
    """The user's real incidents: what the real lists, counts and tiles read (issue 18)."""
    return visible_incidents(user).filter(real())


def sees_statistics(user: User) -> bool:
    """Organisation-wide figures (trend, statistics) are for the roles that see every incident."""
    return incident_access.sees_all_incidents(user)


def real(prefix: str = "") -> Q:
    """Rows of real incidents: drill-mode exercises (training) stay out of the figures
    (``incidents.selectors.exercise_scope``)."""
    return incident_selectors.exercise_scope(prefix=prefix)
