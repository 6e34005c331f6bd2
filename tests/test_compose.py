"""docker-compose.yml and the Dockerfile: the services, their commands, and that they fit the code.

Docker is not needed: the files are parsed, and every module, script, management command and
environment variable they name is checked against the repository.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from celery import Celery
from django.core.management import get_commands

from tests.settings_env import REPO_ROOT, settings_variables

COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
DOCKERFILE = REPO_ROOT / "Dockerfile"
APP_SERVICES = ("web", "worker", "beat")
# Read by the postgres image and by grant_app_role (in the migrate step), not by the settings.
IMAGE_VARIABLES = {"POSTGRES_PASSWORD", "POSTGRES_APP_PASSWORD"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def _command_lines(command: str | list[str]) -> list[list[str]]:
    """The simple commands of a compose `command`/healthcheck, shell wrappers unfolded."""
    tokens = shlex.split(command) if isinstance(command, str) else list(command)
    if tokens[:1] in (["CMD"], ["CMD-SHELL"]):
        tokens = shlex.split(" ".join(tokens[1:])) if tokens[0] == "CMD-SHELL" else tokens[1:]
    if tokens[:2] == ["sh", "-c"]:
        tokens = shlex.split(tokens[2])
    lines, current = [], []
    for token in tokens:
        if token in {"&&", "||", ";"}:
            lines.append(current)
            current = []
        elif not (token == "exec" and not current):
            current.append(token)
    return [*lines, current]


def _assert_references_exist(line: list[str]) -> None:
    program, args = line[0], line[1:]
    if program in {"python", "python3"} and args[0] == "-m":
        importlib.import_module(args[1])
    elif program in {"python", "python3"}:
        assert (REPO_ROOT / args[0]).is_file(), args[0]
        if args[0] == "manage.py":
            assert args[1] in get_commands(), f"no management command {args[1]!r}"
    elif program == "gunicorn":
        module, _, attribute = next(a for a in args if not a.startswith("-")).partition(":")
        assert callable(getattr(importlib.import_module(module), attribute))
    elif program == "celery":
        module = importlib.import_module(args[args.index("-A") + 1])
        assert isinstance(module.celery_app, Celery)
    else:
        assert program in {"pg_isready", "redis-cli", "redis-server"}, f"unknown {program!r}"


def test_compose_defines_the_services(compose):
    assert set(compose["services"]) == {"postgres", "redis", "migrate", "web", "worker", "beat"}
    assert compose["services"]["postgres"]["image"] == "postgres:16"
    assert compose["services"]["redis"]["image"] == "redis:7"


def test_web_worker_and_beat_run_gunicorn_and_celery_from_the_built_image(compose):
    services = compose["services"]
    for name in APP_SERVICES:
        assert services[name]["build"] == "."
    web = " ".join(services["web"]["command"])
    assert web.startswith("gunicorn isms_csirt.wsgi:application --bind 0.0.0.0:8000")
    worker = " ".join(services["worker"]["command"])
    assert worker.startswith("celery -A isms_csirt worker -Q alerts,default")
    assert " ".join(services["beat"]["command"]).startswith("celery -A isms_csirt beat")


def test_the_migrate_step_migrates_as_the_owner_then_grants_the_app_role(compose):
    services = compose["services"]
    migrate = services["migrate"]
    assert [" ".join(line) for line in _command_lines(migrate["command"])] == [
        "python manage.py migrate --noinput",
        "python manage.py grant_app_role isms_app --password-env POSTGRES_APP_PASSWORD",
    ]
    assert migrate["restart"] == "no"
    assert migrate["environment"]["DATABASE_URL"].startswith("postgres://isms_csirt:")
    for name in APP_SERVICES:
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://isms_app:")
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_every_long_running_service_has_a_healthcheck_and_web_probes_healthz(compose):
    for name, service in compose["services"].items():
        if name != "migrate":  # runs once; the others wait for it to finish
            assert service["healthcheck"]["test"], name
    assert "http://127.0.0.1:8000/healthz" in compose["services"]["web"]["healthcheck"]["test"]


def test_every_module_script_and_command_referenced_exists(compose):
    for service in compose["services"].values():
        commands = [service["healthcheck"]["test"]] if "test" in service["healthcheck"] else []
        if "command" in service:
            commands.append(service["command"])
        for command in commands:
            for line in _command_lines(command):
                _assert_references_exist(line)


def test_app_services_set_only_variables_that_settings_read(compose):
    known = settings_variables()
    for name in (*APP_SERVICES, "migrate"):
        environment = compose["services"][name]["environment"]
        extra = {"POSTGRES_APP_PASSWORD"} if name == "migrate" else set()
        assert set(environment) <= known | extra, set(environment) - known
        assert environment["DJANGO_DEBUG"] == "0"


def test_every_interpolated_variable_is_a_setting_or_the_postgres_password():
    used = set(re.findall(r"(?<!\$)\$\{(\w+)", COMPOSE_FILE.read_text()))
    assert used - IMAGE_VARIABLES <= settings_variables(), used - settings_variables()


@pytest.mark.parametrize(
    "variable",
    ["DJANGO_SECRET_KEY", "TIMELINE_HMAC_KEYS", "POSTGRES_PASSWORD", "POSTGRES_APP_PASSWORD"],
)
def test_secrets_are_required_and_have_no_default(variable):
    text = COMPOSE_FILE.read_text()
    assert re.search(rf"\$\{{{variable}:\?", text)
    assert not re.search(rf"\$\{{{variable}:?-", text)


def test_app_services_reach_postgres_and_redis_by_service_name(compose):
    environment = compose["services"]["web"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
    assert environment["CACHE_URL"].startswith("redis://redis:6379/")


def test_services_keep_their_data_in_declared_named_volumes(compose):
    declared = set(compose["volumes"])
    mounted = {
        volume.split(":", 1)[0]
        for service in compose["services"].values()
        for volume in service.get("volumes", [])
    }
    assert mounted == declared
    assert {"postgres-data", "redis-data", "media", "beat-data", "anchors"} <= declared


def test_the_worker_writes_checkpoints_where_web_reads_them(compose):
    services = compose["services"]
    anchor_dir = services["web"]["environment"]["TIMELINE_ANCHOR_DIR"]
    for name in ("web", "worker"):
        assert f"anchors:{anchor_dir}" in services[name]["volumes"]
    assert f"mkdir -p /data/var /data/media {anchor_dir}" in DOCKERFILE.read_text()


def test_dockerfile_builds_a_non_root_gunicorn_image():
    text = DOCKERFILE.read_text()
    assert re.search(r"^FROM python:3\.11-slim$", text, flags=re.MULTILINE)
    assert "pip install ." in text
    assert "collectstatic --noinput" in text
    users = re.findall(r"^USER (\S+)$", text, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", text, flags=re.MULTILINE).group(1))
    assert cmd[0] == "gunicorn"
    _assert_references_exist(cmd)


def test_dockerfile_sets_only_python_pip_or_settings_variables():
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    block = " ".join(re.findall(r"^ENV (.*)$", text, flags=re.MULTILINE))
    names = set(re.findall(r"(\w+)=", block))
    app_names = {n for n in names if not n.startswith(("PYTHON", "PIP_"))}
    assert app_names <= settings_variables(), app_names - settings_variables()


def _healthcheck(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOWED_HOSTS"}
    return subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "healthcheck.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,  # a deadline, not a measure
        check=False,
    )


def test_web_healthcheck_passes_against_a_running_server_and_fails_without_one(live_server):
    assert _healthcheck("http", f"{live_server.url}/healthz").returncode == 0
    assert _healthcheck("http", "http://127.0.0.1:1/healthz").returncode == 1


def test_beat_healthcheck_fails_once_the_schedule_file_stops_changing(tmp_path):
    schedule = tmp_path / "celerybeat-schedule.db"
    pattern = str(tmp_path / "celerybeat-schedule*")
    assert _healthcheck("fresh", pattern, "600").returncode == 1
    schedule.write_bytes(b"")
    assert _healthcheck("fresh", pattern, "600").returncode == 0
    an_hour_ago = time.time() - 3600
    os.utime(schedule, (an_hour_ago, an_hour_ago))
    assert _healthcheck("fresh", pattern, "600").returncode == 1


def test_docker_build_context_leaves_out_local_state():
    ignored = set(Path(REPO_ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "var"} <= ignored
