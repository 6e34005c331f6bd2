"""Labels of the timeline entries of the escalation model, registered with incidents."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "level.recommended": _("Recommended level changed"),
    "level.changed": _("Level changed"),
    "asset.infection": _("Infection state recorded"),
    "finding.external_comm": _("External communication found"),
    "finding.leak": _("Data leak found"),
}
