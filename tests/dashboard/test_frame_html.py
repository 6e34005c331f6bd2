"""The page frame's parts written in Python (issue 20) are what their templates wrote.

``OLD_*`` are the templates as they were (dashboard/partials/nav.html, notifications/partials/
bell.html, guide/help_panel.html), verbatim; each is rendered beside the new code, in Japanese
and English, for several roles, pages and counts.
"""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from dashboard import navigation
from guide.pages import PAGES, help_for
from guide.templatetags import guide_ui
from notifications.templatetags.notifications_ui import notifications_bell
from tests.conftest import _holder

OLD_NAV = '{% load i18n %}{% for group in groups %}<div class="nav-group nav-{{ group.key }}">\n  <span class="nav-group-label" id="nav-{{ group.key }}">{{ group.label }}</span>\n  <ul aria-labelledby="nav-{{ group.key }}">{% for link in group.links %}<li><a href="{{ link.url }}"{% if link.current %} aria-current="page"{% endif %}>{{ link.label }}</a></li>{% endfor %}</ul>\n</div>{% endfor %}\n'  # noqa: E501

OLD_BELL = '{% load i18n %}{% if show %}<a href="{% url \'notifications:list\' %}" class="bell{% if count %} bell-due{% endif %}" aria-label="{% blocktranslate count counter=count %}Alerts: {{ counter }} waiting for acknowledgement{% plural %}Alerts: {{ counter }} waiting for acknowledgement{% endblocktranslate %}">{% translate "Alerts" %}{% if count %} <span class="badge">{{ count }}</span>{% endif %}</a>{% endif %}\n'  # noqa: E501

OLD_HELP = '{% load i18n %}{% if help %}<details class="help-panel">\n  <summary>{% translate "About this page" %}</summary>\n  <p>{{ help.purpose }}</p>\n  <p class="help-next">{% translate "What to do next:" %}</p>\n  <ul>{% for step in help.next_steps %}<li>{{ step }}</li>{% endfor %}</ul>\n  <p><a href="{% url \'help:page\' help.guide %}">{% translate "Read the guide" %}</a> · <a href="{% url \'help:index\' %}">{% translate "All guides" %}</a></p>\n</details>{% endif %}\n'  # noqa: E501

LANGUAGES = pytest.mark.parametrize("language", ["ja", "en"])
PATHS = ["/", "/triage/", "/dashboard/incidents/", "/incidents/INC-1/", "/decisions/3/",
         "/training/coverage/", "/accounts/users/", "/help/"]  # fmt: skip


@LANGUAGES
def test_the_menu_is_what_nav_html_wrote(organisation, isms_office, decision_maker, language):
    people = [isms_office, decision_maker, _holder(organisation, "LEGAL_PRIVACY", "legal")]
    people.append(_holder(organisation, "PR", "pr"))
    with translation.override(language):
        for user in people:
            for path in PATHS:
                old = Template(OLD_NAV).render(Context({"groups": navigation.menu_for(user, path)}))
                assert navigation.menu_html(user, path) == old, (user, path)
                assert navigation.menu_html(user, path) == old  # the kept HTML too


def test_the_kept_menu_follows_the_language_and_the_section(isms_office):
    with translation.override("ja"):
        japanese = navigation.menu_html(isms_office, "/triage/")
    with translation.override("en"):
        english = navigation.menu_html(isms_office, "/triage/")
        elsewhere = navigation.menu_html(isms_office, "/training/")
    assert "対応" in japanese and "Response" in english
    assert english.count('aria-current="page"') == elsewhere.count('aria-current="page"') == 1
    assert '<a href="/triage/" aria-current="page">' in english
    assert '<a href="/triage/" aria-current="page">' not in elsewhere


@LANGUAGES
@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_bell_is_what_bell_html_wrote(isms_office, language, count):
    isms_office._bell = count
    with translation.override(language):
        old = Template(OLD_BELL).render(Context({"show": True, "count": count}))
        assert notifications_bell(Context({"user": isms_office})) == old
        assert Template(OLD_BELL).render(Context({"show": False, "count": 0})) == "\n"


@LANGUAGES
@pytest.mark.parametrize("view_name", [*sorted(PAGES)[:6], "dashboard:index", None, "nope"])
def test_the_help_panel_is_what_help_panel_html_wrote(db, language, view_name):
    with translation.override(language):
        old = Template(OLD_HELP).render(Context({"help": help_for(view_name)}))
        assert guide_ui.render(help_for(view_name)) == old
