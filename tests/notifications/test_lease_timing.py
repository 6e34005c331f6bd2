"""Issue 20, item 3: a delivery whose worker is killed in flight reaches its receiver again
within 30 s of the acknowledgement deadline, and a live worker never loses its claim.

Worst case after the deadline: the acknowledgement sweep runs up to one period late, its
delivery is claimed and its worker killed; the claim lapses after the lease; the redelivery
sweep runs up to one period later; the next worker sends it (at most the HTTP timeout).
tests/scaleout/test_scaleout.py and ``bench/alerts.py --faults`` show it with real processes.
"""

from notifications.tasks import deliver


def test_a_delivery_s_time_limits_end_before_its_claim_lapses(settings):
    assert deliver.soft_time_limit > settings.ALERT_HTTP_TIMEOUT_SECONDS
    assert deliver.soft_time_limit > settings.ALERT_SMTP_TIMEOUT_SECONDS
    assert deliver.soft_time_limit < deliver.time_limit < settings.ALERT_LEASE_SECONDS


def test_a_delivery_killed_in_flight_is_sent_again_within_30_seconds_of_the_deadline(settings):
    sweep, lease = settings.ALERT_SWEEP_SECONDS, settings.ALERT_LEASE_SECONDS
    worst = sweep + lease + sweep + settings.ALERT_HTTP_TIMEOUT_SECONDS
    assert worst <= 30
