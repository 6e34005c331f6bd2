from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BcpConfig(AppConfig):
    name = "bcp"
    verbose_name = _("Decisions and cyber BCP")

    def ready(self) -> None:
        from bcp.timeline import DESCRIBERS, KEY_CHOICES, KEY_LABELS, LABELS, SENTENCES
        from common import clock
        from incidents import extensions

        # One clock (issue 18): a decision's page or API call runs on its exercise's clock.
        clock.register_route_object(clock.pk_route("decision", _exercise_decision))

        extensions.register_fact_parts(_fact_parts, _read_facts)
        extensions.register_visibility(_decisions_held)
        extensions.register_timeline_labels(LABELS)
        extensions.register_timeline_describers(DESCRIBERS)
        extensions.register_timeline_sentences(SENTENCES)
        extensions.register_timeline_keys(KEY_LABELS, KEY_CHOICES)
        extensions.register_guard_links(
            {
                "C1-NO-OPEN-DECISION": _room("#decisions"),
                "C1-RATIFIED": _room("#decisions"),
                "C1-BCP-SETTLED": _room("#bcp"),
            }
        )


def _room(anchor: str):  # type: ignore[no-untyped-def]
    def link(incident) -> str:  # type: ignore[no-untyped-def]
        from django.urls import reverse

        return reverse("incidents:incident_detail", args=[incident.ref]) + anchor

    return link


def _exercise_decision(pk: int):  # type: ignore[no-untyped-def]
    from bcp.models import Decision

    return (
        Decision.objects.filter(pk=pk, incident__is_exercise=True).only("id", "incident_id").first()
    )


def _decisions_held(user, roles):  # type: ignore[no-untyped-def]
    """Whoever a decision of an incident is assigned to, or was decided by, sees the incident."""
    from django.db.models import Exists, OuterRef, Q

    from bcp.models import Decision

    held = Decision.objects.filter(incident=OuterRef("pk")).filter(
        Q(assignee=user) | Q(decided_by=user)
    )
    return Exists(held)


def _fact_parts(incident_id: int) -> dict:  # type: ignore[type-arg]
    """What the incident lifecycle guards need from bcp (G-RESTORED; C-1's decisions, their
    ratification and the BCP state), read with the guards' other facts in one statement."""
    from django.db.models import Count, Q

    from bcp.models import BcpActivation, Decision

    return {
        "state": BcpActivation.objects.filter(incident_id=incident_id)
        .order_by("id")
        .values("state")[:1],
        "decisions": Decision.objects.filter(incident_id=incident_id)
        .order_by()
        .values("incident_id")
        .annotate(
            open=Count("pk", filter=Q(status="OPEN")),
            unratified=Count("pk", filter=Q(requires_ratification=True, ratified_at__isnull=True)),
        ),
    }


def _read_facts(rows: dict) -> dict:  # type: ignore[type-arg]
    from bcp.enums import BcpState

    state = rows["state"][0]["state"] if rows["state"] else None
    counts = rows["decisions"][0] if rows["decisions"] else {"open": 0, "unratified": 0}
    return {
        "bcp_fully_activated": state == BcpState.ACTIVATED_FULL,
        "bcp_settled": (state or BcpState.NOT_ACTIVATED) in SETTLED,
        "pending_ratifications": counts["unratified"],
        "open_decisions": counts["open"],
    }


# C-1: the BCP states an incident may close in.
SETTLED = frozenset({"NOT_ACTIVATED", "DECLINED", "STOOD_DOWN"})
