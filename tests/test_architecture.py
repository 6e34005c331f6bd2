"""The import graph of docs/architecture.md ("Which app may import which"), checked on the code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DOMAIN = {
    "accounts",
    "incidents",
    "risklevels",
    "bcp",
    "isms",
    "comms",
    "privacy",
    "notifications",
    "training",
    "vulns",
    "sharing",
}
PROJECT = {"common", "isms_csirt", "dashboard", "records", "guide", "demo", *DOMAIN}

ALLOWED: dict[str, set[str]] = {
    "common": {"isms_csirt"},
    "accounts": {"common"},
    "incidents": {"common", "accounts"},
    "bcp": {"common", "accounts", "incidents"},
    "risklevels": {"common", "accounts", "incidents", "bcp"},
    "isms": {"common", "accounts", "incidents", "bcp"},
    # Above privacy once it lands (the PPC report, obligations); nothing below imports comms.
    "comms": {"common", "accounts", "incidents", "bcp", "risklevels"},
    "privacy": {"common", "accounts", "incidents", "bcp", "risklevels"},
    "notifications": {"common", "accounts", "incidents", "bcp", "risklevels"},
    "training": {
        "common",
        "accounts",
        "incidents",
        "bcp",
        "risklevels",
        "isms",
        "privacy",
        "notifications",
        # Exercise injects of communications go through comms' own services (issue 18);
        # comms never imports training.
        "comms",
    },
    # Vulnerability information (issue 23): findings link to assets and incidents, alert
    # through the notifications outbox; nothing below imports vulns.
    "vulns": {"common", "accounts", "incidents", "bcp", "risklevels", "notifications"},
    # STIX out (and threat intelligence in): reads incidents, records each export as a
    # communication through comms' services (N-4); nothing below imports sharing.
    "sharing": {"common", "accounts", "incidents", "bcp", "risklevels", "comms"},
    "dashboard": {"common", *DOMAIN},
    # The incident report and the emergency kit read every domain app; only the project's
    # settings and URLs name records.
    "records": {"common", *DOMAIN},
    "demo": {"common", *DOMAIN},
    "guide": {"common", "accounts"},
}


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return {module.split(".")[0] for module in modules} & PROJECT


def _violations(app: str) -> list[str]:
    found = []
    for path in sorted((REPO_ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue  # generated; they name other apps' models by string
        for imported in sorted(_imported_apps(path) - ALLOWED[app] - {app}):
            found.append(f"{path.relative_to(REPO_ROOT)} imports {imported}")
    return found


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_app_imports_only_the_apps_the_architecture_allows(app):
    assert _violations(app) == []


def test_the_allowed_graph_has_no_cycle():
    visiting: set[str] = set()
    done: set[str] = set()

    def visit(app: str) -> None:
        assert app not in visiting, f"cycle through {app}"
        if app in done or app not in ALLOWED:
            return
        visiting.add(app)
        for dependency in ALLOWED[app]:
            visit(dependency)
        visiting.remove(app)
        done.add(app)

    for app in ALLOWED:
        visit(app)


def test_every_app_of_the_project_is_in_the_graph():
    apps = {p.parent.name for p in REPO_ROOT.glob("*/apps.py")}
    assert apps == set(ALLOWED)
