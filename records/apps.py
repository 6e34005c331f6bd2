from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Records")

    def ready(self) -> None:
        from common import events
        from incidents import extensions
        from records.kit_events import on_plan_changed
        from records.timeline import DESCRIBERS, LABELS, SENTENCES

        extensions.register_timeline_labels(LABELS)
        extensions.register_timeline_describers(DESCRIBERS)
        extensions.register_timeline_sentences(SENTENCES)
        # The roster, the BCP plan or the checklists changed: the emergency kit follows.
        events.subscribe("plan.changed", on_plan_changed)
