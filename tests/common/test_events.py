import pytest

from common import events
from incidents.services import intake
from tests.incidents.conftest import PHISH


@pytest.fixture
def recorded():
    seen: list[tuple[str, dict]] = []

    def record(name, **data):
        seen.append((name, data))

    events.subscribe("*", record)
    yield seen
    events._subscribers["*"].remove(record)


def test_unknown_event_names_are_refused():
    with pytest.raises(ValueError):
        events.publish("no.such.event", organisation_id=1)
    with pytest.raises(ValueError):
        events.subscribe("no.such.event", print)


def test_reports_publish_received_and_then_campaign_growth(organisation, recorded):
    for n in range(2):
        intake.report_submit(
            organisation=organisation,
            actor=None,
            data=intake.ReportInput(**PHISH, reporter_email=f"{n}@x.example"),
        )
    names = [name for name, _ in recorded]
    assert names == ["report.received", "report.received", "campaign.grew"]
    assert recorded[0][1]["new_item"] is True
    assert recorded[2][1]["count"] == 2
