"""Reads of reviews, corrective actions and the Annex A catalogue, filtered to what a user may
see: the organisation's, on incidents the user sees (or actions the user owns)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import Organisation, User
from incidents import selectors as incident_selectors
from incidents.models import Incident
from isms.models import AnnexAControl, CorrectiveAction, PostIncidentReview

OPEN, OVERDUE, ALL = "open", "overdue", "all"
VIEWS = (OPEN, OVERDUE, ALL)


def controls() -> QuerySet[AnnexAControl]:
    return AnnexAControl.objects.all()


def review_of(incident: Incident) -> PostIncidentReview | None:
    return (
        PostIncidentReview.objects.filter(incident=incident)
        .prefetch_related("controls_affected")
        .first()
    )


def _with_relations(actions: QuerySet[CorrectiveAction]) -> QuerySet[CorrectiveAction]:
    return actions.select_related("incident", "owner").prefetch_related("controls")


def actions_of_incident(incident: Incident) -> QuerySet[CorrectiveAction]:
    return _with_relations(incident.corrective_actions.all()).order_by("due_on", "id")


def corrective_actions_visible_to(user: User) -> QuerySet[CorrectiveAction]:
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return CorrectiveAction.objects.none()
    visible = incident_selectors.incidents_visible_to(user).values("pk")
    return CorrectiveAction.objects.filter(organisation_id=user.organisation_id).filter(
        Q(incident__in=visible) | Q(owner=user)
    )


def corrective_action_list(
    *, user: User, view: str = OPEN, today: date, control: str = ""
) -> QuerySet[CorrectiveAction]:
    """The list page and the API list: open (soonest due first), overdue, or all; by control."""
    # An exercise's corrective actions stay on its review page (issue 18).
    actions = corrective_actions_visible_to(user).filter(
        incident_selectors.exercise_scope(prefix="incident__")
    )
    if view == OPEN:
        actions = actions.open()
    elif view == OVERDUE:
        actions = actions.overdue(today)
    if control:
        actions = actions.filter(controls__id=control.removeprefix("A."))
    return _with_relations(actions).order_by("due_on", "id")


def corrective_action_get(*, user: User, pk: int) -> CorrectiveAction:
    action = _with_relations(corrective_actions_visible_to(user)).filter(pk=pk).first()
    if action is None:
        raise Http404
    return action


def management_review_reviews(
    *, organisation: Organisation, since: datetime, until: datetime
) -> list[PostIncidentReview]:
    """Closed incidents of the period that M-1 sent to the management review (cl. 9.3), with
    their lessons and corrective actions (and each action's controls)."""
    return list(
        PostIncidentReview.objects.filter(
            management_review_input=True,
            incident__organisation=organisation,
            incident__is_exercise=False,
            incident__closed_at__gte=since,
            incident__closed_at__lt=until,
        )
        .select_related("incident")
        .prefetch_related(
            "controls_affected",
            Prefetch(
                "incident__corrective_actions",
                queryset=CorrectiveAction.objects.select_related("owner")
                .prefetch_related("controls")
                .order_by("due_on", "id"),
            ),
        )
        .order_by("incident__closed_at", "incident_id")
    )
