"""Issue 12, item 6: the whole API, fuzzed from its own OpenAPI schema by schemathesis.

Every operation of the schema gets generated requests — valid ones and invalid ones — as an
integration with a write key and as the ISMS office with a session, in-process (WSGI) against
a populated organisation. A response fails the run if it is a 5xx, has a status code or content
type the schema does not document for the operation, or a body that does not match the
documented schema. The run is deterministic (derandomized, no example database) and bounded
(``API_FUZZ_EXAMPLES`` generated requests per operation, mode and caller; a few minutes on two
cores).
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts import services as account_services
from accounts.models import ApiKeyScope
from bcp.services import decisions
from incidents.services import evidence, tasks
from tests.incidents.conftest import file_report, incident  # noqa: F401

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "3"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CSRF = "fuzzcsrftokenfuzzcsrftokenfuzzcs"  # 32 characters: a token Django accepts


def _schema() -> Any:
    document = SchemaGenerator().get_schema(request=None, public=True)
    raw = json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    return loaded


SCHEMA = _schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture
def world(incident, isms_office, handler, decision_maker, tmp_path, settings):  # noqa: F811
    """Something real behind the paths: an incident with a task, evidence and a decision."""
    settings.MEDIA_ROOT = str(tmp_path)
    tasks.task_create(incident=incident, actor=handler, title="端末を隔離する")
    upload = SimpleUploadedFile("mail.eml", b"From: a@evil.example\r\n\r\nhi", "message/rfc822")
    evidence.evidence_upload(incident=incident, actor=handler, upload=upload)
    decisions.decision_open(incident=incident, decision_type="ESTABLISH_IRT")
    return incident


@pytest.fixture
def in_process():
    """Requests share the test's database connection and transaction, as with Django's test
    client: the handler must not close the connection when a request ends."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def as_key(organisation, isms_office):
    _key, plain = account_services.api_key_create(
        organisation=organisation, actor=isms_office, name="Fuzzer", scope=ApiKeyScope.WRITE
    )
    return {"headers": {"Authorization": f"Api-Key {plain}"}, "cookies": {}}


@pytest.fixture
def as_office(isms_office):
    client = Client()
    client.force_login(isms_office)
    return {
        "headers": {"X-CSRFToken": CSRF},
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF},
    }


def _fuzz(operation: Any, caller: dict[str, Any], mode: GenerationMode, real: dict) -> None:
    names = {p.name for p in operation.path_parameters}
    strategy = operation.as_strategy(
        generation_mode=mode,
        path_parameters={k: v for k, v in real.items() if k in names} or None,
        headers=caller["headers"],
        cookies=caller["cookies"],
    )

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    run()


@pytest.mark.parametrize("caller", ["as_key", "as_office"])
def test_every_operation_answers_what_the_schema_documents(request, world, in_process, caller):
    who = request.getfixturevalue(caller)
    real = {"ref": world.ref, "incident_ref": world.ref}
    # The caller is signed in: a fuzz run of 401s would prove nothing.
    listing = SCHEMA["/api/v1/incidents/"]["GET"].Case().call(**who)
    assert listing.status_code == 200
    assert world.ref in listing.text
    # … and may change things (the session's CSRF token is accepted).
    filed = SCHEMA["/api/v1/reports/"]["POST"].Case(
        body={"description": "fuzz"}, media_type="application/json"
    )
    assert filed.call(**who).status_code == 201
    failures = []
    for operation in OPERATIONS:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(operation, who, mode, real)
            except Unsatisfiable:  # nothing in the operation can be made invalid
                continue
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # every operation is tried, every failure reported
                failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:1500]}")
    assert not failures, f"{len(failures)} failing:\n\n" + "\n\n".join(failures)
