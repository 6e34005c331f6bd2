"""The OpenAPI schema builds without warnings, is valid OpenAPI 3, and the docs UI renders."""

import json

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_schema_builds_without_warnings_or_errors(tmp_path):
    # --fail-on-warn turns every drf-spectacular warning (unresolvable types, name clashes,
    # untyped path parameters) into a failure.
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_the_served_schema_is_valid_openapi(client, reporter):
    client.force_login(reporter)
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate(schema)
    paths = schema["paths"]
    for path in (
        "/api/v1/reports/",
        "/api/v1/events/{id}/promote/",
        "/api/v1/incidents/{ref}/transition/",
        "/api/v1/incidents/{incident_ref}/evidence/{id}/download/",
        "/api/v1/incidents/{incident_ref}/timeline/verify/",
    ):
        assert path in paths
    assert "put" not in paths["/api/v1/incidents/{ref}/"]
    assert "ApiKeyAuth" in schema["components"]["securitySchemes"]


def test_the_docs_page_and_its_script_render_from_local_files(client, reporter):
    client.force_login(reporter)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert b"swagger-ui" in page.content
    assert b"<script>" not in page.content  # the split view keeps the strict CSP intact
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert b"/api/schema/" in script.content


# --- Issue 12, item 7: the schema and the docs are for signed-in people and integrations -------


@pytest.mark.parametrize("path", ["/api/schema/", "/api/schema/?format=json", "/api/docs/"])
def test_an_anonymous_client_gets_no_schema_or_docs(client, path):
    response = client.get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert b"openapi" not in response.content


def test_an_anonymous_browser_is_sent_to_sign_in_for_the_docs(client):
    response = client.get("/api/docs/", HTTP_ACCEPT="text/html")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/api/docs/")


def test_an_api_key_reads_the_schema(client, organisation, isms_office):
    from accounts import services as account_services
    from accounts.models import ApiKeyScope

    _key, plain = account_services.api_key_create(
        organisation=organisation, actor=isms_office, name="CI", scope=ApiKeyScope.READ
    )
    response = client.get("/api/schema/", {"format": "json"}, HTTP_AUTHORIZATION=f"Api-Key {plain}")
    assert response.status_code == 200
    assert "openapi" in json.loads(response.content)


def test_a_revoked_key_reads_no_schema(client, organisation, isms_office):
    from accounts import services as account_services
    from accounts.models import ApiKeyScope

    key, plain = account_services.api_key_create(
        organisation=organisation, actor=isms_office, name="CI", scope=ApiKeyScope.READ
    )
    account_services.api_key_revoke(api_key=key, actor=isms_office)
    response = client.get("/api/schema/", HTTP_AUTHORIZATION=f"Api-Key {plain}")
    assert response.status_code == 401
