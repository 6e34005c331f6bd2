"""/api/v1/incidents/: filters, ordering whitelist, keyset pages, PATCH, commands, query counts."""

import itertools

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import Incident, TimelineEntry
from incidents.services import assets, evidence, indicators, mail, records, tasks
from tests.factories import UserFactory
from tests.incidents.api.conftest import API

INCIDENTS = f"{API}/incidents/"


def _declare(organisation, actor, n, **fields):
    return records.incident_declare(
        organisation=organisation,
        actor=actor,
        title=fields.pop("title", f"件名 {n}"),
        category=fields.pop("category", "TARGETED_EMAIL"),
        **fields,
    )


@pytest.fixture
def office(client_for):
    return client_for("isms_office")


# --- Filters and ordering -----------------------------------------------------------------------


def test_the_list_is_newest_first_by_default(office, organisation, isms_office):
    refs = [_declare(organisation, isms_office, n).ref for n in range(3)]
    listed = [i["ref"] for i in office.get(INCIDENTS).json()["results"]]
    assert listed == refs[::-1]


def test_whitelisted_ordering_is_applied(office, organisation, isms_office):
    refs = [_declare(organisation, isms_office, n).ref for n in range(3)]
    listed = office.get(INCIDENTS, {"ordering": "declared_at"}).json()["results"]
    assert [i["ref"] for i in listed] == refs


@pytest.mark.parametrize(
    "ordering", ["title", "-level", "organisation__name", "declared_at,id", "password", "?"]
)
def test_an_ordering_outside_the_whitelist_is_refused(office, ordering, db):
    response = office.get(INCIDENTS, {"ordering": ordering})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_ordering"
    assert body["details"]["field"] == "ordering"
    assert body["details"]["allowed"] == ["-declared_at", "declared_at"]


@pytest.mark.parametrize("path", ["/reports/", "/events/"])
def test_other_lists_also_refuse_unknown_orderings(office, path, db):
    response = office.get(API + path, {"ordering": "reporter_email"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_ordering"


def test_filters_by_status_category_priority_and_level(office, organisation, isms_office):
    phishing = _declare(organisation, isms_office, 1, priority="P1")
    outage = _declare(organisation, isms_office, 2, category="SYSTEM_OUTAGE", priority="P4")
    Incident.objects.filter(pk=outage.pk).update(status="CONTAINING", level=2)

    def refs(**params):
        return [i["ref"] for i in office.get(INCIDENTS, params).json()["results"]]

    assert refs(status="CONTAINING") == [outage.ref]
    assert refs(category="TARGETED_EMAIL") == [phishing.ref]
    assert refs(priority="P1") == [phishing.ref]
    assert refs(level="2") == [outage.ref]


def test_filters_by_declaration_time_range(office, organisation, isms_office):
    with time_machine.travel("2026-03-01T09:00:00+09:00", tick=False):
        march = _declare(organisation, isms_office, 1)
    with time_machine.travel("2026-05-01T09:00:00+09:00", tick=False):
        may = _declare(organisation, isms_office, 2)
    response = office.get(
        INCIDENTS,
        {"declared_after": "2026-04-01T00:00:00+09:00", "declared_before": "2026-06-01T00:00:00Z"},
    )
    assert [i["ref"] for i in response.json()["results"]] == [may.ref]
    assert march.ref not in str(response.json())


def test_text_search_finds_reference_title_and_description(office, organisation, isms_office):
    a = _declare(organisation, isms_office, 1, title="Emotet の感染")
    b = _declare(organisation, isms_office, 2, title="別件", description="emotet らしき添付")
    _declare(organisation, isms_office, 3, title="無関係")

    def refs(q):
        return sorted(i["ref"] for i in office.get(INCIDENTS, {"q": q}).json()["results"])

    assert refs("EMOTET") == sorted([a.ref, b.ref])
    assert refs(a.ref) == [a.ref]


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("status", "ON_FIRE"),
        ("category", "ALIENS"),
        ("priority", "P0"),
        ("level", "4"),
        ("declared_after", "last tuesday"),
    ],
)
def test_an_unknown_filter_value_is_refused_with_its_field(office, param, value, db):
    response = office.get(INCIDENTS, {param: value})
    assert response.status_code == 400
    assert response.json()["details"]["field"] == param


def test_keyset_pages_walk_the_whole_list_without_repeats(office, organisation, isms_office):
    refs = {_declare(organisation, isms_office, n).ref for n in range(7)}
    seen: list[str] = []
    url = f"{INCIDENTS}?page_size=3"
    while url:
        page = office.get(url).json()
        seen += [i["ref"] for i in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(refs)
    assert "cursor=" in office.get(f"{INCIDENTS}?page_size=3").json()["next"]


def test_a_forged_cursor_is_a_client_error(office, db):
    response = office.get(INCIDENTS, {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


# --- Query counts -------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _populate(organisation, actor, handler, n):
    for i in range(n):
        incident = _declare(organisation, actor, i)
        records.incident_assign(
            incident=incident, actor=actor, csirt_lead=handler, handlers=[handler, actor]
        )


@pytest.mark.parametrize("page_size", [50, 200])
def test_the_incident_list_costs_the_same_queries_at_10_and_100_rows(
    office, organisation, isms_office, handler, page_size
):
    url = f"{INCIDENTS}?page_size={page_size}"
    _populate(organisation, isms_office, handler, 10)
    at_10 = _count(office, url)
    _populate(organisation, isms_office, handler, 90)
    assert _count(office, url) == at_10


def test_the_incident_detail_costs_the_same_queries_with_10_and_100_handlers(
    office, organisation, isms_office, handler
):
    incident = _declare(organisation, isms_office, 1)
    people = [UserFactory(organisation=organisation) for _ in range(100)]
    records.incident_assign(incident=incident, actor=isms_office, handlers=people[:10])
    at_10 = _count(office, f"{INCIDENTS}{incident.ref}/")
    records.incident_assign(incident=incident, actor=isms_office, handlers=people)
    assert _count(office, f"{INCIDENTS}{incident.ref}/") == at_10


def _child_adders(incident, actor):
    """One way to add a row of each child list (every one of them also writes the timeline)."""
    serial = itertools.count()

    def asset():
        tag = f"T{next(serial)}"
        found = assets.asset_upsert(organisation_id=incident.organisation_id, asset_tag=tag)
        assets.affected_asset_add(incident=incident, actor=actor, asset=found)

    def indicator():
        value = f"d{next(serial)}.example"
        indicators.indicator_add(incident=incident, actor=actor, kind="DOMAIN", value=value)

    def item():
        upload = SimpleUploadedFile("e", b"e")
        stored = evidence.evidence_upload(incident=incident, actor=actor, upload=upload)
        evidence.custody_record(evidence=stored, actor=actor, action="STORED")

    return {
        "affected-assets": asset,
        "mail-deliveries": lambda: mail.delivery_add(
            incident=incident, actor=actor, recipient=actor
        ),
        "indicators": indicator,
        "tasks": lambda: tasks.task_create(incident=incident, actor=actor, title="t", owner=actor),
        "evidence": item,
        "timeline": indicator,
    }


@pytest.mark.parametrize(
    "child", ["affected-assets", "mail-deliveries", "indicators", "tasks", "evidence", "timeline"]
)
def test_child_lists_cost_the_same_queries_at_3_and_15_rows(
    office, incident, isms_office, child, settings, tmp_path
):
    # A query per row would show as 12 more queries: more rows would prove nothing more.
    settings.MEDIA_ROOT = tmp_path
    add = _child_adders(incident, isms_office)[child]
    url = f"{INCIDENTS}{incident.ref}/{child}/?page_size=200"
    for _ in range(3):
        add()
    at_3 = _count(office, url)
    for _ in range(12):
        add()
    assert _count(office, url) == at_3


# --- PATCH and commands -------------------------------------------------------------------------


def test_patch_changes_descriptive_fields_and_writes_the_timeline(office, incident):
    response = office.patch(
        f"{INCIDENTS}{incident.ref}/",
        {"title": "新しい件名", "tlp": "RED", "information_impact": ["PRIVACY_BREACH"]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["title"] == "新しい件名"
    incident.refresh_from_db()
    assert incident.tlp == "RED"
    assert incident.timeline.filter(kind="incident.updated").exists()


@pytest.mark.parametrize(
    "forged",
    [
        {"status": "CLOSED"},
        {"level": 3},
        {"organisation": 999},
        {"declared_at": "2001-01-01T00:00:00Z"},
        {"ref": "INC-1999-0001"},
        {"title": "ok", "status": "CLOSED"},
    ],
)
def test_patch_refuses_fields_that_change_only_by_command_or_never(office, incident, forged):
    before = Incident.objects.filter(pk=incident.pk).values().get()
    entries = TimelineEntry.objects.count()
    response = office.patch(f"{INCIDENTS}{incident.ref}/", forged, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "field_not_editable"
    assert set(response.json()["details"]["fields"]) == set(forged) - {"title"}
    assert Incident.objects.filter(pk=incident.pk).values().get() == before
    assert TimelineEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("field", "value"),
    [("category", "ALIENS"), ("tlp", "PURPLE"), ("information_impact", ["GOSSIP"])],
)
def test_patch_refuses_unknown_enum_values(office, incident, field, value):
    response = office.patch(f"{INCIDENTS}{incident.ref}/", {field: value}, format="json")
    assert response.status_code == 400
    assert response.json()["details"]["field"].split(".")[0] == field
    assert getattr(Incident.objects.get(pk=incident.pk), field) == getattr(incident, field)


def test_a_transition_moves_the_status(office, incident):
    response = office.post(
        f"{INCIDENTS}{incident.ref}/transition/", {"target": "CONTAINING"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "CONTAINING"
    assert response.json()["allowed_transitions"] == ["ERADICATING"]


def test_a_failed_guard_answers_409_with_the_guard_code(office, organisation, isms_office):
    bare = _declare(organisation, isms_office, 1)
    response = office.post(
        f"{INCIDENTS}{bare.ref}/transition/", {"target": "CONTAINING"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "G-CONTAINMENT-STARTED"
    assert Incident.objects.get(pk=bare.pk).status == "DECLARED"


def test_a_jump_outside_the_lifecycle_is_refused(office, incident):
    response = office.post(
        f"{INCIDENTS}{incident.ref}/transition/", {"target": "CLOSED"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert response.json()["details"]["allowed"] == ["CONTAINING"]
    assert Incident.objects.get(pk=incident.pk).status == "DECLARED"


def test_an_unknown_target_is_invalid_input(office, incident):
    response = office.post(
        f"{INCIDENTS}{incident.ref}/transition/", {"target": "PANIC"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_choice"
    assert response.json()["details"]["field"] == "target"


def test_assign_sets_lead_and_handlers(office, incident, handler, csirt_lead):
    response = office.post(
        f"{INCIDENTS}{incident.ref}/assign/",
        {"csirt_lead": csirt_lead.pk, "handlers": [handler.pk]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["csirt_lead"]["id"] == csirt_lead.pk
    assert [h["id"] for h in response.json()["handlers"]] == [handler.pk]


def test_assign_refuses_people_of_another_organisation(office, incident, outsider):
    response = office.post(
        f"{INCIDENTS}{incident.ref}/assign/", {"handlers": [outsider.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["details"]["field"] == "handlers"
    assert not incident.handlers.exists()
