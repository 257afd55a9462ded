"""The disputes factories, and a fixed "today" so date rules do not drift with the clock."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest

from chengxin.disputes import models
from chengxin.disputes.tests.fixtures import *  # noqa: F403

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> Iterator[datetime.date]:
    monkeypatch.setattr(models, "today", lambda: TODAY)
    yield TODAY
