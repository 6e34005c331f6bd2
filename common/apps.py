from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from django.conf import settings
        from django.core.signals import request_finished

        from common import gcfreeze

        if settings.GC_FREEZE_AFTER_REQUESTS > 0:
            request_finished.connect(gcfreeze.after_request, dispatch_uid="common.gcfreeze")
