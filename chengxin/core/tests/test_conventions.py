"""Conventions the test suite keeps, checked on its own source.

A full run takes half an hour, and it may cross midnight in Beijing. A test module that reads
the clock when it is imported (``TODAY = localdate()`` at the top, a default argument, a
``parametrize`` list) then compares a date taken before midnight with one taken after, and fails
for no fault of the code.  Tests read the clock in their bodies and fixtures instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
CLOCK_READS = {"localdate", "localtime", "now", "today", "utcnow", "time"}


def _reads_the_clock(call: ast.Call) -> bool:
    """`localdate()`, `timezone.now()`, `time.time()` …: a clock function called without a
    value to convert (`localdate(value)`, `datetime.time(9, 0)` read no clock)."""
    return not call.args and _called_name(call) in CLOCK_READS


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def clock_reads_at_import(source: str) -> list[int]:
    """Lines where *source* reads the clock while its module is imported."""
    found: list[int] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Call) and _reads_the_clock(node):
            found.append(node.lineno)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            # Decorators and default values run at import; the body runs when called.
            evaluated: list[ast.AST] = [*node.decorator_list, *node.args.defaults]
            evaluated += [d for d in node.args.kw_defaults if d is not None]
            for child in evaluated:
                visit(child)
            return
        if isinstance(node, ast.Lambda):
            for child in [*node.args.defaults, *node.args.kw_defaults]:
                if child is not None:
                    visit(child)
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def test_the_finder_sees_import_time_reads_and_not_call_time_ones() -> None:
    source = """
import datetime
from django.utils.timezone import localdate
TODAY = localdate()
class Fixed:
    day = datetime.date.today()
@pytest.mark.parametrize("day", [localdate()])
def test_a(day, other=timezone.now()):
    return localdate()
def helper(make=lambda: localdate(), also=lambda d=localdate(): d):
    return [localdate() for _ in range(2)]
OPENS = datetime.time(9, 0)
DAY = localdate(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
"""
    assert clock_reads_at_import(source) == [4, 6, 7, 8, 10]


def test_no_test_module_reads_the_clock_when_imported() -> None:
    modules = sorted(PACKAGE.glob("**/tests/**/*.py")) + sorted(PACKAGE.glob("**/conftest.py"))
    assert len(modules) > 100  # the glob found the suite
    offenders = {
        str(path.relative_to(PACKAGE.parent)): lines
        for path in modules
        if (lines := clock_reads_at_import(path.read_text(encoding="utf-8")))
    }
    if offenders:
        pytest.fail(f"read the clock inside the test, not at import: {offenders}")


PATCHED_CLOCKS = CLOCK_READS | {"_today"}


def clock_patches(source: str) -> list[int]:
    """Lines where *source* replaces a clock function by hand (`monkeypatch.setattr(actions,
    "_today", …)`, `monkeypatch.setattr("django.utils.timezone.localdate", …)`).

    Such a patch moves only the code's "today" while the fixtures read the machine's clock: the
    test passes until the real date moves past what it assumed. Tests move the whole process's
    clock instead (`@pytest.mark.today(...)`, the `clock` fixture: chengxin.core.tests.clock).
    """
    found: list[int] = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and _called_name(node) == "setattr" and node.args):
            continue
        names = [a.value for a in node.args[:2] if isinstance(a, ast.Constant)]
        if any(isinstance(n, str) and n.rsplit(".", 1)[-1] in PATCHED_CLOCKS for n in names):
            found.append(node.lineno)
    return found


def test_the_patch_finder_sees_hand_made_clocks_only() -> None:
    source = """
monkeypatch.setattr(actions, "_today", lambda: D(2026, 9, 30))
monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: D(2026, 9, 30))
monkeypatch.setattr(timezone, "now", fixed)
monkeypatch.setattr(calendar.time, "monotonic", lambda: 10.0)
monkeypatch.setattr(actions, "_insert", fails)
setattr(obj, "name", 1)
"""
    assert clock_patches(source) == [2, 3, 4]


def test_no_test_patches_a_clock_function_by_hand() -> None:
    modules = sorted(PACKAGE.glob("**/tests/**/*.py")) + sorted(PACKAGE.glob("**/conftest.py"))
    here = Path(__file__).resolve()
    offenders = {
        str(path.relative_to(PACKAGE.parent)): lines
        for path in modules
        if path.resolve() != here and (lines := clock_patches(path.read_text(encoding="utf-8")))
    }
    if offenders:
        pytest.fail(
            f"move the whole clock (chengxin.core.tests.clock), not one function: {offenders}"
        )
