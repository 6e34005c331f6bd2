"""The header's menu: each role's few destinations in their groups, the current page marked."""

import re

import pytest
from django.utils import translation

from dashboard.navigation import menu_for
from tests.conftest import _holder


def _groups(user, path="/"):
    with translation.override("en"):
        return menu_for(user, path)


def _menu(user, path="/"):
    return {group.key: [link.label for link in group.links] for group in _groups(user, path)}


def test_the_isms_office_has_every_group(isms_office):
    assert _menu(isms_office) == {
        "respond": ["Triage", "Incidents", "Statistics", "Corrective actions", "Vulnerabilities"],
        "decide": ["Decisions waiting", "Roster", "BCP plan"],
        "training": ["Overview", "Coverage", "Exercises"],
        "settings": [
            "People",
            "Departments",
            "Intake",
            "Alert sources",
            "Escalation",
            "Data sets",
            "Emergency kit",
            "API keys",
        ],
    }


def test_a_decision_maker_decides_and_reads_but_configures_nothing(decision_maker):
    menu = _menu(decision_maker)
    assert set(menu) == {"respond", "decide", "training"}
    assert "Triage" not in menu["respond"]


@pytest.mark.parametrize("role", ["PR", "DEPT_MANAGER"])
def test_pr_and_managers_see_only_their_decisions_and_the_roster(organisation, role):
    assert _menu(_holder(organisation, role, "someone")) == {
        "decide": ["Decisions waiting", "Roster", "BCP plan"]
    }


def test_legal_also_has_its_inbox_and_keeps_the_data_sets(organisation):
    assert _menu(_holder(organisation, "LEGAL_PRIVACY", "someone")) == {
        "decide": ["Decisions waiting", "Legal and privacy", "Roster", "BCP plan"],
        "settings": ["Data sets"],
    }


def test_a_worker_without_a_role_has_no_menu_groups(reporter):
    assert _menu(reporter) == {}


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/triage/", "Triage"),
        ("/triage/12/", "Triage"),
        ("/dashboard/decisions/", "Incidents"),
        ("/incidents/INC-2026-0001/", "Incidents"),
        ("/decisions/3/", "Decisions waiting"),
        ("/training/", "Overview"),
        ("/training/people/", "Overview"),
        ("/training/coverage/", "Coverage"),
        ("/intake/settings/", "Intake"),
        ("/accounts/users/", "People"),
        ("/", None),
    ],
)
def test_exactly_the_link_of_the_current_section_is_marked(isms_office, path, current):
    links = [link for group in _groups(isms_office, path) for link in group.links]
    assert [link.label for link in links if link.current] == ([current] if current else [])


def test_the_header_renders_the_groups_a_menu_button_and_one_report_link(client, isms_office):
    client.force_login(isms_office)
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="ja").text
    header = text[text.index('<header class="site-header">') : text.index("</header>")]
    assert re.findall(r'class="nav-group-label" id="nav-\w+">([^<]+)<', header) == [
        "対応",
        "判断",
        "教育・訓練",
        "設定",
    ]
    assert 'aria-controls="site-menu"' in header
    assert header.count('href="/report/"') == 1
    assert "/reports/new/" not in header
    assert 'src="/static/js/menu.js"' in text


def test_the_old_dashboard_nav_links_are_gone_from_a_workers_header(client, reporter):
    client.force_login(reporter)
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="ja").text
    header = text[text.index('<header class="site-header">') : text.index("</header>")]
    assert 'class="nav-group' not in header
    assert 'href="/report/"' in header
