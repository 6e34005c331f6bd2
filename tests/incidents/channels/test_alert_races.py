"""Concurrent posts of one alert make one report (real PostgreSQL connections, one per thread)."""

import json
import time

import pytest

from incidents.channels.signing import sign
from incidents.models import AlertReceipt, Report
from incidents.services import channels
from tests.incidents.channels.conftest import sample
from tests.incidents.test_concurrency import _race

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_posts_of_one_alert_make_one_report_counted_by_each(organisation, isms_office):
    registered = channels.alert_source_register(
        organisation=organisation, actor=isms_office, name="Defender", fmt="DEFENDER"
    )
    body = json.dumps(sample("defender")).encode()

    def post():
        ts = str(int(time.time()))
        return channels.alert_receive(
            source=registered.source,
            body=body,
            timestamp=ts,
            signature=sign(registered.secret, ts, body),
        )

    results = _race([post for _ in range(6)])
    assert all(isinstance(r, channels.Received) for r in results), results
    assert sum(r.new_report for r in results) == 1
    assert Report.objects.count() == 1
    assert AlertReceipt.objects.get().repeat_count == 6
