"""Template rendering: the known facts filled, the gaps marked, no raw code, the IOC list only
where the message's TLP allows."""

from zoneinfo import ZoneInfo

from comms.enums import TemplateKind
from comms.services import templates
from incidents.models import Indicator
from incidents.services import indicators


def _draft(incident, actor, kind, language="ja"):
    return templates.communication_from_template(
        incident=incident, actor=actor, kind=kind, language=language
    )


def test_the_staff_warning_is_filled_from_the_record_in_tokyo_time(incident, isms_office):
    warning = _draft(incident, isms_office, TemplateKind.STAFF_WARNING)
    assert warning.audience == "ALL_STAFF" and warning.tlp == "AMBER_STRICT"
    assert "keiri@evil.example" in warning.body and "【至急】請求書の送付" in warning.body
    tokyo = incident.declared_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{tokyo:%Y/%m/%d %H:%M}" in warning.body
    assert incident.ref in warning.subject


def test_what_the_record_does_not_know_is_marked_as_a_gap(incident, isms_office):
    release = _draft(incident, isms_office, TemplateKind.PRESS_RELEASE)
    assert "【要記入：情報の項目と件数】" in release.body
    english = _draft(incident, isms_office, TemplateKind.PRESS_RELEASE, language="en")
    assert "[TO FILL: items and counts]" in english.body


def test_no_template_leaves_a_raw_code_or_placeholder(incident, isms_office):
    for kind in TemplateKind.values:
        for language in ("ja", "en"):
            made = _draft(incident, isms_office, kind, language)
            text = made.subject + made.body
            assert "{" not in text and "}" not in text, (kind, language)
            for code in ("ALL_STAFF", "AMBER_STRICT", "JPCERT_CC", "None", "SUSPECTED"):
                assert code not in text, (kind, language, code)


def test_indicators_go_only_into_messages_their_tlp_allows(incident, handler, isms_office):
    c2 = indicators.c2_indicator_for(incident=incident, actor=handler, value="c2.example")
    Indicator.objects.filter(pk=c2.pk).update(tlp="AMBER")
    internal = _draft(incident, isms_office, TemplateKind.STAFF_WARNING)
    assert "c2.example" in internal.body
    jpcert = _draft(incident, isms_office, TemplateKind.JPCERT_REPORT)
    assert "c2.example" in jpcert.body
    templates.template_update(
        organisation=incident.organisation,
        actor=isms_office,
        kind="PRESS_RELEASE",
        language="ja",
        subject="お知らせ",
        body="指標：{indicators}",
    )
    press = _draft(incident, isms_office, TemplateKind.PRESS_RELEASE)
    assert press.tlp == "CLEAR"
    assert press.body == "指標：（このTLPでは記載しません）"


def test_an_organisations_edited_template_is_what_drafts_use(incident, isms_office):
    templates.template_update(
        organisation=incident.organisation,
        actor=isms_office,
        kind="STAFF_WARNING",
        language="ja",
        subject="注意 {incident_ref}",
        body="{organisation} より。{unknown_fact}",
    )
    made = _draft(incident, isms_office, TemplateKind.STAFF_WARNING)
    assert made.subject == f"注意 {incident.ref}"
    assert made.body == "テスト株式会社 より。【要記入：unknown fact】"
