from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VulnsConfig(AppConfig):
    name = "vulns"
    verbose_name = _("Vulnerability information")

    def ready(self) -> None:
        from bcp import outcomes
        from incidents import extensions
        from vulns import review
        from vulns.services import risk

        # A finding's risk is accepted only by an approved decision (issue 23).
        outcomes.register(risk.RISK_DECISION, risk.risk_decided)
        # The figures of the management review pack (training renders them).
        extensions.register_review_section(review.review_figures)
