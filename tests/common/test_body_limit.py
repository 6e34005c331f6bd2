"""Request bodies are refused by their Content-Length before anything reads them."""

import io

import pytest
from django.core.handlers.wsgi import WSGIHandler

from common.middleware import UPLOAD_OVERHEAD_BYTES


class UnreadableBody(io.RawIOBase):
    """A body that fails the test if anyone reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        pytest.fail("the body was read")


def _environ(path: str, content_type: str, length: str) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": UnreadableBody(),
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": length,
    }


def _call(environ: dict) -> tuple[str, bytes]:
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = status

    body = b"".join(WSGIHandler()(environ, start_response))
    return seen["status"], body


@pytest.mark.django_db
def test_an_upload_larger_than_the_evidence_limit_is_refused_unread(settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    length = str(1000 + UPLOAD_OVERHEAD_BYTES + 1)
    environ = _environ("/incidents/IR-1/evidence/", "multipart/form-data; boundary=x", length)
    status, body = _call(environ)
    assert status.startswith("413")
    assert "MB" in body.decode()


@pytest.mark.django_db
def test_an_api_body_over_the_data_limit_is_a_413_with_the_error_envelope(settings):
    length = str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    status, body = _call(_environ("/api/v1/reports/", "application/json", length))
    assert status.startswith("413")
    assert b'"code": "too_large"' in body
    assert f'"limit_bytes": {settings.DATA_UPLOAD_MAX_MEMORY_SIZE}'.encode() in body


@pytest.mark.django_db
def test_a_malformed_content_length_is_a_400(settings):
    status, _ = _call(_environ("/api/v1/reports/", "application/json", "-5"))
    assert status.startswith("400")


def test_a_body_within_the_limit_reaches_the_view(client, handler):
    client.force_login(handler)
    response = client.post("/api/v1/reports/", data=b"{}", content_type="application/json")
    assert response.status_code != 413
