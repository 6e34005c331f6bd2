"""A checklist task reads in the reader's language: its English title in the English UI."""

from incidents.services.tasks import task_create


def _tasks(page: str) -> str:
    """The tasks section of the incident page (the timeline keeps the title as recorded)."""
    start = page.index('id="tasks"')
    return page[start : page.index("</section>", start)]


def test_a_task_shows_its_english_title_in_english_and_its_japanese_title_in_japanese(
    client, incident, isms_office
):
    task_create(
        incident=incident,
        actor=None,
        code="X-01",
        title="全従業員に注意喚起する",
        title_en="Warn every member of staff",
    )
    client.force_login(isms_office)
    english = _tasks(client.get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="en").text)
    assert "X-01 Warn every member of staff" in english
    assert "全従業員に注意喚起する" not in english
    japanese = _tasks(client.get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="ja").text)
    assert "X-01 全従業員に注意喚起する" in japanese


def test_a_task_without_an_english_title_keeps_its_own_in_english(client, incident, isms_office):
    task_create(incident=incident, actor=None, code="X-02", title="社内で決めた作業")
    client.force_login(isms_office)
    english = _tasks(client.get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="en").text)
    assert "X-02 社内で決めた作業" in english
