"""A known exploited vulnerability on an internet-facing asset alerts the CSIRT lead at once.

``vulnerability.exploitable`` goes through the notifications outbox like every domain event
(common.events; the default subscription is the CSIRT lead's, acknowledged, on every channel).
Once per finding: ``alerted_at`` records it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from common import events
from vulns.models import Finding

EVENT = "vulnerability.exploitable"


def alert_exploitable(findings: Iterable[Finding], *, at: datetime) -> int:
    sent = 0
    for finding in findings:
        if finding.alerted_at is not None:
            continue
        events.publish(
            EVENT,
            organisation_id=finding.organisation_id,
            incident=None,
            finding=finding,
            vuln_id=finding.advisory.vuln_id,
            asset=str(finding.asset),
            due_at=finding.due_at,
        )
        finding.alerted_at = at
        Finding.objects.filter(pk=finding.pk).update(alerted_at=at)
        sent += 1
    return sent
