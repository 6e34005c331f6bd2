from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = _("Sharing")

    def ready(self) -> None:
        from incidents import extensions
        from sharing.timeline import KEYS, LABELS, SENTENCES

        extensions.register_timeline_labels(LABELS)
        extensions.register_timeline_keys(KEYS, {})
        extensions.register_timeline_sentences(SENTENCES)
