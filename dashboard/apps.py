from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _build_missing_rollups(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """After ``migrate``: organisations without a statistics rollup get one (dashboard.rollup).

    Sent once per app with models; the dashboard has none, so this listens for incidents'."""
    if sender.label != "incidents":
        return
    from django.db import connections

    from dashboard import rollup
    from incidents.models import FiguresZone

    if FiguresZone._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back before the rollup
    rollup.build_missing()


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        post_migrate.connect(_build_missing_rollups, dispatch_uid="statistics-rollup")
