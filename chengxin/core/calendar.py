"""Official Chinese working days, including 调休 make-up days.

Statutory time limits in days are working days: 行政处罚法 art. 85 and 行政许可法 art. 82 count
"工作日" without statutory holidays, and the day of the event is not counted. The official schedule
comes from the `chinesecalendar` package (2004–2026 in 1.11.0) and from WorkdayOverride rows an
administrator enters from the State Council notice (next year's is published each November).

For a year neither knows, a day counts as a working day when it is Monday–Friday; this is a
fallback, not a guess presented as fact: `calendar_is_official(year)` says False and the staff
dashboard shows a warning until the notice is entered.
"""

from __future__ import annotations

import datetime
import threading
import time
from functools import lru_cache
from typing import Any

import chinese_calendar
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from chengxin.core import process_caches

# Another process's edits reach this one within this many seconds; its own edits at once.
CACHE_SECONDS = 300

_lock = threading.Lock()
_cache: dict[str, Any] = {"loaded_at": float("-inf"), "overrides": {}, "notice_years": frozenset()}


def _load() -> dict[str, Any]:
    from chengxin.core.models import DayKind, HolidayNotice, WorkdayOverride

    with _lock:
        if time.monotonic() - _cache["loaded_at"] < CACHE_SECONDS:
            return _cache
        overrides = {
            day: kind == DayKind.WORK
            for day, kind in WorkdayOverride.objects.values_list("date", "kind")
        }
        _cache["overrides"] = overrides
        _cache["notice_years"] = frozenset(HolidayNotice.objects.values_list("year", flat=True))
        _cache["loaded_at"] = time.monotonic()
        return _cache


def cache_stamp() -> float:
    """Changes whenever the overrides are reloaded: a key for caches of computed deadlines."""
    return float(_load()["loaded_at"])


def clear_cache(**_kwargs: Any) -> None:
    with _lock:
        _cache["loaded_at"] = float("-inf")


process_caches.register("calendar", clear_cache)


def connect_cache_invalidation() -> None:
    from chengxin.core.models import HolidayNotice, WorkdayOverride

    def invalidate(**kwargs: Any) -> None:
        clear_cache()
        transaction.on_commit(clear_cache)  # a rolled-back edit must not stay cached either

    for model in (HolidayNotice, WorkdayOverride):
        uid = f"calendar-{model.__name__}"
        post_save.connect(invalidate, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(invalidate, sender=model, weak=False, dispatch_uid=f"{uid}-delete")


@lru_cache(maxsize=64)
def package_knows(year: int) -> bool:
    """Whether the installed chinesecalendar has the official schedule for `year`."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def calendar_is_official(year: int) -> bool:
    """True when `year`'s holidays come from the package or from an entered State Council notice."""
    return package_knows(year) or year in _load()["notice_years"]


def is_working_day(day: datetime.date) -> bool:
    override = _load()["overrides"].get(day)
    if override is not None:
        return bool(override)
    if package_knows(day.year):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The day on which `n` working days after `start` end; `start` itself is not counted.

    add_working_days(2020-09-28, 7) == 2020-10-14 (the National Day week is skipped, the
    Saturday 2020-10-10 make-up day counts). A negative `n` counts backwards.
    """
    step = datetime.timedelta(days=1 if n >= 0 else -1)
    day, remaining = start, abs(n)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count


def unofficial_years_ahead(today: datetime.date) -> list[int]:
    """Years that deadlines computed now may reach and whose holidays are not entered.

    The current year always; the next one from November, when its notice is usually published
    and when deadlines started in late December already run into it.
    """
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    return [year for year in years if not calendar_is_official(year)]


def calendar_warnings(today: datetime.date) -> list[str]:
    return [
        _(
            "%(year)s 年的法定节假日和调休安排尚未录入：期限暂按周一至周五计算。"
            "请系统管理员按国务院办公厅通知录入。"
        )
        % {"year": year}
        for year in unofficial_years_ahead(today)
    ]
