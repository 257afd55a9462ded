"""The tests' one clock: a test that needs a given date moves the whole process there.

Freezing only the code's "today" (a monkeypatched `_today()`) while fixtures read the machine's
clock made tests that pass until the real date moves on (a penalty dated "150 days ago" stops
being repairable on a frozen 2026-09-30 once the machine's date passes 2026-11-30). time-machine
moves every clock read of the process at once: the code, the fixtures, the live server's thread
and Django's `timezone.now()` / `localdate()`.

- `@pytest.mark.today(datetime.date(2026, 9, 30))`: the test and its fixtures run on that day
  (10:00 in Beijing, frozen), applied before any other fixture is built.
- the `clock` fixture: `clock.travel(day)` moves the frozen clock during the test.
- `CHENGXIN_TEST_CLOCK_SHIFT_DAYS=N`: the whole run reads a clock N days ahead (ticking), so a
  test that only holds until some date fails N days before that date instead of on it. One CI leg
  runs this way.
"""

from __future__ import annotations

import datetime
import os
import zoneinfo
from typing import Any

import time_machine
from django.conf import settings

SHIFT_VARIABLE = "CHENGXIN_TEST_CLOCK_SHIFT_DAYS"


def beijing_morning(day: datetime.date | datetime.datetime) -> datetime.datetime:
    """A date as 10:00 of that day in the site's time zone; an aware datetime as it is."""
    if isinstance(day, datetime.datetime):
        if day.tzinfo is None:
            return day.replace(tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
        return day
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=zone)


class Clock:
    """Moves the process's clock for one test; stopped when the test ends."""

    def __init__(self) -> None:
        self._travellers: list[Any] = []

    def travel(self, day: datetime.date | datetime.datetime, *, tick: bool = False) -> None:
        self.stop()
        traveller = time_machine.travel(beijing_morning(day), tick=tick)
        traveller.start()
        self._travellers.append(traveller)

    def stop(self) -> None:
        while self._travellers:
            self._travellers.pop().stop()


def shift_days() -> int:
    """The run's clock shift in days (0 when the variable is not set)."""
    value = os.environ.get(SHIFT_VARIABLE, "").strip()
    if not value:
        return 0
    if not value.lstrip("-").isdigit():
        raise ValueError(f"{SHIFT_VARIABLE} must be a whole number of days, not {value!r}")
    return int(value)


def start_shift(days: int) -> Any:
    """Move the whole run's clock `days` ahead, ticking; returns the traveller to stop."""
    traveller = time_machine.travel(
        datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=days), tick=True
    )
    traveller.start()
    return traveller
