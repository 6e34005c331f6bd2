"""API keys: minted by the ISMS office, stored hashed, shown once, scoped, revocable."""

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiKey, ApiKeyScope, User
from accounts.roles import Role
from common.errors import Forbidden, InvalidInput
from incidents import access
from incidents.services import records
from tests.factories import RoleAssignmentFactory

KEYS_PAGE = "/accounts/api-keys/"
API_INCIDENTS = "/api/v1/incidents/"
KEY_SHAPE = re.compile(r"^ic_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def minted(organisation, isms_office):
    return services.api_key_create(
        organisation=organisation, actor=isms_office, name="Mail gateway", scope=ApiKeyScope.WRITE
    )


def _api(plain: str, keyword: str = "Api-Key") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {plain}")
    return client


# --- Services -----------------------------------------------------------------------------------


def test_a_new_key_is_returned_once_and_only_its_sha256_is_stored(minted):
    key, plain = minted
    assert KEY_SHAPE.match(plain)
    secret = plain.split("_", 2)[2]
    assert key.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = ApiKey.objects.filter(pk=key.pk).values().get()
    assert secret not in str(stored)
    assert plain.startswith(f"ic_{key.prefix}_")


def test_each_key_gets_its_own_service_user_without_roles_or_password(minted, organisation):
    key, _plain = minted
    user = key.service_user
    assert user.organisation == organisation
    assert not user.has_usable_password()
    assert not user.role_assignments.exists()
    assert str(user) == "API: Mail gateway"


@pytest.mark.parametrize("role", ["handler", "reporter", "decision_maker", "outsider"])
def test_only_the_isms_office_mints_keys(request, organisation, role):
    actor = request.getfixturevalue(role)
    with pytest.raises(Forbidden):
        services.api_key_create(
            organisation=organisation, actor=actor, name="x", scope=ApiKeyScope.READ
        )
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize(
    ("name", "scope", "code"), [("x", "ADMIN", "invalid_choice"), ("  ", "READ", "required")]
)
def test_a_key_needs_a_name_and_a_known_scope(organisation, isms_office, name, scope, code):
    with pytest.raises(InvalidInput) as refused:
        services.api_key_create(
            organisation=organisation, actor=isms_office, name=name, scope=scope
        )
    assert refused.value.code == code
    assert not ApiKey.objects.exists()


def test_revoking_is_idempotent_and_deactivates_the_service_user(minted, isms_office):
    key, _plain = minted
    first = services.api_key_revoke(api_key=key, actor=isms_office)
    again = services.api_key_revoke(api_key=key, actor=isms_office)
    assert first.revoked_at == again.revoked_at is not None
    assert not User.objects.get(pk=key.service_user_id).is_active


def test_an_integration_never_mints_keys(minted, organisation):
    key, _plain = minted
    service_user = key.service_user
    service_user.api_key_scope = key.scope
    with pytest.raises(Forbidden):
        services.api_key_create(
            organisation=organisation, actor=service_user, name="y", scope=ApiKeyScope.WRITE
        )


# --- Authentication -----------------------------------------------------------------------------


def test_the_key_authenticates_as_its_service_user(minted, organisation, isms_office):
    key, plain = minted
    incident = records.incident_declare(
        organisation=organisation, actor=isms_office, title="標的型メール", category="OTHER"
    )
    response = _api(plain).get(API_INCIDENTS)
    assert response.status_code == 200
    assert response.wsgi_request.user == key.service_user
    assert [i["ref"] for i in response.json()["results"]] == [incident.ref]


def test_the_header_keyword_is_case_insensitive(minted, db):
    _key, plain = minted
    assert _api(plain, keyword="api-key").get(API_INCIDENTS).status_code == 200


@pytest.mark.parametrize(
    "mangle",
    [
        lambda p: p[:-1] + ("A" if p[-1] != "A" else "B"),  # wrong secret
        lambda p: "ic_000000000000_" + p.split("_", 2)[2],  # unknown prefix
        lambda p: p.split("_", 2)[2],  # no prefix at all
        lambda p: "",  # empty
        lambda p: "ic__",  # empty parts
    ],
)
def test_a_wrong_or_malformed_key_is_401(minted, mangle):
    _key, plain = minted
    response = _api(mangle(plain)).get(API_INCIDENTS)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_api_key"
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_revoked_key_is_401(minted, isms_office):
    key, plain = minted
    services.api_key_revoke(api_key=key, actor=isms_office)
    response = _api(plain).get(API_INCIDENTS)
    assert response.status_code == 401
    assert response.json()["code"] == "api_key_revoked"


def test_an_anonymous_api_request_is_401_with_the_challenge(db):
    response = APIClient().get(API_INCIDENTS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"


def test_last_use_is_recorded_at_most_once_a_minute(minted):
    key, plain = minted
    client = _api(plain)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(API_INCIDENTS)
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        client.get(API_INCIDENTS)
    key.refresh_from_db()
    assert key.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get(API_INCIDENTS)
    key.refresh_from_db()
    assert key.last_used_at == start + timedelta(seconds=61)


def test_a_read_key_reads_but_may_not_write(organisation, isms_office):
    _key, plain = services.api_key_create(
        organisation=organisation, actor=isms_office, name="SIEM", scope=ApiKeyScope.READ
    )
    client = _api(plain)
    assert client.get(API_INCIDENTS).status_code == 200
    response = client.post("/api/v1/reports/", {"subject": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_scopes_grant_what_the_policy_says(minted, organisation, isms_office):
    write_key, _ = minted
    read_key, _ = services.api_key_create(
        organisation=organisation, actor=isms_office, name="SIEM", scope=ApiKeyScope.READ
    )
    for key, edits in ((read_key, False), (write_key, True)):
        user = User.objects.get(pk=key.service_user_id)
        user.api_key_scope = key.scope
        assert access.sees_all_incidents(user)
        assert access.can_edit_incidents(user) is edits
        assert not access.can_triage(user)
        assert not access.can_transition(user)


def test_the_service_user_without_its_key_holds_nothing(minted):
    key, _plain = minted
    user = User.objects.get(pk=key.service_user_id)  # e.g. loaded as a report's reporter
    assert not access.sees_all_incidents(user)


# --- The ISMS office's page ---------------------------------------------------------------------


@pytest.fixture
def office_client(client, isms_office):
    client.force_login(isms_office)
    return client


def test_the_isms_office_lists_the_keys_without_their_secrets(office_client, minted):
    key, plain = minted
    response = office_client.get(KEYS_PAGE)
    assert response.status_code == 200
    assert key.name in response.text
    assert f"ic_{key.prefix}_" in response.text
    assert plain not in response.text
    assert "no-store" in response["Cache-Control"]


def test_the_page_is_in_japanese_by_default(office_client, minted):
    response = office_client.get(KEYS_PAGE)
    assert 'lang="ja"' in response.text
    assert "APIキー" in response.text
    assert "失効" in response.text


@pytest.mark.parametrize(
    "role", ["reporter", "handler", "csirt_lead", "decision_maker", "outsider"]
)
def test_everyone_else_is_forbidden(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(KEYS_PAGE).status_code == 403
    assert client.post(KEYS_PAGE, {"name": "x", "scope": "WRITE"}).status_code == 403
    assert not ApiKey.objects.exists()


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(KEYS_PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_creating_a_key_shows_it_once(office_client, organisation):
    response = office_client.post(KEYS_PAGE, {"name": "EDR", "scope": "READ"})
    assert response.status_code == 200
    plain = re.search(r'value="(ic_[^"]+)"', response.text).group(1)
    assert KEY_SHAPE.match(plain)
    assert "no-store" in response["Cache-Control"]
    key = ApiKey.objects.get(organisation=organisation)
    assert (key.name, key.scope) == ("EDR", "READ")
    assert plain not in office_client.get(KEYS_PAGE).text
    assert _api(plain).get(API_INCIDENTS).status_code == 200


@pytest.mark.parametrize(
    "form", [{"name": "", "scope": "READ"}, {"name": "x", "scope": "ROOT"}, {"name": "x" * 101}]
)
def test_an_invalid_form_creates_nothing(office_client, form):
    response = office_client.post(KEYS_PAGE, form)
    assert response.status_code == 200
    assert 'class="errorlist' in response.text
    assert not ApiKey.objects.exists()


def test_the_name_is_shown_escaped(office_client):
    office_client.post(KEYS_PAGE, {"name": "<script>alert(1)</script>", "scope": "READ"})
    page = office_client.get(KEYS_PAGE).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_revoking_from_the_page_stops_the_key(office_client, minted):
    key, plain = minted
    response = office_client.post(f"{KEYS_PAGE}{key.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == KEYS_PAGE
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert _api(plain).get(API_INCIDENTS).status_code == 401


def test_revoking_needs_a_post(office_client, minted):
    key, _plain = minted
    assert office_client.get(f"{KEYS_PAGE}{key.pk}/revoke/").status_code == 405
    key.refresh_from_db()
    assert key.revoked_at is None


def test_a_key_of_another_organisation_cannot_be_revoked(client, minted, outsider):
    RoleAssignmentFactory(organisation=outsider.organisation, user=outsider, role=Role.ISMS_OFFICE)
    client.force_login(outsider)
    key, _plain = minted
    assert client.post(f"{KEYS_PAGE}{key.pk}/revoke/").status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


def test_the_pages_carry_no_inline_script_or_style(office_client, minted):
    for response in (
        office_client.get(KEYS_PAGE),
        office_client.post(KEYS_PAGE, {"name": "x", "scope": "READ"}),
    ):
        assert "<script>" not in response.text
        assert "style=" not in response.text
        assert "<style" not in response.text


def test_the_profile_links_to_the_keys_for_the_isms_office_only(client, isms_office, handler):
    client.force_login(isms_office)
    assert KEYS_PAGE in client.get("/accounts/profile/").text
    client.force_login(handler)
    assert KEYS_PAGE not in client.get("/accounts/profile/").text
