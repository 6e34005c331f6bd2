"""Scenario files: YAML (JSON still accepted), checked against the published JSON Schema, with
each problem naming its line."""

import json

import jsonschema
import pytest
from django.utils import translation
from rest_framework.test import APIClient

from training import scenario

GOOD = """\
title: 行番号の確認
assets:
  - {tag: PC-1}
injects:
  - at: "+0:10"
    kind: report
    reporter: A
  - at: "+0:20"
    kind: infection
    asset: PC-1
    state: EATEN
"""


def _problems(text):
    with translation.override("en"), pytest.raises(scenario.ScenarioError) as refused:
        scenario.load_text(text)
    return refused.value.problems


def test_a_yaml_scenario_with_a_wrong_value_names_the_line_it_is_on():
    problems = _problems(GOOD)
    assert problems == ['Line 11: Inject 2: state cannot be "EATEN".']


def test_an_unknown_field_names_the_line_of_the_field():
    text = GOOD.replace("state: EATEN", "state: CONFIRMED\n    colour: red")
    assert _problems(text) == ["Line 12: Inject 2: unknown field colour."]


def test_a_missing_field_names_the_line_of_the_inject():
    text = GOOD.replace("    reporter: A\n", "").replace("EATEN", "CONFIRMED")
    assert _problems(text) == ["Line 5: Inject 1: reporter is required."]


def test_a_yaml_syntax_error_names_its_line():
    text = GOOD.replace("    kind: infection", "    kind: [infection")
    problems = _problems(text)
    assert len(problems) == 1 and problems[0].startswith("Line ")
    assert "Not valid YAML" in problems[0]


def test_time_rules_name_the_inject_s_line():
    text = GOOD.replace(
        "state: EATEN", 'state: CONFIRMED\n    observed: "+0:15"\n    occurred: "+0:18"'
    )
    assert _problems(text) == ["Line 8: Inject 2: occurred cannot be later than observed."]
    text = GOOD.replace("state: EATEN", 'state: CONFIRMED\n    observed: "+0:25"')
    assert _problems(text) == ["Line 8: Inject 2: observed cannot be later than at."]


def test_a_second_incident_must_be_caused_by_one_started_before():
    text = GOOD.replace(
        "    reporter: A\n", "    reporter: A\n    incident: second\n    caused_by: main\n"
    ).replace("state: EATEN", "state: CONFIRMED")
    assert _problems(text) == ["caused_by main names no incident started before."]
    text = GOOD.replace("state: EATEN", "state: CONFIRMED\n    incident: other")
    assert _problems(text) == ["Incident other is used before a report starts it."]


def test_json_is_still_accepted():
    document = scenario.load_text(
        json.dumps(
            {
                "title": "JSON",
                "injects": [{"at": "+0:10", "kind": "report", "reporter": "A"}],
            }
        )
    )
    assert document["injects"][0]["offset_minutes"] == 10


def test_the_published_schema_is_the_one_the_product_checks_and_every_sample_passes_it():
    published = json.loads(scenario.SCHEMA_PATH.read_text(encoding="utf-8"))
    assert published == json.loads(json.dumps(scenario.json_schema()))
    jsonschema.Draft202012Validator.check_schema(published)
    for path in scenario.sample_paths():
        assert path.suffix == ".yaml"
        import yaml

        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), published)
    kinds = set(published["$defs"]["inject"]["properties"]["kind"]["enum"])
    used = {
        inject["kind"] for document in scenario.samples().values() for inject in document["injects"]
    }
    assert used == kinds - {"decision_open", "ratify", "withdraw", "transition", "task"}


def test_the_schema_is_served_to_an_outside_harness(isms_office):
    api = APIClient()
    api.force_authenticate(isms_office)
    response = api.get("/api/v1/exercise-scenarios/schema/")
    assert response.status_code == 200
    assert response.json()["$id"] == "urn:isms-csirt:exercise-scenario:1"
