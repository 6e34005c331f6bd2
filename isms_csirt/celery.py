"""The Celery application, configured from Django settings (``CELERY_*``)."""

import os
from typing import Any

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isms_csirt.settings")

app = Celery("isms_csirt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_database_connections(sender: Any = None, **_: Any) -> None:
    """Around each task, as Django does around each request: close a connection past its
    CONN_MAX_AGE or broken by an error (a restarted PostgreSQL), keep a healthy one (the next
    use checks it first: CONN_HEALTH_CHECKS). Celery's own fixup would close every connection
    each time; CELERY_DB_REUSE_MAX in the settings turns that off. SQLite (CONN_MAX_AGE 0)
    still closes after every task. Eager tasks run inside their caller's transaction: skipped."""
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
