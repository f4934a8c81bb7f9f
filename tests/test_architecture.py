"""The layout shows the architecture (docs/architecture.md), and stays that way.

The import-linter contracts in pyproject.toml (run by ``make test``) hold the layers; these
tests hold what they do not say: no module imports in a circle, and every hook a feature
asks has its answers once the application is built.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

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


# A role check, or a comparison with a stored value, in a template.
ROLE_IN_TEMPLATE = re.compile(r"has_role|\bRole\.")
COMPARED = re.compile(r"""(?:==|!=|\bin)\s*\(?\s*['"]([a-z_]+)['"]""")


def test_templates_hold_no_role_check_and_no_status_literal():
    """Templates print decisions the view made (can_edit, is_disputed …) and labels."""
    stored = {member.value for enum in BY_NAME.values() for member in enum}
    offenders = []
    for path in sorted((SCBI / "templates").rglob("*.html")):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            literals = set(COMPARED.findall(line)) & stored
            if ROLE_IN_TEMPLATE.search(line) or literals:
                offenders.append(f"{path.relative_to(SCBI)}:{n}")
    assert offenders == []


def test_the_template_check_sees_what_it_forbids():
    stored = {member.value for enum in BY_NAME.values() for member in enum}
    assert set(COMPARED.findall("{% if log.status == 'disputed' %}")) & stored
    assert ROLE_IN_TEMPLATE.search("{% if current_user.has_role(Role.COACH) %}")
    assert not set(COMPARED.findall("{% if kind == 'coach_or_mentee' %}")) & stored


def test_every_hook_is_in_the_architecture_guide(app):
    """A newcomer finds each hook, who asks it and who answers it, in one table."""
    guide = (SCBI.parent / "docs" / "architecture.md").read_text()
    assert [hook.name for hook in Hook.every if f"`{hook.name}`" not in guide] == []


def test_a_required_hook_without_an_answer_refuses_to_pass():
    """A rule on data asked before any feature answered it is a fault, not a silent pass."""
    hook = Hook("test.required", "a rule", required=True)
    try:
        with pytest.raises(RuntimeError, match="no answer"):
            hook.ask()
        hook.answer(lambda: "ok")
        assert hook.ask() == ["ok"]
    finally:
        Hook.every.remove(hook)
