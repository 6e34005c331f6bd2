"""Timeline entries read as words in the user's language: old → new with labels, no codes."""

from django.utils import translation

from incidents import timeline_text


def _ja(kind, payload):
    with translation.override("ja"):
        return timeline_text.describe(kind, payload)


def test_an_edit_reads_old_to_new_with_labels():
    lines = _ja("incident.updated", {"field": "priority", "from": "P3", "to": "P1"})
    assert lines == ["優先度：P3（中） → P1（緊急）"]


def test_a_person_edit_uses_the_names_kept_with_it():
    payload = {"field": "owner", "from": None, "to": 7, "from_label": "", "to_label": "田中"}
    assert _ja("incident.updated", payload)[0].endswith("：— → 田中")


def test_older_entries_with_every_change_in_one_still_read():
    lines = _ja("incident.updated", {"changes": {"tlp": ["AMBER_STRICT", "RED"]}})
    assert lines == ["TLP：TLP:AMBER+STRICT → TLP:RED"]


def test_a_status_change_names_the_statuses_and_the_reason():
    lines = _ja(
        "incident.status_changed", {"from": "CLOSED", "to": "CONTAINING", "reason": "再感染"}
    )
    assert lines == ["状態：終了 → 封じ込め", "理由：再感染"]


def test_an_asset_update_reads_each_change():
    payload = {"asset": "PC-12", "changes": {"remediation_state": ["NONE", "RESTORED"]}}
    lines = _ja("asset.updated", payload)
    assert lines[0] == "PC-12" and "→" in lines[1] and "RESTORED" not in lines[1]


def test_other_kinds_show_readable_keys_without_row_ids_or_codes():
    lines = _ja("indicator.blocked", {"indicator": 3, "kind": "URL", "blocked_by": "PROXY"})
    assert all("PROXY" not in line and "indicator" not in line for line in lines)
    assert any(line.startswith("ブロック箇所：") for line in lines)


def test_a_task_done_from_the_record_names_the_condition_and_the_records_in_words():
    payload = {"code": "L1-01", "task": 1, "records": ["PC-12"], "condition": "infected_isolated"}
    lines = _ja("task.done_from_record", payload)
    assert lines == ["コード：L1-01", "記録：PC-12", "完了の条件：感染端末がすべて隔離済み"]


def test_an_infection_reads_states_and_route_by_name_and_time_in_the_organisations_zone():
    payload = {
        "asset": "PC-27",
        "from": "NONE",
        "to": "SUSPECTED",
        "via": "LATERAL",
        "observed_at": "2026-11-14 01:40:00+00:00",
    }
    lines = _ja("asset.infection", payload)
    assert lines == [
        "PC-27",
        "感染状況：感染なし → 疑い",
        "経路：横展開（二次感染）",
        "確認日時：2026/11/14 10:40",
    ]


def test_a_code_or_a_yes_no_of_an_unknown_kind_still_reads_as_words():
    lines = _ja("finding.external_comm", {"status": "CONFIRMED", "blocked": False})
    assert lines == ["状態：確定", "ブロック：いいえ"]
