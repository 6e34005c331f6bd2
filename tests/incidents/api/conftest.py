"""Clients for every member of the cast, API keys, and a populated incident to aim at."""

from collections.abc import Callable, Iterable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import ApiKeyScope
from incidents.services import evidence, tasks

API = "/api/v1"
ROLES = (
    "reporter",
    "handler",
    "isms_office",
    "csirt_lead",
    "decision_maker",
    "outsider",
    "anonymous",
    "key_read",
    "key_write",
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The cast logs in by session; a million PBKDF2 rounds per person would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def key_client(plain_key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plain_key}")
    return client


ERROR_CODES = {
    401: {"not_authenticated"},
    403: {"permission_denied", "insufficient_scope"},
    404: {"not_found"},
}


def wrong_answers(
    client_for: Callable[[str], APIClient],
    expected: Iterable[tuple[str, int]],
    send: Callable[[APIClient], object],
    codes: dict[int, set[str]] = ERROR_CODES,
) -> list[str]:
    """Each role sends the same request to the same world: every request runs in a savepoint
    rolled back after it, so one world serves all the roles of a matrix row (built once per
    row instead of once per role: CI time). Returns what differs from ``expected`` (status,
    and the machine-readable code of a refusal), one line per role; empty when all match."""
    wrong = []
    for role, status in expected:
        client = client_for(role)
        with transaction.atomic():
            response = send(client)
            transaction.set_rollback(True)
        code = response.json().get("code") if status in codes else None
        if response.status_code != status or (status in codes and code not in codes[status]):
            body = response.content[:200].decode(errors="replace")
            wrong.append(f"{role}: expected {status}, got {response.status_code} {code} {body}")
    return wrong


@pytest.fixture
def read_key(organisation, isms_office):
    return account_services.api_key_create(
        organisation=organisation, actor=isms_office, name="SIEM", scope=ApiKeyScope.READ
    )


@pytest.fixture
def write_key(organisation, isms_office):
    return account_services.api_key_create(
        organisation=organisation, actor=isms_office, name="Mail gateway", scope=ApiKeyScope.WRITE
    )


@pytest.fixture
def client_for(request):
    """client_for("handler") → an APIClient acting as that member of the cast."""

    def _client(role: str) -> APIClient:
        if role == "anonymous":
            return APIClient()
        if role in ("key_read", "key_write"):
            fixture = "read_key" if role == "key_read" else "write_key"
            _key, plain = request.getfixturevalue(fixture)
            return key_client(plain)
        client = APIClient()
        client.force_login(request.getfixturevalue(role))
        return client

    return _client


@pytest.fixture
def waiting_event(file_report, reporter):
    report = file_report(
        actor=reporter,
        sender="other@phish.example",
        subject="パスワードの有効期限",
        url="https://phish.example/login",
    )
    return report.event


@pytest.fixture
def task(incident, isms_office):
    return tasks.task_create(incident=incident, actor=isms_office, title="ログを保全する")


@pytest.fixture
def evidence_item(incident, isms_office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("<b>mail</b>.eml", b"From: a@b.example\r\n\r\nhi", "message/rfc822")
    return evidence.evidence_upload(incident=incident, actor=isms_office, upload=upload)
