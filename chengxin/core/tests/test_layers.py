"""Layers that point one way (issue 20): no import circle between modules, and no app importing
an app above it in the layer order that docs/architecture.md declares ("## Layers").

Every non-test, non-migration module of `chengxin` is parsed with `ast`. An import counts wherever
it is written: at module level or inside a function (a lazy import is still a dependency). Only
imports under `if TYPE_CHECKING:` are left out: they never run, so they neither make a circle nor
load an app at run time.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # …/chengxin
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"
PROJECT = "chengxin"  # the project package's own modules (cli, settings, urls, wsgi): the top

# Imports that still point up, each to be removed; the test fails on a new one and on a listed
# one that is gone (so the list stays exact). See docs/architecture.md, "Layers". None is left:
# the last, the records API's, went with the API to `imports.api` (issue 20.4).
KNOWN_UPWARD: frozenset[tuple[str, str]] = frozenset()

Graph = Mapping[str, Iterable[str]]


# --- the checker --------------------------------------------------------------------------------


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_checked(path: Path, root: Path = PACKAGE) -> bool:
    parts = path.relative_to(root).parts
    name = parts[-1]
    return not (
        "migrations" in parts
        or "tests" in parts
        or name.startswith("test_")
        or name in {"conftest.py", "test_settings.py"}
    )


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes under `if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`)."""
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in {
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        }:
            for inner in node.body:
                exempt.update(id(n) for n in ast.walk(inner))
    return exempt


def imported_names(source: str, module: str, *, is_package: bool) -> set[str]:
    """Every dotted name `module` imports, with `from a import b` giving both `a` and `a.b`."""
    tree = ast.parse(source)
    exempt = _type_checking_only(tree)
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in exempt:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def module_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """module → the modules of the package it imports."""
    paths = {module_name(p, root): p for p in root.rglob("*.py") if is_checked(p, root)}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        imported = imported_names(path.read_text(), name, is_package=path.name == "__init__.py")
        graph[name] = {target for target in imported if target in paths and target != name}
    return graph


def app_of(module: str) -> str:
    """`chengxin.publicity.models` → `publicity`; the project package's own modules → `chengxin`."""
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()):
        return parts[1]
    return PROJECT


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def upward_imports(graph: Graph, layers: list[list[str]]) -> set[tuple[str, str]]:
    """(importer, imported) where the importer's app is not above the imported module's app.

    Apps of one layer are peers and may not import each other; the project package is the top.
    """
    rank = {app: n for n, layer in enumerate(layers) for app in layer}
    rank[PROJECT] = len(layers)
    found = set()
    for source, targets in graph.items():
        for target in targets:
            source_app, target_app = app_of(source), app_of(target)
            if source_app != target_app and rank[source_app] <= rank[target_app]:
                found.add((source, target))
    return found


def declared_layers(text: str) -> list[list[str]]:
    """The numbered list under "## Layers": each item's `app` names, lowest layer first."""
    section = text.split("\n## Layers\n", 1)[1].split("\n## ", 1)[0]
    return [
        re.findall(r"`(\w+)`", line.split("—")[0])
        for line in section.splitlines()
        if re.match(r"\d+\. `", line)
    ]


# --- the project's graph --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return module_graph()


@pytest.fixture(scope="module")
def layers() -> list[list[str]]:
    return declared_layers(ARCHITECTURE.read_text())


def test_no_import_circle_between_modules(graph: dict[str, set[str]]) -> None:
    assert cycles(graph) == []


def test_no_import_circle_between_apps(graph: dict[str, set[str]]) -> None:
    """Apart from the listed upward imports, the apps' graph has no circle either."""
    merged: dict[str, set[str]] = {}
    for source, targets in graph.items():
        merged.setdefault(app_of(source), set()).update(
            app_of(t) for t in targets if app_of(t) != app_of(source)
        )
    known = {(app_of(a), app_of(b)) for a, b in KNOWN_UPWARD}
    pruned = {app: targets - {b for a, b in known if a == app} for app, targets in merged.items()}
    assert cycles(pruned) == []


def test_every_app_has_its_layer(layers: list[list[str]]) -> None:
    apps = {p.parent.name for p in PACKAGE.glob("*/apps.py")}
    declared = [app for layer in layers for app in layer]
    assert sorted(declared) == sorted(set(declared)), "an app listed twice"
    assert set(declared) == apps


def test_no_app_imports_an_app_above_it(
    graph: dict[str, set[str]], layers: list[list[str]]
) -> None:
    upward = upward_imports(graph, layers)
    assert sorted(upward - KNOWN_UPWARD) == [], "imports pointing up (docs/architecture.md)"
    assert sorted(KNOWN_UPWARD - upward) == [], "gone: take them off KNOWN_UPWARD"


def test_core_imports_no_app_of_ours(graph: dict[str, set[str]]) -> None:
    assert (
        sorted(
            (source, target)
            for source, targets in graph.items()
            for target in targets
            if app_of(source) == "core" and app_of(target) != "core"
        )
        == []
    )


def test_the_depends_on_column_matches_the_code(graph: dict[str, set[str]]) -> None:
    """The table's "depends on" names exactly the apps each app imports (core implied)."""
    table: dict[str, set[str]] = {}
    for line in ARCHITECTURE.read_text().splitlines():
        match = re.match(r"\| `(\w+)` \|.*\| ([^|]*) \|$", line)
        if match:
            names = re.sub(r"\(.*?\)", "", match[2])  # "(the report font)" explains, names none
            table[match[1]] = set(re.findall(r"\w+", names)) - {"core"}
    actual: dict[str, set[str]] = {app: set() for app in table}
    for source, targets in graph.items():
        for target in targets:
            if app_of(source) in actual and app_of(target) not in {app_of(source), "core"}:
                actual[app_of(source)].add(app_of(target))
    assert table == actual


# --- the checker fails when it should -----------------------------------------------------------


def test_the_checker_finds_a_circle_and_an_upward_import() -> None:
    fake = {
        "chengxin.core.models": {"chengxin.accounts.permissions"},  # core → accounts: up
        "chengxin.accounts.permissions": {"chengxin.core.models"},  # … and back: a circle
        "chengxin.publicity.models": {"chengxin.core.models"},
        "chengxin.cli": {"chengxin.publicity.models"},
    }
    layers = [["core"], ["accounts"], ["publicity"]]
    assert cycles(fake) == [["chengxin.accounts.permissions", "chengxin.core.models"]]
    assert upward_imports(fake, layers) == {
        ("chengxin.core.models", "chengxin.accounts.permissions")
    }
    assert upward_imports({"chengxin.agencies.x": {"chengxin.powers.y"}}, [["agencies", "powers"]])


def test_the_checker_reads_lazy_and_relative_imports_but_not_type_checking_ones() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from chengxin.accounts.models import User\n"
        "def f():\n"
        "    from chengxin.portal import cache\n"
        "from . import rules\n"
        "from .models import Penalty\n"
    )
    names = imported_names(source, "chengxin.publicity.actions", is_package=False)
    assert {"chengxin.portal", "chengxin.portal.cache", "chengxin.publicity.rules"} <= names
    assert "chengxin.publicity.models" in names
    assert "chengxin.accounts.models" not in names


def test_the_layers_are_read_from_the_document() -> None:
    text = "# A\n\n## Layers\n\n1. `core` — base\n2. `agencies`, `powers` — peers\n\n## Next\n"
    assert declared_layers(text) == [["core"], ["agencies", "powers"]]
