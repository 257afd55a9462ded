"""Fixtures shared by every app's tests (factories: `make_department`, `make_user`, …)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from chengxin.core.tests.browser import browser, page  # noqa: F401
from chengxin.core.tests.fixtures import *  # noqa: F403
from chengxin.publicity.tests.fixtures import write_csv, write_xlsx  # noqa: F401
from chengxin.repair.tests.fixtures import apply, credit_admin, market, repairable  # noqa: F401
from chengxin.screening.tests.fixtures import (  # noqa: F401
    catalogue,
    checker,
    list_type,
    make_entry,
    scenario,
)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language (Chinese), whatever an earlier one chose."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    """Overrides written by one test and rolled back must not be cached for the next."""
    from chengxin.core import calendar, local_settings

    calendar.clear_cache()
    local_settings.clear_cache()
    yield
    calendar.clear_cache()
    local_settings.clear_cache()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Iterator[Any]:
    outcome: Any = yield
    """Under CI=true nothing may skip: a missing dependency is a failure, not a skip."""
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true (nothing may skip in CI): {report.longrepr}"
