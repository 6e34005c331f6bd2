"""The environment variables isms_csirt/settings.py reads, found by reading its source."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SETTINGS = REPO_ROOT / "isms_csirt" / "settings.py"
READERS = {"env_str", "env_bool", "env_int", "env_list"}


def _variable_name(call: ast.Call) -> str | None:
    func = call.func
    reads_env = (isinstance(func, ast.Name) and func.id in READERS) or (
        isinstance(func, ast.Attribute)
        and func.attr in {"get", "getenv"}
        and ast.unparse(func.value) in {"os.environ", "os"}
    )
    if reads_env and call.args and isinstance(call.args[0], ast.Constant):
        return str(call.args[0].value)
    return None


@cache
def settings_variables() -> frozenset[str]:
    tree = ast.parse(SETTINGS.read_text())
    names = (_variable_name(node) for node in ast.walk(tree) if isinstance(node, ast.Call))
    return frozenset(name for name in names if name)
