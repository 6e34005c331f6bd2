from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from incidents import extensions

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
