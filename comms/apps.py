from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommsConfig(AppConfig):
    name = "comms"
    verbose_name = _("Communications")

    def ready(self) -> None:
        from comms import records
        from comms.timeline import DESCRIBERS, LABELS
        from incidents import completion, extensions

        for name, condition in records.CONDITIONS.items():
            completion.register_condition(name, condition)
        extensions.register_timeline_labels(LABELS)
        extensions.register_timeline_describers(DESCRIBERS)
