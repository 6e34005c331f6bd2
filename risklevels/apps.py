from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisklevelsConfig(AppConfig):
    name = "risklevels"
    verbose_name = _("Risk levels")

    def ready(self) -> None:
        from bcp import outcomes
        from incidents import extensions
        from risklevels.services import engine, levels
        from risklevels.timeline import LABELS

        extensions.register_timeline_labels(LABELS)
        extensions.register_declared_listener(levels.on_declared)
        extensions.register_facts_listener(engine.incident_reevaluate)
        outcomes.register("ESCALATE_LEVEL", levels.level_apply)
        outcomes.register("DEESCALATE_LEVEL", levels.level_apply)
