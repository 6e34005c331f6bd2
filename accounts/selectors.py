"""Reads of the accounts app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import JSONObject
from django.http import Http404

from accounts.models import ApiKey, OrganisationUnit, RoleAssignment, User
from common import clock
from common.prepared import Prepared


def api_keys_of(user: User) -> QuerySet[ApiKey]:
    """The API keys of the user's organisation, newest first (index apikey_org_created)."""
    return (
        ApiKey.objects.filter(organisation_id=user.organisation_id)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def api_key_get(*, user: User, pk: int) -> ApiKey:
    key = api_keys_of(user).filter(pk=pk).first()
    if key is None:
        raise Http404
    return key


# --- The signed-in user (issue 20: one query per request for user, organisation and roles) -----

ASSIGNMENTS = "_assignments"
# What other apps read with the signed-in user for every page's frame: attribute name -> a
# function giving an expression on the user row (OuterRef("pk")); notifications adds the bell.
SIGNED_IN_EXTRAS: dict[str, Callable[[], Any]] = {}


def _signed_in_rows() -> QuerySet[User]:
    """The users with their organisation, role assignments and ``SIGNED_IN_EXTRAS``."""
    ranks = (
        RoleAssignment.objects.filter(user=OuterRef("pk"))
        .order_by("organisation_id", "role", "priority")
        .values(
            json=JSONObject(
                id="id",
                organisation_id="organisation_id",
                role="role",
                priority="priority",
                authority_scope="authority_scope",
            )
        )
    )
    # ArraySubquery is PostgreSQL's; on SQLite (`make run`) the roles are one more query, read
    # by role_assignments_of when first asked.
    roles = {ASSIGNMENTS: ArraySubquery(ranks)} if connection.vendor == "postgresql" else {}
    return User.objects.select_related("organisation").annotate(
        **roles, **{name: make() for name, make in SIGNED_IN_EXTRAS.items()}
    )


# The query above, compiled once per thread and shape (common.prepared) and run with the
# session's user id: every request built it anew, its six sub-queries resolved and compiled
# each time (issue 20: about a seventh of a list page's CPU went to reading the signed-in
# user). Nothing in it depends on the request; the extras are registered at start-up.
_SIGNED_IN = Prepared(lambda pk: _signed_in_rows().filter(pk=pk).order_by("pk")[:1])


def signed_in_user(user_id: object) -> User | None:
    """The user of a session with the organisation and every role assignment, in one query."""
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return _signed_in_rows().filter(pk=user_id).first()
    found = _SIGNED_IN(user_id)
    return found[0] if found else None


def role_assignments_of(user: User) -> list[RoleAssignment]:
    """The user's role assignments (every organisation), ordered by organisation, role and rank:
    from the signed-in read when there was one, else one query (kept on the user object)."""
    rows = getattr(user, ASSIGNMENTS, None)
    if rows is None:
        found = list(
            RoleAssignment.objects.filter(user=user).order_by("organisation_id", "role", "priority")
        )
        setattr(user, ASSIGNMENTS, found)
        return found
    if rows and isinstance(rows[0], dict):
        rows = [RoleAssignment(user_id=user.pk, **row) for row in rows]
        setattr(user, ASSIGNMENTS, rows)
    return rows


# --- The directory (issue 15): people and departments, for the ISMS office ---------------------


def people_managed_by(actor: User) -> QuerySet[User]:
    """The organisation's accounts (not the API keys' service users), active first, with their
    roles and department."""
    return (
        User.objects.filter(organisation_id=actor.organisation_id, api_key__isnull=True)
        .select_related("unit", "unit__parent")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.filter(
                    organisation_id=actor.organisation_id
                ).order_by("role", "priority"),
            )
        )
        .order_by("-is_active", "display_name", "username")
    )


def person_get_managed(*, actor: User, pk: int) -> User:
    """A person of the actor's organisation; anyone else is a 404."""
    person = people_managed_by(actor).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def units_of(actor: User, *, active_only: bool = False) -> QuerySet[OrganisationUnit]:
    """The organisation's departments with how many active accounts each holds."""
    units = OrganisationUnit.objects.filter(organisation_id=actor.organisation_id)
    if active_only:
        units = units.filter(is_active=True)
    return (
        units.select_related("parent", "parent__parent")
        .annotate(
            active_members=Count("members", filter=Q(members__is_active=True), distinct=True),
            # training.Person, by its reverse relation (accounts does not import training).
            people_to_train=Count(
                "people",
                filter=Q(people__left_on__isnull=True) | Q(people__left_on__gt=clock.now().date()),
                distinct=True,
            ),
        )
        .order_by("-is_active", "parent__name", "name")
    )


def unit_get_managed(*, actor: User, pk: int) -> OrganisationUnit:
    unit = units_of(actor).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit
