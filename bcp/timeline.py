"""Labels of the timeline entries bcp writes, registered with incidents at start-up."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "decision.opened": _("Decision opened"),
    "decision.decided": _("Decision taken"),
    "decision.ratified": _("Decision ratified"),
    "decision.reassigned": _("Decision reassigned (deadline passed)"),
    "decision.overdue": _("Decision overdue"),
    "decision.reopened": _("Deferred decision re-opened"),
    "decision.withdrawn": _("Decision withdrawn"),
    "decision.raised": _("Decision raised in place"),
    "bcp.state_changed": _("Cyber BCP state changed"),
    "bcp.action_executed": _("BCP action done"),
    "bcp.action_restored": _("BCP action restored"),
}
