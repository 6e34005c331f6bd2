from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BcpConfig(AppConfig):
    name = "bcp"
    verbose_name = _("Roles and cyber BCP")
