from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VulnsConfig(AppConfig):
    name = "vulns"
    verbose_name = _("Vulnerability information")
