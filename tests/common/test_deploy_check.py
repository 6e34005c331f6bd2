"""Production settings pass Django's deployment checklist with no warning at all."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys

import pytest

from tests.common.stack import REPO_ROOT


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,  # a deadline: Django's start on a loaded machine
        check=False,
    )


def _production_env(tmp_path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64)[:50],
        DJANGO_ALLOWED_HOSTS="example.com",
        TIMELINE_HMAC_KEYS=f"k1:{base64.b64encode(secrets.token_bytes(32)).decode()}",
        ISMS_VAR_DIR=str(tmp_path),
    )
    env.update(extra)
    return env


@pytest.mark.parametrize("behind_tls_proxy", ["0", "1"])
def test_check_deploy_reports_no_issues_with_debug_off(tmp_path, behind_tls_proxy):
    result = _check_deploy(_production_env(tmp_path, DJANGO_BEHIND_TLS_PROXY=behind_tls_proxy))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_off_without_a_secret_key_refuses_to_start(tmp_path):
    env = _production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    result = _check_deploy(env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr
    assert not (tmp_path / "dev-secret-key").exists()


def test_debug_off_without_timeline_keys_refuses_to_start(tmp_path):
    env = _production_env(tmp_path)
    del env["TIMELINE_HMAC_KEYS"]
    result = _check_deploy(env)
    assert result.returncode != 0
    assert "TIMELINE_HMAC_KEYS is required" in result.stderr
    assert not (tmp_path / "timeline-hmac-keys").exists()


@pytest.mark.parametrize(
    ("keys", "key_id", "message"),
    [
        ("k1:c2hvcnQ=", "", "key 'k1' is under 32 bytes"),
        ("k1:not base64!", "", "key 'k1' is not base64"),
        (f"k1:{'A' * 44},k1:{'B' * 44}", "", "bad or repeated key id 'k1'"),
        (f"k1:{'A' * 44}", "k2", "TIMELINE_HMAC_KEY_ID 'k2' is not listed"),
    ],
)
def test_malformed_timeline_keys_refuse_to_start(tmp_path, keys, key_id, message):
    env = _production_env(tmp_path, TIMELINE_HMAC_KEYS=keys, TIMELINE_HMAC_KEY_ID=key_id)
    result = _check_deploy(env)
    assert result.returncode != 0
    assert message in result.stderr
