"""The disputes factories, and a fixed "today" so date rules do not drift with the clock.

The whole process reads that day (chengxin.core.tests.clock), fixtures included: the factories'
dates and the rules' "today" cannot disagree.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest

from chengxin.core.tests.clock import Clock
from chengxin.disputes.tests.fixtures import *  # noqa: F403

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today() -> Iterator[datetime.date]:
    frozen = Clock()
    frozen.travel(TODAY, tick=True)
    yield TODAY
    frozen.stop()
