import pytest

from incidents.services import intake, triage
from incidents.services.intake import ReportInput

PHISH = {
    "sender": '"経理部" <keiri@evil.example>',
    "subject": "【至急】請求書の送付",
    "url": "https://evil.example/invoice",
    "what_happened": "OPENED_ATTACHMENT",
}


@pytest.fixture
def file_report(organisation):
    def _file(actor=None, **overrides):
        data = ReportInput(**{**PHISH, **overrides})
        if actor is None and not data.reporter_email:
            data.reporter_email = "haken@example.com"
        return intake.report_submit(organisation=organisation, actor=actor, data=data)

    return _file


@pytest.fixture
def incident(file_report, isms_office, reporter):
    report = file_report(actor=reporter, asset_label="PC-12", cable_pulled=True)
    return triage.event_promote(event=report.event, actor=isms_office)
