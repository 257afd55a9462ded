"""《信用修复管理办法》（国家发展改革委令第36号）: 简易程序, the default 轻微 class (第八条), and
what happens on 2026-04-01 to penalties already in publicity (a district's transitional rule)."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

import pytest

from chengxin.core.models import LocalSetting
from chengxin.publicity import standard
from chengxin.publicity.choices import RecordKind
from chengxin.publicity.models import content_hash
from chengxin.publicity.rules import Transition, default_severity, transitional_public_until
from chengxin.publicity.visibility import public_until

D = datetime.date
pytestmark = pytest.mark.django_db


def penalty(decided: datetime.date, categories: list[str], **values: Any) -> dict[str, Any]:
    return {
        "decision_date": decided,
        "penalty_categories": categories,
        "violation_type": "销售过期食品",
        "legal_basis": "《食品安全法》第一百二十四条",
        "publicity_end_date": None,
        "is_summary_procedure": False,
    } | values


# --- the default class (第八条) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("decided", "categories", "summary", "expected"),
    [
        (D(2026, 4, 1), ["警告"], False, "minor"),  # 普通程序 警告: 轻微
        (D(2026, 4, 1), ["通报批评"], False, "minor"),
        (D(2026, 4, 1), ["警告", "通报批评"], False, "minor"),
        (D(2026, 4, 1), ["罚款"], True, "minor"),  # 简易程序 fine: 轻微
        (D(2026, 4, 1), ["警告", "罚款"], False, ""),  # a fine by 普通程序: 一般
        (D(2026, 4, 1), [], False, ""),
        (D(2026, 3, 31), ["警告"], True, ""),  # before the measure: no default class
    ],
)
def test_default_class(decided, categories, summary, expected) -> None:
    assert default_severity(decided, categories, summary) == expected


def test_a_warning_or_a_summary_penalty_of_april_is_not_published() -> None:
    assert public_until(RecordKind.PENALTY, penalty(D(2026, 4, 2), ["警告"])) is None
    spot_fine = penalty(D(2026, 4, 2), ["罚款"], is_summary_procedure=True)
    assert public_until(RecordKind.PENALTY, spot_fine) is None
    fine = penalty(D(2026, 4, 2), ["罚款"])
    assert public_until(RecordKind.PENALTY, fine) == D(2027, 4, 2)  # 一般: 1 year
    # The credit office's class wins over the default (a warning classed 一般 is published).
    assert public_until(RecordKind.PENALTY, penalty(D(2026, 4, 2), ["警告"]), "general") == D(
        2027, 4, 2
    )


# --- the transitional rule ----------------------------------------------------------------


def test_an_older_warning_does_not_outlive_a_newer_one() -> None:
    """The symptom the rule is judged against: a 警告 of 2025-12-01 (58号令: 3 years) ran to
    2028-12-01 while one of 2026-04-02 is not published at all."""
    older = public_until(RecordKind.PENALTY, penalty(D(2025, 12, 1), ["警告"]))
    newer = public_until(RecordKind.PENALTY, penalty(D(2026, 4, 2), ["警告"]))
    assert newer is None
    assert older == D(2026, 3, 31)  # public until the day before the measure, not retroactively


@pytest.mark.parametrize(
    ("transition", "warning_until", "fine_until"),
    [
        (Transition.SHORTER, D(2026, 3, 31), D(2026, 12, 1)),
        (Transition.OLD, D(2028, 12, 1), D(2028, 12, 1)),  # 58号令: 3 years for all
        (Transition.NEW, D(2026, 3, 31), D(2026, 12, 1)),
    ],
)
def test_the_district_chooses_the_transitional_rule(transition, warning_until, fine_until) -> None:
    LocalSetting.objects.create(key="publicity.transition_2026_04_01", value=str(transition))
    warning = penalty(D(2025, 12, 1), ["警告"])
    fine = penalty(D(2025, 12, 1), ["罚款"], fine_amount=decimal.Decimal("0.5"))
    assert public_until(RecordKind.PENALTY, warning) == warning_until
    assert public_until(RecordKind.PENALTY, fine) == fine_until


def test_a_penalty_that_ended_before_2026_04_01_is_untouched() -> None:
    # 527号 regime: 一般 1 year, so a fine of 2023-01-10 ended on 2024-01-10.
    assert public_until(RecordKind.PENALTY, penalty(D(2023, 1, 10), ["罚款"])) == D(2024, 1, 10)


@pytest.mark.parametrize(
    ("old", "new", "transition", "expected"),
    [
        (D(2028, 12, 1), None, Transition.SHORTER, D(2026, 3, 31)),
        (D(2026, 3, 31), None, Transition.SHORTER, D(2026, 3, 31)),  # ended the eve: untouched
        (D(2026, 4, 1), None, Transition.SHORTER, D(2026, 3, 31)),  # boundary: public that day
        (D(2026, 6, 1), D(2026, 9, 1), Transition.SHORTER, D(2026, 6, 1)),  # old was shorter
        (D(2026, 6, 1), D(2026, 9, 1), Transition.NEW, D(2026, 9, 1)),
        (None, D(2026, 9, 1), Transition.SHORTER, None),  # never published: stays so
    ],
)
def test_transitional_end(old, new, transition, expected) -> None:
    assert transitional_public_until(old, new, transition) == expected


# --- the 简易程序 flag: our CF_JYCX, refused beyond 行政处罚法 art. 51 -------------------------


def problems(values: dict[str, Any]) -> list[str]:
    found = standard.check(RecordKind.PENALTY, values, today=D(2026, 12, 7))
    return [str(p) for p in found if p.field.attr == "is_summary_procedure"]


def summary(decided: datetime.date, category: str, categories: list[str], fine: str | None):
    return penalty(
        decided,
        categories,
        subject_category=category,
        fine_amount=decimal.Decimal(fine) if fine is not None else None,
        is_summary_procedure=True,
    )


@pytest.mark.parametrize(
    ("decided", "category", "categories", "fine", "refused"),
    [
        (D(2026, 5, 1), "natural_person", ["警告"], None, False),
        (D(2026, 5, 1), "natural_person", ["罚款"], "0.02", False),  # 200 yuan: the limit
        (D(2026, 5, 1), "natural_person", ["罚款"], "0.0201", True),  # 201 yuan
        (D(2026, 5, 1), "individual_business", ["罚款"], "0.03", True),  # 民法典 art. 54: 公民
        (D(2026, 5, 1), "legal_entity", ["罚款"], "0.3", False),  # 3,000 yuan: the limit
        (D(2026, 5, 1), "legal_entity", ["罚款"], "0.3001", True),
        (D(2026, 5, 1), "legal_entity", ["罚款", "没收违法所得"], "0.1", True),
        (D(2021, 7, 14), "natural_person", ["罚款"], "0.006", True),  # 2017 law: 50 yuan
        (D(2021, 7, 15), "natural_person", ["罚款"], "0.006", False),  # 2021 law: 200 yuan
    ],
)
def test_a_summary_procedure_flag_beyond_the_law_is_refused(
    decided, category, categories, fine, refused
) -> None:
    found = problems(summary(decided, category, categories, fine))
    assert bool(found) == refused, found
    if refused:
        assert found[0].startswith("CF_JYCX（简易程序）：")


def test_the_amount_never_sets_the_flag() -> None:
    small_fine = penalty(D(2026, 5, 1), ["罚款"], fine_amount=decimal.Decimal("0.01"))
    assert public_until(RecordKind.PENALTY, small_fine) == D(2027, 5, 1)  # 一般, not 轻微


@pytest.mark.parametrize(
    ("cell", "expected"), [("是", True), ("否", False), ("Y", True), ("0", False), ("", False)]
)
def test_the_flag_column_reads_chinese_and_codes(cell, expected) -> None:
    values, found = standard.parse_row(RecordKind.PENALTY, {"is_summary_procedure": cell})
    assert values["is_summary_procedure"] is expected and not found


def test_a_bad_flag_cell_is_a_problem_naming_the_field() -> None:
    _values, found = standard.parse_row(RecordKind.PENALTY, {"is_summary_procedure": "也许"})
    assert [str(p) for p in found] == ["CF_JYCX（简易程序）：应为“是”或“否”：也许"]


def test_records_without_the_flag_keep_their_content_hash() -> None:
    values = {attr: "" for attr in standard.attrs(RecordKind.PENALTY)}
    without = {k: v for k, v in values.items() if k != "is_summary_procedure"}
    assert content_hash(RecordKind.PENALTY, values | {"is_summary_procedure": False}) == (
        content_hash(RecordKind.PENALTY, without)
    )
    assert content_hash(RecordKind.PENALTY, values | {"is_summary_procedure": True}) != (
        content_hash(RecordKind.PENALTY, without)
    )
