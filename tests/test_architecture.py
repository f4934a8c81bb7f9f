"""The layout shows the architecture (docs/architecture.md), and stays that way.

The import-linter contracts in pyproject.toml (run by ``make test``) hold the layers; these
tests hold what they do not say: no module imports in a circle, and every hook a feature
asks has its answers once the application is built.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import grimp
import pytest
from jinja2 import nodes

from scbi.enums import BY_NAME
from scbi.hooks import Hook


def _circles(graph) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan)."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_in_a_circle():
    """Not even through a function-level import or a package's __init__."""
    assert _circles(grimp.build_graph("scbi")) == []


def test_the_circle_finder_finds_circles():
    graph = grimp.ImportGraph()
    for importer, imported in (("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")):
        graph.add_import(importer=importer, imported=imported)
    assert _circles(graph) == [["a", "b", "c"]]


def test_every_hook_is_answered(app):
    """A hook nobody answers is either dead or an answer that was never imported."""
    assert Hook.every, "no hooks declared?"
    unanswered = [hook.name for hook in Hook.every if not hook.answers]
    assert unanswered == []


def test_hook_names_are_unique(app):
    names = [hook.name for hook in Hook.every]
    assert len(names) == len(set(names))


def test_every_top_level_module_has_its_place_in_the_contracts():
    """A new module of scbi/ is either a feature (a layer) or kernel (uses no feature)."""
    config = tomllib.loads(Path("pyproject.toml").read_text())["tool"]["importlinter"]
    contracts = {c["id"]: c for c in config["contracts"]}
    layered = {
        name.strip()
        for layer in contracts["features"]["layers"]
        for name in layer.replace(":", "|").split("|")
    }
    kernel = set(contracts["kernel"]["source_modules"])
    top = set(grimp.build_graph("scbi").find_children("scbi"))
    assert top - layered - kernel == set()
    assert layered & kernel == set()


SCBI = Path(__file__).resolve().parent.parent / "scbi"
PAGE_MODULES = sorted(
    [*SCBI.glob("*/views.py"), *SCBI.glob("*/views/*.py"), *SCBI.glob("api/*.py")]
)


def test_pages_and_the_api_read_nothing_themselves():
    """Views and API handlers call services and queries: no SQL, no session."""
    offenders = [
        f"{path.relative_to(SCBI.parent)}:{n}"
        for path in PAGE_MODULES
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if "select(" in line or "db.session" in line
    ]
    assert PAGE_MODULES and offenders == []


def _stored() -> set[str]:
    """Every stored value (and member name) of the labelled enums."""
    return {word for enum in BY_NAME.values() for m in enum for word in (m.value, m.name)}


def _template_offences(env, source: str, stored: set[str]) -> list[str]:
    """Role checks and comparisons with a stored value, found in the template's syntax
    tree (whatever the spelling: ==, in [...], is equalto, either side)."""
    tree = env.parse(source)
    found = []
    for node in [*tree.find_all(nodes.Compare), *tree.find_all(nodes.Test)]:
        words = {c.value for c in node.find_all(nodes.Const) if isinstance(c.value, str)}
        found += sorted(f"line {node.lineno}: {word!r}" for word in words & stored)
    for node in tree.find_all(nodes.Getattr):
        if node.attr == "has_role":
            found.append(f"line {node.lineno}: has_role")
    for node in tree.find_all(nodes.Name):
        if node.name == "Role":
            found.append(f"line {node.lineno}: Role")
    return found


def test_templates_hold_no_role_check_and_no_status_literal(app):
    """Templates print decisions the view made (can_edit, is_disputed …) and labels."""
    stored = _stored()
    offenders = {
        str(path.relative_to(SCBI)): found
        for path in sorted((SCBI / "templates").rglob("*.html"))
        if (found := _template_offences(app.jinja_env, path.read_text(), stored))
    }
    assert offenders == {}


@pytest.mark.parametrize(
    "source",
    [
        "{% if log.status == 'disputed' %}x{% endif %}",
        "{% if 'disputed' == log.status %}x{% endif %}",
        "{% if log.status in ['submitted', 'draft'] %}x{% endif %}",
        "{% if log.status is equalto 'disputed' %}x{% endif %}",
        "{% if log.status.name == 'DISPUTED' %}x{% endif %}",
        "{% if 'coach' in current_user.roles %}x{% endif %}",
        "{% if current_user.has_role(Role.COACH) %}x{% endif %}",
    ],
)
def test_the_template_check_sees_what_it_forbids(app, source):
    assert _template_offences(app.jinja_env, source, _stored())


def test_the_template_check_lets_the_rest_pass(app):
    source = (
        "{% if kind == 'coach_or_mentee' or log.is_disputed %}{{ log.status.label }}{% endif %}"
    )
    assert _template_offences(app.jinja_env, source, _stored()) == []


ON_TOP = ("scbi.api", "scbi.main", "scbi.cli", "scbi.demo", "scbi.backup", "scbi.models")


def _is_page(module: str) -> bool:
    """A page, an API handler or an entry point: what may use any rule or read."""
    return module.startswith(ON_TOP) or ".views" in module


def test_no_rule_or_read_uses_a_page():
    """Whatever its name (services, publishing, metrics, needs, forms …), a module that is
    not a page imports no page, no API handler and no entry point; the contracts name the
    usual modules, this holds the others."""
    graph = grimp.build_graph("scbi")
    offenders = sorted(
        f"{module} -> {imported}"
        for module in graph.modules
        if module != "scbi" and not _is_page(module)
        for imported in graph.find_modules_directly_imported_by(module)
        if _is_page(imported)
    )
    assert offenders == []
