"""The layers of docs/architecture.md, held against the code on every run.

The import contracts live in pyproject.toml ([tool.importlinter]) so `lint-imports` tells the
same; each is also shown to fail when one forbidden import is added to the graph, so a
contract that matches nothing cannot pass for kept. Two rules import-linter cannot say are
checked over the syntax tree: no app imports another app's models (reads go through its
selectors), and no function-local import hides an edge to another app.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import grimp
import pytest
from importlinter import api  # noqa: F401 -- configures import-linter before use
from importlinter.application import use_cases
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "secu4all"
CONTRACT_TYPES = {
    "forbidden": ForbiddenContract,
    "layers": LayersContract,
    "acyclic_siblings": AcyclicSiblingsContract,
}

# One import each contract forbids: added to the real graph, it must break the contract.
VIOLATIONS = {
    "engines-pure": ("secu4all.engines.spatial.kde", "django"),
    "common-below-apps": ("secu4all.common.forms", "secu4all.incidents.models"),
    "site-on-top": ("secu4all.shell.views", "secu4all.site.urls"),
    "layers": ("secu4all.organisations.services", "secu4all.incidents.selectors"),
    "no-cycles": ("secu4all.incidents.services", "secu4all.incidents.tasks"),
}

# Model types of the foundation that every app names: the tenant, roles and audit actions.
SHARED_MODEL_TYPES = {
    "organisations": {"Organisation", "OrganisationKind", "Role"},
    "audit": {"AuditAction", "AuditOutcome", "SecurityEventKind"},
}


@pytest.fixture(scope="module")
def contracts() -> dict[str, object]:
    options = use_cases.read_user_options(str(ROOT / "pyproject.toml"))
    found = {}
    for contract_options in options.contracts_options:
        contract_options = dict(contract_options)
        kind = CONTRACT_TYPES[contract_options.pop("type")]
        found[contract_options.pop("id")] = kind(
            name=contract_options.pop("name"),
            session_options=options.session_options,
            contract_options=contract_options,
        )
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("secu4all", include_external_packages=True, cache_dir=None)


def test_every_contract_has_a_violation_to_prove_it(contracts) -> None:
    assert set(contracts) == set(VIOLATIONS)


@pytest.mark.parametrize("contract_id", sorted(VIOLATIONS))
def test_the_code_keeps_the_contract(contracts, graph, contract_id) -> None:
    check = contracts[contract_id].check(copy.deepcopy(graph), verbose=False)
    assert check.kept, contracts[contract_id].render_broken_contract(check) or contract_id


@pytest.mark.parametrize("contract_id", sorted(VIOLATIONS))
def test_the_contract_fails_when_broken(contracts, graph, contract_id) -> None:
    importer, imported = VIOLATIONS[contract_id]
    broken = copy.deepcopy(graph)
    broken.add_import(importer=importer, imported=imported)
    assert not contracts[contract_id].check(broken, verbose=False).kept


def _app_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def _source_files() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts]


def cross_app_model_imports(path: Path, tree: ast.AST) -> list[str]:
    """``from secu4all.<other app>.models import X`` where X is not a shared foundation type."""
    own = _app_of(path)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        parts = node.module.split(".")
        if len(parts) == 3 and parts[0] == "secu4all" and parts[2] == "models" and parts[1] != own:
            names = {alias.name for alias in node.names} - SHARED_MODEL_TYPES.get(parts[1], set())
            if names:
                found.append(
                    f"{path.relative_to(ROOT)}:{node.lineno} {node.module} {sorted(names)}"
                )
    return found


def hidden_cross_app_imports(path: Path, tree: ast.AST) -> list[str]:
    """Imports of another app inside a function body: edges a reader of the module's head
    does not see. Exempt are the command line, which imports the apps after setting Django up,
    and an app config's ``ready()``, where Django has apps register with each other."""
    own = _app_of(path)
    if own == "cli":
        return []
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if path.name == "apps.py" and function.name == "ready":
            continue
        for node in ast.walk(function):
            modules = []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            for module in modules:
                parts = module.split(".")
                if parts[0] == "secu4all" and len(parts) > 1 and parts[1] != own:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {module}")
    return found


def hand_written_read_audits(path: Path, tree: ast.AST) -> list[str]:
    """``audit_record(action=AuditAction.VIEW or EXPORT)`` outside the audit app: reads are
    logged through the one mechanism, ``audit_read``; refusals through ``audit_refusal``."""
    if _app_of(path) == "audit":
        return []
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "audit_record"):
            continue
        for keyword in node.keywords:
            if keyword.arg != "action":
                continue
            named = {n.attr for n in ast.walk(keyword.value) if isinstance(n, ast.Attribute)}
            if named & {"VIEW", "EXPORT"}:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


RULES = [cross_app_model_imports, hidden_cross_app_imports, hand_written_read_audits]


@pytest.mark.parametrize("rule", RULES)
def test_apps_meet_through_selectors_and_services(rule) -> None:
    found = []
    for path in _source_files():
        found += rule(path, ast.parse(path.read_text(encoding="utf-8")))
    assert found == []


@pytest.mark.parametrize(
    ("rule", "source"),
    [
        (cross_app_model_imports, "from secu4all.incidents.models import Incident\n"),
        (hidden_cross_app_imports, "def f():\n    from secu4all.incidents import selectors\n"),
        (hand_written_read_audits, "audit_record(actor=u, action=AuditAction.VIEW)\n"),
    ],
)
def test_the_syntax_rules_catch_a_violation(rule, source) -> None:
    path = PACKAGE / "perception" / "example.py"
    assert rule(path, ast.parse(source))
