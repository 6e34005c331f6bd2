"""Issue 12, item 4: input the server cannot use is a 4xx with a code, never a 500.

A duplicate checklist code (a unique constraint the serializer did not know), a time zone
offset PostgreSQL refuses (``+16:10``), and JSON nested 100 000 deep each answered 500.
"""

import importlib
import pkgutil
from datetime import UTC, datetime

import django_filters
import pytest
from django import forms
from rest_framework import serializers
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import ApiKeyScope
from common.timestamps import MAX_OFFSET
from risklevels.models import ChecklistTemplate
from tests.test_input_bounds import APPS, INPUT_CLASSES, _fields, _name

TEMPLATES = "/api/v1/checklist-templates/"
FAR_OFFSET = "2026-01-01T00:00:00+16:10"


@pytest.fixture
def office_api(isms_office):
    client = APIClient()
    client.force_login(isms_office)
    return client


@pytest.fixture
def key_api(organisation, isms_office):
    _key, plain = account_services.api_key_create(
        organisation=organisation, actor=isms_office, name="SIEM", scope=ApiKeyScope.WRITE
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plain}")
    return client


# --- A duplicate checklist code ---------------------------------------------------------------


def _template(**overrides):
    return {
        "track": "MAIL",
        "level": 1,
        "code": "X-1",
        "title_ja": "確認する",
        "title_en": "Check",
        **overrides,
    }


def test_creating_a_checklist_item_with_an_existing_code_is_a_409(office_api):
    assert office_api.post(TEMPLATES, _template(), format="json").status_code == 201
    response = office_api.post(TEMPLATES, _template(title_en="Again"), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "checklist_code_exists"
    assert response.json()["details"] == {"track": "MAIL", "code": "X-1"}
    assert ChecklistTemplate.objects.filter(code="X-1").count() == 1


def test_renaming_a_checklist_item_to_an_existing_code_is_a_409(office_api):
    office_api.post(TEMPLATES, _template(), format="json")
    other = office_api.post(TEMPLATES, _template(code="X-2"), format="json").json()
    response = office_api.patch(f"{TEMPLATES}{other['id']}/", {"code": "X-1"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "checklist_code_exists"
    assert ChecklistTemplate.objects.get(pk=other["id"]).code == "X-2"


def test_the_same_code_on_another_track_is_allowed(office_api):
    office_api.post(TEMPLATES, _template(), format="json")
    response = office_api.post(TEMPLATES, _template(track="GENERIC"), format="json")
    assert response.status_code == 201


def test_the_settings_page_says_the_code_exists(client, isms_office):
    client.force_login(isms_office)
    fields = {f"new-{k}": v for k, v in _template(order=0, active="on").items()}
    client.post("/escalation/checklists/new/", fields)
    response = client.post("/escalation/checklists/new/?lang=en", fields, follow=True)
    assert response.status_code == 200
    assert "already has an item with the code X-1" in response.text
    assert ChecklistTemplate.objects.filter(code="X-1").count() == 1


# --- Time zone offsets PostgreSQL cannot store -------------------------------------------------

DATETIME_FILTERS = [
    ("/api/v1/reports/", "received_after"),
    ("/api/v1/reports/", "received_before"),
    ("/api/v1/events/", "received_after"),
    ("/api/v1/events/", "received_before"),
    ("/api/v1/incidents/", "declared_after"),
    ("/api/v1/incidents/", "declared_before"),
    ("/api/v1/absences/", "active_at"),
    ("/api/v1/delegations/", "active_at"),
]


@pytest.mark.parametrize(("path", "name"), DATETIME_FILTERS)
@pytest.mark.parametrize(
    "value",
    [
        FAR_OFFSET,
        "2026-01-01T00:00:00-16:00",
        "9999-12-31T23:59:59-10:00",
        "0001-01-01T01:00:00+10:00",
    ],
)
def test_a_time_filter_with_an_impossible_offset_is_a_400(office_api, path, name, value):
    response = office_api.get(path, {name: value})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["details"]["field"] == name


@pytest.mark.parametrize(("path", "name"), DATETIME_FILTERS)
def test_a_time_filter_with_a_real_offset_works(office_api, path, name):
    assert office_api.get(path, {name: "2026-01-01T00:00:00+14:00"}).status_code == 200


def _filtersets() -> list[type]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)
    found, stack = set(), [django_filters.FilterSet]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.split(".")[0] in APPS:
                found.add(sub)
    return sorted(found, key=_name)


def test_every_time_filter_of_the_api_is_in_the_table_above():
    time_filters = {
        (cls.__name__, name)
        for cls in _filtersets()
        for name, f in cls.base_filters.items()
        if isinstance(f, django_filters.DateTimeFilter | django_filters.DateFilter)
    }
    covered = {name for _path, name in DATETIME_FILTERS}
    assert {name for _cls, name in time_filters} <= covered, time_filters


@pytest.mark.parametrize("cls", _filtersets(), ids=_name)
def test_every_time_filter_refuses_an_offset_the_database_cannot_store(cls):
    for name, f in cls.base_filters.items():
        if not isinstance(f, django_filters.DateTimeFilter):
            continue
        try:
            f.field.clean(FAR_OFFSET)
        except forms.ValidationError:
            continue
        pytest.fail(f"{_name(cls)}.{name} accepted {FAR_OFFSET}")


def _time_fields(cls: type) -> list[tuple[str, object]]:
    kinds = (serializers.DateTimeField, forms.DateTimeField)
    return [(n, f) for n, f in _fields(cls).items() if isinstance(f, kinds)]


@pytest.mark.parametrize("cls", [c for c in INPUT_CLASSES if _time_fields(c)], ids=_name)
def test_every_time_field_stores_only_offsets_the_database_holds(cls):
    """Each form and serializer time field either refuses +16:10 or moves it into range."""
    for name, field in _time_fields(cls):
        clean = field.run_validation if isinstance(field, serializers.Field) else field.clean
        try:
            value = clean(FAR_OFFSET)
        except (serializers.ValidationError, forms.ValidationError):
            continue
        assert abs(value.utcoffset()) <= MAX_OFFSET, f"{_name(cls)}.{name}: {value.isoformat()}"
        assert value == datetime(2025, 12, 31, 7, 50, tzinfo=UTC), name


# --- JSON nested too deep ---------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_json_nested_too_deep_is_a_parse_error(key_api, depth, opener):
    closer = "]" if opener == "[" else "}"
    body = opener * depth + "1" + closer * depth
    response = key_api.post("/api/v1/reports/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_json_of_ordinary_depth_is_read(key_api):
    body = '{"channel": "API", "reporter_email": "a@example.com", "description": "[[[[1]]]]"}'
    response = key_api.post("/api/v1/reports/", body, content_type="application/json")
    assert response.status_code == 201


def test_every_api_view_reads_json_with_the_bounded_parser():
    from django.urls import get_resolver

    from common.parsers import JSONParser

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            else:
                yield pattern.callback

    unbounded = set()
    for callback in views(get_resolver().url_patterns):
        cls = getattr(callback, "cls", None)
        if cls is None:
            continue
        actions = [getattr(cls, name, None) for name in getattr(callback, "actions", {}).values()]
        kwargs = [getattr(a, "kwargs", {}) for a in actions if a is not None]
        for parsers in [
            cls.parser_classes,
            *(k["parser_classes"] for k in kwargs if "parser_classes" in k),
        ]:
            for parser in parsers:
                if parser.media_type == "application/json" and not issubclass(parser, JSONParser):
                    unbounded.add(cls.__name__)
    assert not unbounded
