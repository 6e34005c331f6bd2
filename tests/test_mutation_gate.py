"""The mutation gate (`make mutation`) stays in step with the code: every clause it removes is
still in its file, once, so a refactoring cannot silently turn a mutant into a no-op."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _gate():
    spec = importlib.util.spec_from_file_location("mutation", ROOT / "scripts" / "mutation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mutation", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_every_clause_of_the_mutation_gate_is_in_its_file_once():
    assert _gate().check() == []


def test_the_gate_covers_the_clauses_issue_13_names():
    rules = {(clause.rule, clause.says) for clause in _gate().CLAUSES}
    for rule in ("B-2", "D-1", "D-1b", "D-4", "D-6", "L2-b"):
        assert any(rule_id == rule for rule_id, _says in rules), rule
    assert sum(rule_id == "D-4" for rule_id, _says in rules) == 2


def test_the_gates_rule_tests_exist():
    for path in _gate().RULE_TESTS:
        assert (ROOT / path).is_file(), path
