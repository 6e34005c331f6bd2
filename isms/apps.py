from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IsmsConfig(AppConfig):
    name = "isms"
    verbose_name = _("ISMS feedback")

    def ready(self) -> None:
        from incidents import extensions
        from isms import closure
        from isms.timeline import DESCRIBERS, LABELS, SENTENCES

        extensions.register_fact_parts(closure.fact_parts, closure.read_facts)
        extensions.register_status_listener(closure.on_status_changed)
        extensions.register_guard_links(closure.GUARD_LINKS)
        extensions.register_timeline_labels(LABELS)
        extensions.register_timeline_describers(DESCRIBERS)
        extensions.register_timeline_sentences(SENTENCES)
