"""The lists' rows built in Python (dashboard.list_rows) are what the templates' row loops wrote.

Each ``OLD_*`` below is the ``<tbody>`` loop of templates/dashboard/lists/<list>.html as it was
before issue 20 moved the rows to Python, verbatim. Every list is requested with rows of every
column variant (user text with < & " ', empty values, each state), in Japanese and English,
and the page's ``<tbody>`` must equal the old loop rendered over the same rows.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from bcp.models import Decision
from dashboard import list_rows
from incidents.models import Report, Task
from notifications.models import Alert
from tests.conftest import _holder

OLD_INCIDENTS = """{% for incident in page.rows %}<tr>
    <td><a href="{% url 'incidents:incident_detail' incident.ref %}">{{ incident.ref }}</a></td>
    <td>{{ incident.title }}{% if incident.is_exercise %} <span class="badge exercise">{% translate "exercise" %}</span>{% endif %} <span class="badge tlp tlp-{{ incident.tlp|lower }}">{{ incident.get_tlp_display }}</span>{% if incident.waiting_decision %} <span class="badge warn">⚠ {% translate "waiting on a decision" %}</span>{% endif %}</td>
    <td><span class="badge level-{{ incident.level }}">{% blocktranslate with n=incident.level %}Level {{ n }}{% endblocktranslate %}</span>{% if incident.recommended_level > incident.level %} <span class="badge recommended">⚠ {% blocktranslate with n=incident.recommended_level %}Level {{ n }} recommended{% endblocktranslate %}</span>{% endif %}</td>
    <td>{{ incident.get_status_display }}</td>
    <td><span class="badge priority-{{ incident.priority }}">{{ incident.get_priority_display }}</span></td>
    <td>{{ incident.get_category_display }}</td>
    <td class="num">{{ incident.infected_effective_count }} / {{ incident.isolated_count }}</td>
    <td class="num">{{ incident.mail_delivered_count }} / {{ incident.mail_reported_count }} / {{ incident.mail_executed_count }}</td>
    <td>{{ incident.owner|default:"—" }}</td>
    <td>{{ incident.declared_at|date:"SHORT_DATETIME_FORMAT" }}</td>
  </tr>{% endfor %}"""  # noqa: E501

OLD_REPORTS = """{% for report in page.rows %}<tr>
    <td><a href="{% url 'incidents:report_detail' report.pk %}">{{ report.number }}</a></td>
    <td>{{ report.received_at|date:"SHORT_DATETIME_FORMAT" }}</td>
    <td>{{ report.reporter|default:report.reporter_name|default:report.reporter_email|default:"—" }}</td>
    <td>{{ report.get_channel_display }}</td>
    <td class="wrap">{{ report.subject|default:"—"|truncatechars:80 }}{% if report.sender %}<br><span class="muted">{{ report.sender|truncatechars:60 }}</span>{% endif %}</td>
    <td>{% if report.incident %}<a href="{% url 'incidents:incident_detail' report.incident.ref %}">{{ report.incident.ref }}</a>{% elif report.event %}{% if report.event.status == "RECEIVED" %}<span class="badge warn">{{ report.event.get_status_display }}</span>{% else %}{{ report.event.get_status_display }}{% endif %}{% else %}—{% endif %}</td>
  </tr>{% endfor %}"""  # noqa: E501

OLD_DECISIONS = """{% for decision in page.rows %}<tr>
    <td><a href="{% url 'bcp:decision_detail' decision.pk %}">{{ decision.get_type_display }}</a></td>
    <td><a href="{% url 'incidents:incident_detail' decision.incident.ref %}">{{ decision.incident.ref }}</a></td>
    <td>{{ decision.get_status_display }}{% if decision.outcome %}{% translate ":" %}{{ decision.get_outcome_display }}{% endif %}</td>
    <td>{% if decision.status == "OPEN" %}{% include "dashboard/partials/assignee.html" %}{% else %}{{ decision.decided_by|default:"—" }}{% endif %}</td>
    <td>{% if decision.status == "OPEN" %}{% countdown decision.due_at now %}{% else %}{{ decision.decided_at|date:"SHORT_DATETIME_FORMAT"|default:"—" }}{% endif %}</td>
    <td>{{ decision.opened_at|date:"SHORT_DATETIME_FORMAT" }}</td>
  </tr>{% endfor %}"""  # noqa: E501

OLD_TASKS = """{% for task in page.rows %}<tr>
    <td><a href="{% url 'incidents:incident_detail' task.incident.ref %}#tasks">{{ task }}</a></td>
    <td>{{ task.incident.ref }}</td>
    <td>{% if task.level %}<span class="badge level-{{ task.level }}">{% blocktranslate with n=task.level %}Level {{ n }}{% endblocktranslate %}</span>{% else %}—{% endif %}</td>
    <td>{{ task.owner|default:task.get_owner_role_display|default:"—" }}</td>
    <td>{% if task.status == "OPEN" %}{% countdown task.due_at now %}{% else %}{{ task.due_at|date:"SHORT_DATETIME_FORMAT"|default:"—" }}{% endif %}</td>
    <td>{{ task.get_status_display }}</td>
  </tr>{% endfor %}"""  # noqa: E501

OLD_ALERTS = """{% for alert in page.rows %}<tr>
    <td>{{ alert.event_label }}</td>
    <td>{% if alert.incident %}<a href="{% url 'incidents:incident_detail' alert.incident.ref %}">{{ alert.incident.ref }}</a>{% else %}—{% endif %}</td>
    <td>{{ alert.created_at|date:"SHORT_DATETIME_FORMAT" }}</td>
    <td>{% if alert.acknowledged_at %}✓ {% blocktranslate with name=alert.acknowledged_by when=alert.acknowledged_at|date:"SHORT_DATETIME_FORMAT" %}Acknowledged by {{ name }} at {{ when }}{% endblocktranslate %}{% elif alert.resolved_at %}{% translate "No longer needed" %}{% elif alert.exhausted_at %}<span class="badge overdue">⚠ {% translate "Unacknowledged at the end of the chain" %}</span>{% elif alert.needs_ack %}<span class="badge warn">{% blocktranslate with when=alert.ack_due_at|date:"SHORT_DATETIME_FORMAT" %}Acknowledge by {{ when }}{% endblocktranslate %}</span>{% else %}{% translate "For information" %}{% endif %}</td>
    <td>{{ alert.last_holder|default:"—" }}{% if alert.escalation_step %} ({% blocktranslate with step=alert.escalation_step %}reminder {{ step }}{% endblocktranslate %}){% endif %}</td>
  </tr>{% endfor %}"""  # noqa: E501

EVIL = "<b>A & B</b> \"quoted\" 'single'"


def _old(loop: str, response, language: str) -> str:
    template = Template("{% load i18n bcp_ui %}" + loop)
    context = {"page": response.context["page"], "now": response.context["now"]}
    zone = zoneinfo.ZoneInfo(response.wsgi_request.user.organisation.time_zone)
    with translation.override(language), timezone.override(zone):
        return template.render(Context(context))


def _tbody(response) -> str:
    return re.search(r"<tbody>(.*?)</tbody>", response.text, re.S).group(1)


def _compare(client, path: str, loop: str, language: str, at_least: int) -> None:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert len(response.context["page"].rows) >= at_least
    assert _tbody(response) == _old(loop, response, language)


@pytest.fixture
def office_client(as_user, isms_office, organisation):
    organisation.time_zone = "Asia/Tokyo"
    organisation.save(update_fields=["time_zone"])
    return as_user(isms_office)


LANGUAGES = pytest.mark.parametrize("language", ["ja", "en"])


@LANGUAGES
def test_incident_rows(office_client, seed, handler, decision_maker, language):
    plain = seed.incidents(1, title=EVIL, owner=handler, tlp="RED", priority="P1")
    seed.incidents(1, level=1, recommended_level=3, category="RANSOMWARE", status="CONTAINING")
    waiting = seed.incidents(1, title="")
    seed.decisions(waiting, assignee=decision_maker)
    seed.infected(plain[0], 3, observed=timezone.now(), isolated=timezone.now())
    _compare(office_client, "/dashboard/incidents/", OLD_INCIDENTS, language, 3)
    drill = seed.incidents(2, is_exercise=True, title="訓練 <x>")
    _compare(office_client, "/dashboard/incidents/?exercise=exercise", OLD_INCIDENTS, language, 2)
    assert drill


@LANGUAGES
def test_report_rows(office_client, seed, reporter, incident, language):
    def one(status="RECEIVED", **fields):
        (report,) = seed.reports(1, status=status)
        Report.objects.filter(pk=report.pk).update(**fields)

    one(reporter=reporter)
    one("NOT_INCIDENT", reporter_name=EVIL, subject="", sender="")
    one(reporter_email="a&b@example.jp", subject="件名" * 60, sender="x" * 70 + "<")
    one(incident=incident, subject=EVIL, sender=EVIL)
    one(event=None)
    _compare(office_client, "/dashboard/reports/", OLD_REPORTS, language, 5)


@LANGUAGES
def test_decision_rows(office_client, seed, organisation, decision_maker, deputy, language):
    incidents = seed.incidents(6, title=EVIL)
    seed.decisions(incidents[:1], assignee=decision_maker)
    seed.decisions(incidents[1:2], assignee=deputy, rank=2)
    seed.decisions(incidents[2:3], due_at=timezone.now() - timedelta(hours=2, minutes=3))
    seed.decisions(incidents[3:4], due_at=None)
    now = timezone.now()
    seed.decisions(
        incidents[4:5], status="DECIDED", outcome="APPROVED", rationale="ok",
        decided_by=decision_maker,
        decided_at=now,
    )  # fmt: skip
    seed.decisions(incidents[5:6], status="CANCELLED", decided_at=None)
    delegated = _holder(organisation, "DECISION_MAKER", "delegate", priority=3)
    delegated.display_name = EVIL
    delegated.save(update_fields=["display_name"])
    (one,) = seed.decisions(seed.incidents(1), assignee=delegated)
    one.assignments.update(reason="DELEGATED")
    _compare(office_client, "/dashboard/decisions/", OLD_DECISIONS, language, 7)
    assert Decision.objects.count() == 7


@LANGUAGES
def test_task_rows(office_client, seed, handler, language):
    (on,) = seed.incidents(1, title=EVIL)
    seed.tasks(on, 2, due_in=timedelta(minutes=30), owner=handler)
    (late,) = seed.tasks(on, 1, due_in=timedelta(minutes=-90), owner_role="CSIRT_LEAD")
    (bare,) = seed.tasks(on, 1, due_in=timedelta(minutes=5))
    seed.tasks(on, 1, due_in=timedelta(days=3), status="DONE")
    Task.objects.filter(pk=late.pk).update(title=EVIL)
    Task.objects.filter(pk=bare.pk).update(level=0, code="")
    _compare(office_client, "/dashboard/tasks/", OLD_TASKS, language, 4)
    _compare(office_client, "/dashboard/tasks/?status=DONE", OLD_TASKS, language, 1)
    _compare(office_client, "/dashboard/tasks/?status=overdue", OLD_TASKS, language, 1)


@LANGUAGES
def test_task_rows_without_a_due_time(office_client, seed, language):
    (on,) = seed.incidents(1)
    (task,) = seed.tasks(on, 1, due_in=timedelta(0))
    task.due_at = None
    task.save(update_fields=["due_at"])
    _compare(office_client, "/dashboard/tasks/", OLD_TASKS, language, 1)


@LANGUAGES
def test_alert_rows(office_client, seed, isms_office, handler, language):
    (on,) = seed.incidents(1)
    now = timezone.now()
    seed.alerts(1, on=on)
    seed.alerts(1, flagged=True, on=on)
    acknowledged, resolved, info, stepped = seed.alerts(4, on=on)
    Alert.objects.filter(pk=acknowledged.pk).update(acknowledged_at=now, acknowledged_by=handler)
    Alert.objects.filter(pk=resolved.pk).update(resolved_at=now)
    Alert.objects.filter(pk=info.pk).update(needs_ack=False, ack_due_at=None, incident=None)
    Alert.objects.filter(pk=stepped.pk).update(escalation_step=2, last_holder=isms_office)
    handler.display_name = EVIL
    handler.save(update_fields=["display_name"])
    _compare(office_client, "/dashboard/alerts/", OLD_ALERTS, language, 6)


def test_a_ref_that_needs_quoting_is_reversed(db):
    assert list_rows.url("incidents:incident_detail", "INC-2026-00001") == (
        "/incidents/INC-2026-00001/"
    )
    assert list_rows.url("incidents:incident_detail", "a b?") == "/incidents/a%20b%3F/"
    assert list_rows.url("incidents:report_detail", 12) == "/reports/12/"


# --- The filter forms ---------------------------------------------------------------------------

OLD_FILTER_FIELD = """<div class="filter-field{% if field.widget_type == 'checkbox' %} is-check{% endif %}">{% if field.widget_type == 'checkbox' %}{{ field }}{{ field.label_tag }}{% else %}{{ field.label_tag }}{{ field }}{% endif %}</div>
"""  # noqa: E501


def _django_form(form_class, data, user):
    """The form as Django writes it: its own widget classes and bound fields."""
    from django import forms as django_forms

    from dashboard import forms

    form = form_class(data, user=user)
    form.bound_field_class = django_forms.BoundField
    back = {quick: django for django, quick in forms.QUICK.items()}
    for field in form.fields.values():
        field.widget.__class__ = back.get(type(field.widget), type(field.widget))
    return form


FILTER_DATA = [
    {},
    {"status": "open", "level": "2", "category": "RANSOMWARE", "state": "waiting"},
    {"q": EVIL, "waiting": "on", "overdue": "on", "mine": "on", "declared_from": "2026-01-31"},
    {"declared_to": "not a date", "infected": "5", "tlp": "RED", "exercise": "exercise"},
]


@LANGUAGES
@pytest.mark.parametrize("data", FILTER_DATA)
def test_the_filter_forms_are_written_as_django_writes_them(isms_office, handler, language, data):
    from dashboard import forms

    loop = Template("{% for field in fields %}" + OLD_FILTER_FIELD + "{% endfor %}")
    classes = [forms.IncidentFilterForm, forms.ReportFilterForm, forms.DecisionFilterForm]
    classes += [forms.TaskFilterForm, forms.AlertFilterForm]
    if "q" in data:  # a person chosen in the assignee select (a ModelChoiceField)
        data = {**data, "assignee": str(handler.pk)}
    with translation.override(language):
        for form_class in classes:
            quick, django = (
                form_class(data, user=isms_office),
                _django_form(form_class, data, isms_office),
            )
            quick.is_valid(), django.is_valid()
            for part in ("primary", "more"):
                old = loop.render(Context({"fields": getattr(django, f"{part}_fields")()}))
                assert getattr(quick, f"{part}_html")() == old, (form_class, part)
            assert "<input" in quick.primary_html()
            if "assignee" in data and form_class is forms.IncidentFilterForm:
                assert f'<option value="{handler.pk}" selected>' in quick.more_html()
