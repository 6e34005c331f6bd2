"""Acceptance of the dashboard and the incident room in a real browser, in Japanese.

(a) The ISMS office opens the dashboard on a desktop (1280×800) and on a phone (360×740), sees
    the tiles, and follows one to its filtered list.
(b) The incident room updates in place when a finding is recorded in another session: the
    polled panel changes without a reload.
(c) The statistics page draws its charts and their tables.
No JavaScript error and no Content-Security-Policy violation happens on the way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import SCREENSHOTS, _page, log_in, menu_link, shoot
from tests.dashboard.conftest import Seed
from tests.incidents.conftest import file_report, incident  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
# Collected in the page itself: a CSP violation fires this event whether or not it is logged.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var where = e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 300) : "";
  window.__csp.push([e.violatedDirective, e.sourceFile, e.lineNumber, where].join(" "));
});
"""


class Watched:
    """A page and what went wrong in it: console errors, uncaught errors, CSP violations."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.failed: list[str] = []
        page.add_init_script(WATCH_CSP)
        page.on("response", self._response)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def assert_clean(self) -> None:
        violations = self.page.evaluate("window.__csp || []")
        assert violations == []
        assert self.failed == []
        assert self.errors == []


def _watched(browser: Browser, live_server: LiveServer, viewport) -> Iterator[Watched]:
    for page in _page(browser, live_server, viewport):
        yield Watched(page)


@pytest.fixture
def laptop(browser: Browser, live_server: LiveServer) -> Iterator[Watched]:
    yield from _watched(browser, live_server, LAPTOP)


@pytest.fixture
def small_phone(browser: Browser, live_server: LiveServer) -> Iterator[Watched]:
    yield from _watched(browser, live_server, PHONE)


@pytest.fixture
def second_session(browser: Browser, live_server: LiveServer) -> Iterator[Watched]:
    yield from _watched(browser, live_server, LAPTOP)


@pytest.fixture
def office_day(organisation, isms_office, decision_maker, deputy, incident):  # noqa: F811
    """The incident from intake, plus a morning's work: open incidents at each level, a
    decision the deputy holds, overdue tasks, waiting reports, an unacknowledged alert."""
    seed = Seed(organisation)
    busy = seed.incidents(3, status="CONTAINING", level=2, title="営業部PCの感染")
    seed.incidents(
        1, status="ERADICATING", level=3, category="RANSOMWARE", title="ファイルサーバー暗号化"
    )
    seed.decisions(busy[:1], assignee=deputy, rank=2)
    seed.tasks(busy[0], 2, due_in=-timedelta(hours=3))
    seed.reports(3)
    seed.alerts(1, flagged=True, on=busy[0])
    seed.bcp(busy[0], "ACTIVATED_PARTIAL")
    return busy


def _fits_the_width(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("device", ["laptop", "small_phone"])
def test_the_isms_office_follows_a_tile_to_its_filtered_list(request, device, office_day):
    watched: Watched = request.getfixturevalue(device)
    page = watched.page
    log_in(page, "isms")
    expect(page.get_by_role("heading", name="ダッシュボード", exact=True)).to_be_visible()
    incidents = page.locator("#tile-incidents")
    expect(incidents.get_by_role("heading", name="対応中のインシデント")).to_be_visible()
    expect(incidents.locator(".tile-number")).to_contain_text("5")
    expect(incidents.get_by_role("link", name=re.compile(r"レベル2\s+3"))).to_be_visible()
    expect(page.locator("#tile-decisions")).to_contain_text("代行")
    expect(page.locator("#tile-tasks .tile-number")).to_contain_text("2")
    expect(page.locator("#tile-alerts .tile-number")).to_contain_text("1")
    expect(page.locator("#tile-triage .tile-number")).to_contain_text("3")
    expect(page.locator("#tile-bcp")).to_contain_text("発動中（部分）")
    expect(page.locator("#tile-trend")).to_contain_text("直近30日間")
    assert _fits_the_width(page)
    shoot(page, f"dashboard-{device}-1-tiles")

    incidents.get_by_role("link", name=re.compile(r"レベル2\s+3")).click()
    page.wait_for_url(re.compile(r"/dashboard/incidents/\?status=open&level=2$"))
    expect(page.get_by_role("heading", name="インシデント", exact=True)).to_be_visible()
    rows = page.locator("#incident-rows tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("営業部PCの感染")
    expect(page.locator("#id_level")).to_have_value("2")
    shoot(page, f"dashboard-{device}-2-filtered-list")
    watched.assert_clean()


def test_the_incident_room_updates_when_another_session_records_a_finding(
    laptop,
    second_session,
    office_day,
    handler,
    incident,  # noqa: F811
):
    room = laptop.page
    log_in(room, "isms")
    room.goto(f"/incidents/{incident.ref}/")
    # The summary column's live status, and the situation section (trend, chain) beside it.
    live, situation = room.locator("#room-live"), room.locator("#room-situation")
    expect(live.locator("#room-infected")).to_have_text("1台")
    expect(situation.locator("#room-chain")).to_contain_text("ハッシュチェーン正常")
    expect(situation.locator("svg.trend-chart")).to_be_visible()
    room.evaluate("window.__stayed = true")
    shoot(room, "room-1-before")

    other = second_session.page
    log_in(other, "handler")
    other.goto(f"/incidents/{incident.ref}/")
    other.locator("#escalation summary").click()
    other.locator("#finding_asset_tag").fill("PC-31")
    other.locator("#finding_state").select_option("CONFIRMED")
    other.locator("#escalation form[action$='/findings/'] button[type=submit]").click()
    expect(other.locator(".messages")).to_contain_text("PC-31")

    expect(live.locator("#room-infected")).to_have_text("2台")  # on the panel's next poll
    expect(live).to_contain_text("レベル2を推奨")
    expect(live.locator("#room-decisions li").first).to_be_visible()  # the decisions it opened
    expect(situation.locator(".trend-chart .series-effective .end-label")).to_have_text("感染 2")
    assert room.evaluate("window.__stayed") is True  # the same page: no reload
    shoot(room, "room-2-after-finding")
    room.locator("#room").screenshot(path=str(SCREENSHOTS / "room-3-live-panel.png"))
    laptop.assert_clean()
    second_session.assert_clean()


def test_the_statistics_page_draws_charts_with_tables(laptop, small_phone, office_day):
    for device, watched in (("laptop", laptop), ("small_phone", small_phone)):
        page = watched.page
        log_in(page, "isms")
        menu_link(page, "統計").click()
        expect(page.get_by_role("heading", name="統計", exact=True)).to_be_visible()
        expect(page.locator("svg.chart")).to_have_count(7)
        figure = page.locator("#figure-by-level")
        figure.get_by_text("数値を表で見る").click()
        expect(figure.locator("table")).to_be_visible()
        assert _fits_the_width(page)
        shoot(page, f"statistics-{device}")
        watched.assert_clean()
