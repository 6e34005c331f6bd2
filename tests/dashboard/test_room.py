"""The incident room's live panel: the chart, the chain status, and polling that only swaps on
a change."""

from datetime import timedelta

import pytest
from django.db import connection

from incidents.services import tasks
from incidents.services.checkpoints import timeline_checkpoint
from risklevels.services import facts
from tests.incidents import tamper


def _page(client, incident):
    return client.get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="en")


def _live(client, incident, version=""):
    return client.get(
        f"/incidents/{incident.ref}/live/",
        {"v": version} if version else {},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_incident_page_polls_its_live_panel(as_user, isms_office, incident):
    text = _page(as_user(isms_office), incident).text
    assert f'hx-get="/incidents/{incident.ref}/live/" hx-trigger="every 5s"' in text
    assert 'hx-include="#room-version"' in text
    assert "Hash chain intact" in text
    assert 'src="/static/js/countdown.js"' in text


def test_the_panel_shows_counts_chart_and_chain(as_user, isms_office, incident, seed):
    seed.trend(incident, 3)
    response = _live(as_user(isms_office), incident)
    assert response.status_code == 200
    room = response.context["room"]
    assert room.counts["infected_effective_count"] == 1  # PC-12 opened the attachment
    assert [line.css for line in room.chart.lines] == ["effective", "confirmed", "isolated"]
    assert room.chain.ok
    assert room.chain.entries == incident.timeline.count()
    text = response.text
    assert '<svg class="chart trend-chart"' in text
    assert 'id="room-version"' in text
    assert "Show the numbers as a table" in text
    assert "<html" not in text


def test_an_unchanged_incident_answers_204_and_a_change_gives_the_new_panel(
    as_user, isms_office, incident
):
    client = as_user(isms_office)
    version = _live(client, incident).context["room"].version
    assert _live(client, incident, version).status_code == 204
    facts.fact_record(
        incident=incident, actor=isms_office, kind="infection", asset_tag="PC-31", state="CONFIRMED"
    )
    changed = _live(client, incident, version)
    assert changed.status_code == 200
    assert changed.context["room"].version != version
    assert changed.context["room"].counts["infected_effective_count"] == 2
    assert '<dd id="room-infected">2 assets</dd>' in changed.text


def test_a_recommended_level_is_shown_with_its_reasons(as_user, isms_office, incident):
    facts.fact_record(
        incident=incident, actor=isms_office, kind="infection", asset_tag="PC-31", state="CONFIRMED"
    )
    incident.refresh_from_db()
    assert incident.recommended_level == 2
    text = _live(as_user(isms_office), incident).text
    assert "Level 2 recommended" in text
    assert '<ul class="reasons"><li>' in text


def test_a_broken_hash_chain_is_shown_as_an_alert(as_user, isms_office, incident, handler):
    tasks.task_create(incident=incident, actor=handler, title="x")
    second = incident.timeline.get(seq=2)
    with connection.cursor() as c:
        c.execute("SET LOCAL session_replication_role = replica")
        c.execute(
            "UPDATE incidents_timelineentry SET payload='{\"forged\": true}' WHERE id=%s",
            [second.pk],
        )
        c.execute("SET LOCAL session_replication_role = origin")
    text = _live(as_user(isms_office), incident).text
    assert 'class="chain-broken" id="room-chain" role="alert"' in text
    assert (
        "Hash chain broken at entry 2: its content was changed after it was written "
        "(the keyed signature does not match)"
    ) in text


@pytest.mark.parametrize(
    ("keep_key_id", "reason"),
    [
        (True, "its content was changed after it was written (the keyed signature does not match)"),
        (False, "it has no keyed signature although the timeline is keyed"),
    ],
)
def test_an_entry_rewritten_with_the_chain_recomputed_without_the_key_is_shown(
    as_user, isms_office, incident, handler, keep_key_id, reason
):
    tasks.task_create(incident=incident, actor=handler, title="x")
    tamper.rewrite_and_rechain(incident, 2, {"forged": True}, keep_key_id=keep_key_id)
    text = _live(as_user(isms_office), incident).text
    assert 'class="chain-broken" id="room-chain" role="alert"' in text
    assert f"Hash chain broken at entry 2: {reason}" in text


def test_a_deleted_last_entry_is_shown_against_the_last_checkpoint(
    as_user, isms_office, incident, handler
):
    tasks.task_create(incident=incident, actor=handler, title="x")
    client = as_user(isms_office)
    assert "Not anchored outside the database yet." in _live(client, incident).text
    timeline_checkpoint(organisation=incident.organisation)
    last = tamper.delete_last(incident)
    text = _live(client, incident).text
    assert (
        f"Hash chain broken at entry {last}: entries anchored in the last checkpoint are missing"
    ) in text
    assert f"Anchored outside the database up to entry {last} (" in text


def test_the_chain_is_checked_again_when_it_grows_and_not_on_every_poll(
    as_user, isms_office, incident, handler, django_assert_num_queries
):
    client = as_user(isms_office)
    first = _live(client, incident).context["room"].chain
    with django_assert_num_queries(QUERIES_LIVE):
        assert _live(client, incident).context["room"].chain == first
    tasks.task_create(incident=incident, actor=handler, title="x")
    with django_assert_num_queries(QUERIES_LIVE + 1):  # the walk over the entries
        grown = _live(client, incident).context["room"].chain
    assert grown.ok
    assert grown.entries == first.entries + 1


def test_open_decisions_show_their_countdown_and_a_deputy(
    as_user, isms_office, incident, seed, deputy
):
    seed.decisions([incident], assignee=deputy, rank=2, due_at=seed.now + timedelta(minutes=20))
    text = _live(as_user(isms_office), incident).text
    assert 'class="countdown"' in text
    assert '<span class="badge deputy">deputy</span>' in text


@pytest.mark.parametrize("who", ["reporter", "outsider"])
def test_people_who_may_not_see_the_incident_get_404(as_user, request, incident, who):
    assert _live(as_user(request.getfixturevalue(who)), incident).status_code == 404


def test_the_trend_is_rendered_once_per_points_and_language_and_a_new_point_shows(
    as_user, isms_office, incident, seed, monkeypatch
):
    from dashboard.selectors import room as room_selectors
    from risklevels.models import TrendPoint

    seed.trend(incident, 3)
    client = as_user(isms_office)
    assert "Show the numbers as a table" in _page(client, incident).text
    built = []
    original = room_selectors.trend_chart
    monkeypatch.setattr(
        room_selectors, "trend_chart", lambda points: built.append(points) or original(points)
    )
    assert "Show the numbers as a table" in _page(client, incident).text
    assert built == []  # the same points: the chart and table are not built again
    TrendPoint.objects.create(
        incident=incident, at=seed.now, effective=41, confirmed=40, isolated=39
    )
    assert "<td>41</td><td>40</td><td>39</td>" in _page(client, incident).text
    assert len(built) == 1
    japanese = client.get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="ja").text
    assert "数値を表で見る" in japanese
    assert "Show the numbers as a table" not in japanese


def test_the_escalation_panel_shows_the_newest_twenty_points_newest_first_from_the_room(
    as_user, isms_office, incident, seed
):
    import re

    seed.trend(incident, 30)
    text = _page(as_user(isms_office), incident).text
    panel = text[text.index('id="escalation"') :]
    panel = panel[: panel.index("</section>")]
    rows = re.findall(r"<tr><td>[^<]*</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>", panel)
    newest = incident.trend.order_by("-at", "-id")[:20]
    assert len(rows) == 20
    assert rows == [(str(p.effective), str(p.confirmed), str(p.isolated)) for p in newest]


@pytest.mark.parametrize("rows", [10, 100])
def test_the_live_panel_reads_a_fixed_number_of_queries(
    as_user, isms_office, incident, seed, handler, deputy, rows, django_assert_num_queries
):
    seed.trend(incident, rows)
    seed.infected(incident, rows, observed=seed.now - timedelta(hours=1), isolated=seed.now)
    seed.decisions([incident] * 3, assignee=deputy, rank=2)
    for i in range(rows // 10):
        tasks.task_create(incident=incident, actor=handler, title=f"作業 {i}")
    client = as_user(isms_office)
    _live(client, incident)
    with django_assert_num_queries(QUERIES_LIVE):
        assert _live(client, incident).status_code == 200
    version = _live(client, incident).context["room"].version
    with django_assert_num_queries(QUERIES_UNCHANGED):
        assert _live(client, incident, version).status_code == 204


# session, the user (with organisation, roles and the bell: accounts.selectors.signed_in_user),
# the incident; the version; trend, counts, decisions and recent entries in one
# (common.fold, issue 20); the escalation summary (the incident's organisation, its
# levels, the fired rules); BCP. The chain's check is cached for this head (see the test below).
QUERIES_LIVE = 9
# session, the user (with organisation and roles), the incident, the version.
QUERIES_UNCHANGED = 4


def _entries(incident, handler, n):
    for i in range(n):
        tasks.task_create(incident=incident, actor=handler, title=f"作業 {i}")


def test_the_incident_page_lists_the_newest_entries_and_links_to_all(
    as_user, isms_office, incident, handler
):
    _entries(incident, handler, 55)
    total = incident.timeline.count()
    text = _page(as_user(isms_office), incident).text
    assert f"The newest 50 of {total} entries." in text
    assert f'href="/incidents/{incident.ref}/timeline/"' in text
    assert f'<li value="{total}">' in text
    assert f'<li value="{total - 50}">' not in text


def test_the_timeline_page_walks_every_entry_newest_first(as_user, isms_office, incident, handler):
    _entries(incident, handler, 60)
    client = as_user(isms_office)
    base = f"/incidents/{incident.ref}/timeline/"
    seen, url = [], base
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = response.context["page"]
        seen += [entry.seq for entry in page.rows]
        url = f"{base}?after={page.next_cursor}" if page.has_next else ""
    assert seen == list(range(incident.timeline.count(), 0, -1))


def test_the_room_has_a_summary_column_an_index_and_a_live_situation_section(
    as_user, isms_office, incident
):
    client = as_user(isms_office)
    text = _page(client, incident).text
    summary = text[text.index('class="room-summary') : text.index('class="room-index"')]
    for part in ('class="incident-ref"', 'id="room-live"', 'id="room-next"'):
        assert part in summary
    for anchor in ("overview", "situation", "assets", "timeline", "lifecycle", "review"):
        assert f'href="#{anchor}"' in text
        assert f'id="{anchor}"' in text
    live = _live(client, incident).text
    assert '<div id="room-situation" hx-swap-oob="true">' in live
    assert 'id="room-chain"' in live


def test_the_incident_pages_its_timeline_section_with_links_back_to_it(
    as_user, isms_office, incident, handler
):
    _entries(incident, handler, 120)
    total = incident.timeline.count()
    client = as_user(isms_office)
    first = _page(client, incident)
    cursor = first.context["timeline"].page.next_cursor
    assert f'href="?tl={cursor}#timeline"' in first.text
    second = client.get(f"/incidents/{incident.ref}/", {"tl": cursor}, HTTP_ACCEPT_LANGUAGE="en")
    rows = second.context["timeline"].page.rows
    assert [entry.seq for entry in rows] == list(range(total - 50, total - 100, -1))
    assert f"Entries {total - 50} to {total - 99} of {total}." in second.text
    assert 'href="?#timeline"' in second.text
    # A cursor that is not one of ours starts at the newest entries.
    assert client.get(f"/incidents/{incident.ref}/", {"tl": "x"}).status_code == 200


@pytest.mark.parametrize("who", ["reporter", "outsider"])
def test_people_who_may_not_see_the_incident_get_404_for_its_timeline(
    as_user, request, incident, who
):
    response = as_user(request.getfixturevalue(who)).get(f"/incidents/{incident.ref}/timeline/")
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [10, 100])
def test_the_incident_page_reads_a_fixed_number_of_queries(
    as_user, isms_office, incident, seed, handler, deputy, rows, django_assert_num_queries, settings
):
    # A cache of this process: the suite's other worker clears the shared Redis one per test.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    seed.trend(incident, rows)
    seed.decisions([incident] * 3, assignee=deputy, rank=2)
    _entries(incident, handler, rows // 10)
    client = as_user(isms_office)
    _page(client, incident)
    with django_assert_num_queries(QUERIES_PAGE):
        assert _page(client, incident).status_code == 200


# The incident page of the incidents app with its panels (escalation, BCP, the live panel and
# the newest timeline entries, the decisions card with its request form and the decision-opening
# policy, the lifecycle panel's guard facts, the review card, the campaign's emails with their
# counters and number of deliveries, the first deliveries, the related incidents, the
# communications card and the personal-data card with C-1's open obligations, where else the
# indicators were seen in one query, the suggested indicators); counted here so that the room
# stays flat as it grows. The escalation summary and the BCP activation, shown twice, are read
# once per incident object (issue 20). The timeline section (its total and page: 2 queries) is
# kept per chain head, so a second view of an unchanged incident does not read it. The live
# panel's chain head, trend, counters, open decisions and newest entries are one query (fold),
# and so are the page's lists (assets, first deliveries, emails, reports, indicators, tasks)
# and the lifecycle's guard facts (incidents' own and bcp's, the review's, privacy's: 8 → 1);
# the case form's two people selects read the people once (IncidentEditForm.list_people); the
# escalation panel's newest trend points are the live panel's (Room.latest_points).
QUERIES_PAGE = 24


def _deliveries(incident, n):
    from incidents.models import MailDelivery

    message = incident.mail_messages.order_by("id").first()
    MailDelivery.objects.bulk_create(
        MailDelivery(message=message, recipient_email=f"staff{i}@example.jp") for i in range(n)
    )
    return MailDelivery.objects.filter(message__incident=incident).count()


def test_the_incident_page_lists_the_first_deliveries_and_links_to_every_one(
    as_user, isms_office, incident
):
    total = _deliveries(incident, 30)
    response = _page(as_user(isms_office), incident)
    assert len(response.context["deliveries"]) == 20
    assert response.context["delivery_total"] == total
    assert f"The first 20 of {total} deliveries are listed here." in response.text
    link = f'<a href="/incidents/{incident.ref}/deliveries/">All {total} deliveries →</a>'
    assert link in response.text


def test_a_campaign_of_few_deliveries_is_listed_whole_without_the_link(
    as_user, isms_office, incident
):
    total = _deliveries(incident, 2)
    response = _page(as_user(isms_office), incident)
    assert len(response.context["deliveries"]) == total
    assert f"/incidents/{incident.ref}/deliveries/" not in response.text


def test_the_deliveries_page_pages_through_every_delivery_oldest_first(
    as_user, isms_office, incident
):
    total = _deliveries(incident, 120)
    client = as_user(isms_office)
    first = client.get(f"/incidents/{incident.ref}/deliveries/", HTTP_ACCEPT_LANGUAGE="en")
    rows = first.context["page"].rows
    assert len(rows) == 100
    assert [d.pk for d in rows] == sorted(d.pk for d in rows)
    cursor = first.context["page"].next_cursor
    assert f'href="?after={cursor}"' in first.text
    second = client.get(
        f"/incidents/{incident.ref}/deliveries/", {"after": cursor}, HTTP_ACCEPT_LANGUAGE="en"
    )
    rest = second.context["page"].rows
    assert len(rest) == total - 100
    assert rest[0].pk > rows[-1].pk
    assert not second.context["page"].has_next
    assert "staff119@example.jp" in second.text


@pytest.mark.parametrize("who", ["reporter", "outsider"])
def test_people_who_may_not_see_the_incident_get_404_for_its_deliveries(
    as_user, request, incident, who
):
    response = as_user(request.getfixturevalue(who)).get(f"/incidents/{incident.ref}/deliveries/")
    assert response.status_code == 404


def test_the_timeline_section_shows_an_entry_appended_since_the_last_view(
    as_user, isms_office, incident, handler, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client = as_user(isms_office)
    before = _page(client, incident).text
    _entries(incident, handler, 1)
    newest = incident.timeline.order_by("-seq").first()
    assert f'<li value="{newest.seq}">' not in before
    after = _page(client, incident).text
    assert f'<li value="{newest.seq}">' in after
    # Unchanged since: the same section, from the cache, in the reader's language.
    assert _page(client, incident).text.count(f'<li value="{newest.seq}">') == 1
    assert "Record as stored (JSON)" in after
    japanese = client.get(f"/incidents/{incident.ref}/", HTTP_ACCEPT_LANGUAGE="ja").text
    assert "記録そのもの（JSON）" in japanese
    assert "Record as stored (JSON)" not in japanese
