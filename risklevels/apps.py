from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisklevelsConfig(AppConfig):
    name = "risklevels"
    verbose_name = _("Risk levels")
