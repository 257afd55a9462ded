"""Fixtures shared by every app's tests (factories: `make_department`, `make_user`, …)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from chengxin.core.tests import clock as test_clock
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


def pytest_configure(config: pytest.Config) -> None:
    """With CHENGXIN_TEST_CLOCK_SHIFT_DAYS set, the whole run reads a clock that many days ahead."""
    days = test_clock.shift_days()
    if days:
        config.stash[_shift_key] = test_clock.start_shift(days)


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_shift_key, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    days = test_clock.shift_days()
    return f"clock shifted {days} days ahead ({test_clock.SHIFT_VARIABLE})" if days else None


_shift_key = pytest.StashKey[Any]()


@pytest.fixture
def clock() -> Iterator[test_clock.Clock]:
    """`clock.travel(day)`: the whole process reads that day (frozen) until the test ends."""
    moved = test_clock.Clock()
    yield moved
    moved.stop()


@pytest.fixture(autouse=True)
def _today_marker(request: pytest.FixtureRequest) -> Iterator[None]:
    """`@pytest.mark.today(date)`: the test and every fixture it uses run on that day.

    Autouse, so it is set up before the test's other fixtures build their data.
    """
    marker = request.node.get_closest_marker("today")
    if marker is None:
        yield
        return
    frozen = test_clock.Clock()
    frozen.travel(*marker.args, **marker.kwargs)
    yield
    frozen.stop()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language (Chinese), whatever an earlier one chose."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Iterator[None]:
    """What one test wrote and rolled back must not be remembered for the next: every cache a
    process keeps of the database (`core.process_caches`) and Django's own (per process in the
    tests), before and after each test."""
    from django.core.cache import cache

    from chengxin.core import process_caches, regions

    def forget() -> None:
        process_caches.forget_all()
        regions.assume_no_region()  # the test database starts empty: the settings' names
        cache.clear()

    forget()
    yield
    forget()


@pytest.fixture(autouse=True)
def _api_answers_match_their_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every answer under /api/v1/ that a test receives is checked against the OpenAPI document
    its API serves: a documented status, a body matching its schema (ADR 0022)."""
    from django.test import Client

    from chengxin.core.tests.api_schema import validating_client_request

    monkeypatch.setattr(Client, "request", validating_client_request(Client.request))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Iterator[Any]:
    outcome: Any = yield
    """Under CI=true nothing may skip: a missing dependency is a failure, not a skip."""
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true (nothing may skip in CI): {report.longrepr}"
