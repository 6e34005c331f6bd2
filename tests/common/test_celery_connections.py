"""A Celery worker keeps its PostgreSQL connection from one task to the next (issue 20: each
alert batch opened a new one), and still drops one that is too old or broken, as Django does
around requests."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup
from celery.signals import task_postrun, task_prerun
from django.db import connection

from isms_csirt.celery import app

pytestmark = pytest.mark.django_db(transaction=True)


class _Task:
    request = SimpleNamespace(is_eager=False)


A_TASK = _Task()


def _one_task() -> None:
    """What a worker runs around a task: Celery's Django fixup, then the project's handlers."""
    fixup = DjangoWorkerFixup(app)
    task_prerun.send(sender=A_TASK, task_id="t", task=A_TASK, args=(), kwargs={})
    fixup.on_task_prerun(A_TASK)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    task_postrun.send(sender=A_TASK, task_id="t", task=A_TASK, args=(), kwargs={})
    fixup.on_task_postrun(A_TASK)


def test_a_task_leaves_its_healthy_database_connection_open_for_the_next():
    # A fresh connection: one opened by an earlier test of this process may be past its
    # CONN_MAX_AGE already, and that one is rightly closed (the test below).
    connection.close()
    connection.ensure_connection()
    opened = connection.connection
    _one_task()
    _one_task()
    assert connection.connection is opened


def test_a_connection_older_than_its_max_age_is_closed_after_a_task():
    connection.ensure_connection()
    connection.close_at = time.monotonic() - 1  # CONN_MAX_AGE passed
    task_postrun.send(sender=A_TASK, task_id="t", task=A_TASK, args=(), kwargs={})
    assert connection.connection is None


def test_a_connection_broken_between_tasks_is_replaced_before_the_next_query():
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    from django.db import connections

    other = connections.create_connection("default")
    with other.cursor() as cursor:  # as a PostgreSQL restart does to the worker's backend
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()
    _one_task()  # would raise OperationalError on the dead connection without the check
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
