from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BcpConfig(AppConfig):
    name = "bcp"
    verbose_name = _("Decisions and cyber BCP")

    def ready(self) -> None:
        from bcp.timeline import LABELS
        from incidents import extensions

        extensions.register_fact_provider(_incident_facts)
        extensions.register_timeline_labels(LABELS)


def _incident_facts(incident) -> dict:  # type: ignore[no-untyped-def]
    """What the incident lifecycle guards need from bcp (G-RESTORED, G-RATIFIED)."""
    from bcp.enums import BcpState
    from bcp.models import BcpActivation
    from bcp.services.decisions import pending_ratifications

    state = BcpActivation.objects.filter(incident=incident).values_list("state", flat=True).first()
    return {
        "bcp_fully_activated": state == BcpState.ACTIVATED_FULL,
        "pending_ratifications": pending_ratifications(incident),
    }
