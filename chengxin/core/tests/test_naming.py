"""Names that explain themselves (issue 20, item 8): one convention for URL modules, and
"report" meaning one thing per module.

- An app's staff pages are its `urls.py`, mounted under `staff/`; a second staff module is
  `<topic>_urls.py`. Its public pages are `public_urls.py` (or `public_<topic>_urls.py`).
- "Report" is the annual report (the `reports` app); the others are named for what they are:
  the credit report (`portal.credit_report`), the timeliness dashboards
  (`publicity.timeliness`), the rejected rows of an import (`imports.rejections`).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import chengxin

PACKAGE = Path(chengxin.__file__).parent
STAFF_MODULE = re.compile(r"chengxin\.\w+\.(urls|(?!public)\w+_urls)$")
PUBLIC_MODULE = re.compile(r"chengxin\.\w+\.public(_\w+)?_urls$")
# Included outside both conventions, and why.
NEITHER = {
    "chengxin.core.urls": "the staff dashboard and the site's own files (favicon, health check)",
    "chengxin.accounts.urls": "sign-in and the account's own pages, for every user",
    "django.conf.urls.i18n": "Django's language switch",
}


def includes() -> list[tuple[str, str]]:
    """(route, module) of every `include("…")` in the project's URLconf."""
    tree = ast.parse((PACKAGE / "urls.py").read_text())
    found = []
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "path":
            route, target = call.args[0], call.args[1]
            if isinstance(target, ast.Call) and getattr(target.func, "id", "") == "include":
                module = target.args[0]
                assert isinstance(route, ast.Constant) and isinstance(module, ast.Constant)
                found.append((route.value, module.value))
    return found


def misnamed(pairs: list[tuple[str, str]]) -> list[str]:
    wrong = []
    for route, module in pairs:
        if module in NEITHER:
            continue
        staff = route.startswith("staff/")
        pattern = STAFF_MODULE if staff else PUBLIC_MODULE
        if not pattern.fullmatch(module):
            wrong.append(f"{route} → {module} ({'staff' if staff else 'public'} pages)")
    return wrong


def test_url_modules_say_whom_their_pages_are_for() -> None:
    assert len(includes()) > 20
    assert misnamed(includes()) == []


def test_the_convention_check_can_fail() -> None:
    assert misnamed([("repair/", "chengxin.repair.urls")])  # public pages in urls.py
    assert misnamed([("staff/repair/", "chengxin.repair.public_urls")])
    assert misnamed([("staff/repair/", "chengxin.repair.staff_urls")]) == []  # a staff topic
    assert misnamed([("repair/", "chengxin.repair.public_status_urls")]) == []


def test_report_means_the_annual_report() -> None:
    named = {
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if re.fullmatch(r"reports?|report_\w+", path.stem)  # a bare "report": which one?
        and "tests" not in path.parts
        and path.relative_to(PACKAGE).parts[0] != "reports"  # the annual report's own app
    }
    assert named == set()
