"""The decision request on the timeline names who must decide and who takes over at the
deadline, so the room reads "asked Sato to decide … (due 15:00, deputy Suzuki)" (issue 19)."""

from django.utils import translation

from bcp.services import decisions
from incidents.timeline_sentences import sentence


def _request(incident):
    decisions.decision_open(incident=incident, decision_type="ACTIVATE_CYBER_BCP")
    return incident.timeline.filter(kind="decision.opened").get()


def test_the_request_names_the_decision_maker_and_the_deputy_in_order(
    incident, decision_maker, deputy
):
    entry = _request(incident)
    assert entry.payload["assignee"] == decision_maker.pk
    assert entry.payload["deputy"] == deputy.pk
    assert entry.payload["names"] == {str(decision_maker.pk): str(decision_maker),
                                      str(deputy.pk): str(deputy)}  # fmt: skip
    with translation.override("ja"):
        text = sentence(entry)
    assert f"{decision_maker}さんへ判断「サイバー攻撃対応BCPを発動する」を依頼しました" in text
    assert f"、代理 {deputy}）。" in text


def test_an_absent_decision_maker_passes_to_the_deputy_with_no_one_after(
    incident, decision_maker, deputy, absent
):
    absent(decision_maker)
    entry = _request(incident)
    assert entry.payload["assignee"] == deputy.pk and entry.payload["deputy"] is None
    with translation.override("en"):
        assert "deputy" not in sentence(entry)
