"""Publicity periods as dated rule sets: the regime of the decision date decides."""

from __future__ import annotations

import datetime

import pytest

from chengxin.core.dates import add_months
from chengxin.core.models import LocalSetting
from chengxin.publicity.choices import RecordKind
from chengxin.publicity.rules import penalty_public_until, publicity_regime_on
from chengxin.publicity.visibility import public_until

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2026, 4, 1), 36, D(2029, 4, 1)),
    ],
)
def test_add_months(day, months, expected) -> None:
    assert add_months(day, months) == expected


def test_each_regime_from_its_effective_date() -> None:
    assert "527号" in publicity_regime_on(D(2023, 4, 30)).citation
    assert "58号" in publicity_regime_on(D(2023, 5, 1)).citation
    assert "58号" in publicity_regime_on(D(2026, 3, 31)).citation
    assert publicity_regime_on(D(2026, 4, 1)).citation.startswith("《信用修复管理办法》")


@pytest.mark.parametrize(
    ("decided", "severity", "expected"),
    [
        # 58号令: at most 3 years, whatever the class.
        (D(2026, 3, 31), "", D(2029, 3, 31)),
        (D(2026, 3, 31), "minor", D(2029, 3, 31)),
        # From 2026-04-01: 一般 1 year, 严重 3 years, 轻微 not published.
        (D(2026, 4, 1), "general", D(2027, 4, 1)),
        (D(2026, 4, 1), "", D(2027, 4, 1)),  # not classified yet: 一般
        (D(2026, 4, 1), "serious", D(2029, 4, 1)),
        (D(2026, 4, 1), "minor", None),
        # Before 58号令: 527号, 一般 1 year, 严重 3 years.
        (D(2022, 6, 1), "general", D(2023, 6, 1)),
        (D(2022, 6, 1), "serious", D(2025, 6, 1)),
    ],
)
def test_penalty_public_until_on_both_sides_of_2026_04_01(decided, severity, expected) -> None:
    assert penalty_public_until(decided, severity, "销售过期食品", None) == expected


def test_a_requested_end_is_kept_inside_the_legal_range() -> None:
    decided = D(2026, 5, 1)  # 一般: 3 months to 1 year
    assert penalty_public_until(decided, "general", "", D(2026, 12, 1)) == D(2026, 12, 1)
    assert penalty_public_until(decided, "general", "", D(2026, 6, 1)) == D(2026, 8, 1)  # minimum
    assert penalty_public_until(decided, "general", "", D(2030, 1, 1)) == D(2027, 5, 1)  # maximum


def test_the_58_order_minimum_is_one_year_for_safety_fire_and_special_equipment() -> None:
    decided = D(2025, 1, 10)
    assert penalty_public_until(decided, "", "未按规定检验特种设备", D(2025, 6, 1)) == D(
        2026, 1, 10
    )
    assert penalty_public_until(decided, "", "违反《消防法》", D(2025, 6, 1)) == D(2026, 1, 10)
    assert penalty_public_until(decided, "", "销售过期食品", D(2025, 6, 1)) == D(2025, 6, 1)


def test_publishing_minor_penalties_is_a_local_choice_of_at_most_3_months(db) -> None:
    values = {
        "decision_date": D(2026, 5, 1),
        "violation_type": "",
        "legal_basis": "",
        "publicity_end_date": None,
    }
    assert public_until(RecordKind.PENALTY, values, "minor") is None
    LocalSetting.objects.create(key="publicity.publish_minor_penalties", value="是")
    assert public_until(RecordKind.PENALTY, values, "minor") == D(2026, 8, 1)


@pytest.mark.parametrize(
    ("state", "valid_to", "expected"),
    [("1", D(2030, 1, 1), D(2030, 1, 1)), ("", None, D(2099, 12, 31)), ("2", D(2030, 1, 1), None)],
)
def test_licences_are_public_while_valid(db, state, valid_to, expected) -> None:
    assert (
        public_until(RecordKind.LICENSE, {"license_state": state, "valid_to": valid_to}) == expected
    )
