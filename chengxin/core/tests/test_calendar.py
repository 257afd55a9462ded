"""Working days on the official calendar, with 调休, overrides and the fallback year."""

from __future__ import annotations

import datetime

import pytest

from chengxin.accounts.choices import Role
from chengxin.core.calendar import (
    add_working_days,
    calendar_is_official,
    calendar_warnings,
    is_working_day,
    package_knows,
    working_days_between,
)
from chengxin.core.models import DayKind, HolidayNotice, WorkdayOverride

D = datetime.date


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # National Day + Mid-Autumn 2020: 10/1–10/8 off, Sat 10/10 a make-up workday.
        (D(2020, 9, 28), 7, D(2020, 10, 14)),
        (D(2020, 9, 30), 1, D(2020, 10, 9)),
        # Spring Festival 2020, extended to 2/2 by the 2020-01-27 notice; Sun 1/19 a workday.
        (D(2020, 1, 17), 1, D(2020, 1, 19)),
        (D(2020, 1, 23), 1, D(2020, 2, 3)),
        (D(2020, 1, 20), 7, D(2020, 2, 6)),
        # The start day is not counted, even when it is a working day.
        (D(2026, 11, 23), 1, D(2026, 11, 24)),
        # A start on a rest day: counting begins with the next working day.
        (D(2026, 11, 28), 1, D(2026, 11, 30)),
        (D(2026, 11, 24), 0, D(2026, 11, 24)),
        # 2025 Spring Festival: Sun 1/26 and Sat 2/8 are make-up workdays.
        (D(2025, 1, 25), 1, D(2025, 1, 26)),
        (D(2020, 10, 14), -7, D(2020, 9, 28)),
    ],
)
def test_add_working_days(db, start, n, expected) -> None:
    assert add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2020, 1, 19), True),  # Sunday make-up day
        (D(2020, 2, 1), False),  # Saturday make-up day cancelled by the extension
        (D(2020, 2, 3), True),
        (D(2020, 9, 27), True),
        (D(2020, 10, 10), True),
        (D(2020, 10, 8), False),
    ],
)
def test_official_days_2020(db, day, working) -> None:
    assert is_working_day(day) is working


def test_october_2020_has_17_working_days(db) -> None:
    assert working_days_between(D(2020, 9, 30), D(2020, 10, 31)) == 17


def test_package_range() -> None:
    assert package_knows(2026) and package_knows(2004)
    assert not package_knows(2027) and not package_knows(2003)


def test_an_unknown_year_falls_back_to_weekdays_and_says_so(db) -> None:
    assert calendar_is_official(2026)
    assert not calendar_is_official(2027)
    # 2027-01-01 is a Friday: the fallback calls it a working day, as Mon–Fri.
    assert is_working_day(D(2027, 1, 1))
    assert not is_working_day(D(2027, 1, 2))
    assert add_working_days(D(2026, 12, 28), 7) == D(2027, 1, 6)


def test_overrides_make_a_year_official_and_change_its_days(db) -> None:
    notice = HolidayNotice.objects.create(
        year=2027, title="国务院办公厅关于2027年部分节假日安排的通知"
    )
    assert calendar_is_official(2027)
    WorkdayOverride.objects.create(
        date=D(2027, 1, 1), kind=DayKind.REST, notice=notice, note="元旦"
    )
    assert not is_working_day(D(2027, 1, 1))
    # Friday 1-1 off: the seven days run to Thursday 1-7 instead of Wednesday 1-6.
    assert add_working_days(D(2026, 12, 28), 7) == D(2027, 1, 7)
    WorkdayOverride.objects.create(
        date=D(2027, 1, 2), kind=DayKind.WORK, notice=notice, note="调休"
    )
    assert is_working_day(D(2027, 1, 2))
    assert add_working_days(D(2026, 12, 28), 7) == D(2027, 1, 6)


def test_an_override_can_correct_a_known_year(db) -> None:
    notice = HolidayNotice.objects.create(year=2026, title="补充通知")
    WorkdayOverride.objects.create(date=D(2026, 11, 26), kind=DayKind.REST, notice=notice)
    assert not is_working_day(D(2026, 11, 26))
    assert add_working_days(D(2026, 11, 25), 1) == D(2026, 11, 27)


def test_deleting_an_override_takes_effect_at_once(db) -> None:
    notice = HolidayNotice.objects.create(year=2027, title="通知")
    override = WorkdayOverride.objects.create(date=D(2027, 3, 1), kind=DayKind.REST, notice=notice)
    assert not is_working_day(D(2027, 3, 1))
    override.delete()
    assert is_working_day(D(2027, 3, 1))


def test_warnings_name_the_missing_year(db) -> None:
    assert calendar_warnings(D(2026, 6, 1)) == []  # 2026 known; 2027 not yet due
    (warning,) = calendar_warnings(D(2026, 11, 26))
    assert "2027" in warning
    HolidayNotice.objects.create(year=2027, title="通知")
    assert calendar_warnings(D(2026, 11, 26)) == []
    assert len(calendar_warnings(D(2027, 11, 1))) == 1  # 2028


@pytest.mark.today(D(2026, 11, 26))
def test_dashboard_shows_the_warning(db, make_user, client) -> None:
    client.force_login(make_user(Role.CREDIT_ADMIN))
    page = client.get("/staff/").content.decode()
    assert "来年节假日安排尚未录入" in page and "2027 年" in page  # core.attention's item
    HolidayNotice.objects.create(year=2027, title="通知")
    assert "尚未录入" not in client.get("/staff/").content.decode()


def test_a_cleared_cache_reloads_even_on_a_machine_just_booted(db, monkeypatch) -> None:
    """The monotonic clock starts near zero at boot: "cleared" must not read as "fresh"."""
    from chengxin.core import calendar

    monkeypatch.setattr(calendar.time, "monotonic", lambda: 10.0)
    calendar.clear_cache()
    assert not calendar_is_official(2027)
    HolidayNotice.objects.create(year=2027, title="国务院办公厅关于2027年部分节假日安排的通知")
    assert calendar_is_official(2027)
