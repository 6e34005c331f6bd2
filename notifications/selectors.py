"""Reads of the alerts for the pages and the API, scoped to the user's organisation."""

from __future__ import annotations

from django.db.models import Exists, F, Func, OuterRef, QuerySet, Subquery
from django.http import Http404

from accounts.models import User
from incidents.selectors import exercise_scope
from notifications import access
from notifications.enums import ChannelKind
from notifications.models import Alert, Channel, DeliveryAttempt, Notification

NOTIFICATION_RELATED = (
    "alert__incident",
    "alert__acknowledged_by",
    "recipient",
    "channel",
)


def inbox(user: User, *, exercise: bool = False) -> QuerySet[Notification]:
    """The in-app list: the user's in-app notifications, newest first; real ones, or with
    ``exercise`` only those of exercises (their own 「訓練」 section, issue 18)."""
    return (
        Notification.objects.filter(
            exercise_scope(exercise=exercise, prefix="alert__incident__"),
            recipient=user,
            channel__kind=ChannelKind.IN_APP,
        )
        .select_related(*NOTIFICATION_RELATED)
        .order_by("-id")
    )


def _awaiting_ack(recipient: object) -> QuerySet[Alert]:
    return Alert.objects.filter(
        exercise_scope(prefix="incident__"),
        Exists(Notification.objects.filter(alert=OuterRef("pk"), recipient=recipient)),
        needs_ack=True,
        acknowledged_at__isnull=True,
        resolved_at__isnull=True,
    )


def awaiting_ack_count(user: User) -> int:
    """The bell: alerts sent to the user that still wait for an acknowledgement; an
    exercise's alerts never ring it (issue 18: real screens look as without the exercise)."""
    return _awaiting_ack(user).count()


BELL = "_bell"


def bell_subquery() -> Subquery:
    """``awaiting_ack_count`` of the outer query's user, read with the signed-in user
    (``accounts.selectors.signed_in_user``): the bell costs no query of its own (issue 20)."""
    counted = _awaiting_ack(OuterRef(OuterRef("pk"))).order_by()
    return Subquery(counted.annotate(n=Func(F("id"), function="COUNT")).values("n"))


def bell_count(user: User) -> int:
    """The bell of the page being drawn: read with the signed-in user, else counted now."""
    found = getattr(user, BELL, None)
    return found if found is not None else awaiting_ack_count(user)


def notification_list(user: User) -> QuerySet[Notification]:
    """The API list: the user's own; the ISMS office's: the whole organisation's."""
    if not access.is_person(user):
        return Notification.objects.none()
    rows = Notification.objects.filter(organisation_id=user.organisation_id)
    if not access.can_manage_alerts(user):
        rows = rows.filter(recipient=user)
    return rows.select_related(*NOTIFICATION_RELATED)


def alert_to_acknowledge(user: User, pk: int) -> Alert:
    """An alert sent to the user (404 for any other, even of the same organisation)."""
    alert = (
        Alert.objects.filter(
            pk=pk, organisation_id=user.organisation_id, notifications__recipient=user
        )
        .select_related("incident")
        .first()
    )
    if alert is None:
        raise Http404
    return alert


def unacknowledged(user: User) -> QuerySet[Alert]:
    """Alerts escalated to the end of their chain without acknowledgement (ISMS office);
    never an exercise's (issue 18)."""
    if not access.can_manage_alerts(user):
        return Alert.objects.none()
    return (
        Alert.objects.unacknowledged()
        .filter(exercise_scope(prefix="incident__"), organisation_id=user.organisation_id)
        .select_related("incident", "last_holder")
        .order_by("-exhausted_at")
    )


def channel_list(user: User) -> QuerySet[Channel]:
    if not access.can_manage_alerts(user):
        return Channel.objects.none()
    return Channel.objects.filter(organisation_id=user.organisation_id).order_by("id")


def attempt_list(user: User) -> QuerySet[DeliveryAttempt]:
    if not access.can_manage_alerts(user):
        return DeliveryAttempt.objects.none()
    return DeliveryAttempt.objects.filter(
        notification__organisation_id=user.organisation_id
    ).select_related("channel")
