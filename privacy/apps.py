from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data and obligations")

    def ready(self) -> None:
        from bcp import outcomes
        from common import clock
        from incidents import extensions
        from privacy import closure
        from privacy.services import appi
        from privacy.timeline import DESCRIBERS, KEY_CHOICES, KEY_LABELS, LABELS, SENTENCES

        # One clock (issue 18): an obligation's page or API call runs on its exercise's clock.
        clock.register_route_object(clock.pk_route("obligation", _exercise_obligation))

        extensions.register_facts_listener(appi.on_facts_changed)
        extensions.register_fact_parts(closure.fact_parts, closure.read_facts)
        extensions.register_guard_links(closure.GUARD_LINKS)
        extensions.register_tlp_floor(closure.tlp_floor)
        extensions.register_sensitive_assets(closure.sensitive_hosts)
        extensions.register_visibility(closure.obligations_held)
        extensions.register_timeline_labels(LABELS)
        extensions.register_timeline_describers(DESCRIBERS)
        extensions.register_timeline_sentences(SENTENCES)
        extensions.register_timeline_keys(KEY_LABELS, KEY_CHOICES)
        outcomes.register(appi.APPI_DECISION, appi.appi_decided)


def _exercise_obligation(pk: int):  # type: ignore[no-untyped-def]
    from privacy.models import Obligation

    return (
        Obligation.objects.filter(pk=pk, incident__is_exercise=True)
        .only("id", "incident_id")
        .first()
    )
