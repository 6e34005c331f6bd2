from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from common import clock
        from incidents import extensions

        # One clock (issue 18): a URL naming an incident by reference runs on its clock. The
        # middleware resolves a URL only when one of its segments may be such a reference.
        from incidents.services.refs import may_be_exercise_ref

        _incident_of_route.segment_hint = may_be_exercise_ref  # type: ignore[attr-defined]
        clock.register_route_object(_incident_of_route)

        # Where the incident page fixes the guards incidents checks itself.
        extensions.register_guard_links(
            {
                "G-CONTAINMENT-STARTED": _room("#assets"),
                "G-ALL-ISOLATED": _room("#assets"),
                "G-REMEDIATED": _room("#assets"),
                "G-RESTORED": _room("#assets"),
                "C1-ASSETS-RESTORED": _room("#assets"),
            }
        )


def _room(anchor: str):  # type: ignore[no-untyped-def]
    def link(incident) -> str:  # type: ignore[no-untyped-def]
        from django.urls import reverse

        return reverse("incidents:incident_detail", args=[incident.ref]) + anchor

    return link


def _incident_of_route(request, match):  # type: ignore[no-untyped-def]
    """The exercise incident a URL names by reference (``ref``, or ``incident_ref`` in the
    API), in the user's organisation; None for a real one (it runs on the wall clock)."""
    from incidents.models import Incident
    from incidents.services.refs import may_be_exercise_ref

    ref = match.kwargs.get("ref") or match.kwargs.get("incident_ref")
    if not ref or not may_be_exercise_ref(str(ref)):
        return None
    rows = Incident.objects.filter(ref=str(ref)[:32], is_exercise=True)
    organisation_id = _caller_organisation(request)
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)
    found = list(rows.only("id", "is_exercise", "organisation_id")[:2])
    # A caller of no organisation (the request will be refused) and a reference it cannot
    # tell apart are left to the wall clock rather than guessed.
    return found[0] if len(found) == 1 else None


def _caller_organisation(request):  # type: ignore[no-untyped-def]
    """The session user's organisation, or an API key's: DRF reads the key after the
    middleware, so the key is read here too (an exercise reference is per organisation)."""
    from accounts.authentication import key_organisation_id

    user = getattr(request, "user", None)
    if getattr(user, "is_authenticated", False) and user.organisation_id:
        return user.organisation_id
    return key_organisation_id(request)
