"""纠错率, 出庭率, 调解成功率 and 合格率 from fixture data, with their boundary cases."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from chengxin.disputes.models import (
    Hearing,
    MediationCase,
    PreAppointmentExam,
    Reconsideration,
)
from chengxin.disputes.rates import Rate

pytestmark = pytest.mark.django_db
D = datetime.date


def test_rate_of_nothing_is_no_data_not_zero_or_hundred() -> None:
    assert Rate(0, 0).value is None and str(Rate(0, 0)) == "无数据"
    assert Rate(0, 3).value == Decimal("0.0") and Rate(3, 3).value == Decimal("100.0")
    assert Rate(2, 3).value == Decimal("66.7") and str(Rate(1, 8)) == "12.5%"
    assert Rate(1, 2) + Rate(0, 0) == Rate(1, 2)


# --- 纠错率 -----------------------------------------------------------------------------------------


def _decide(make, department, day: datetime.date, result: str) -> Reconsideration:
    return make(  # type: ignore[no-any-return]
        department=department,
        received_on=day - datetime.timedelta(days=30),
        accepted_on=day - datetime.timedelta(days=29),
        decided_on=day,
        result=result,
    )


def test_correction_rate_counts_correcting_results_of_decisions_in_the_year(
    make_reconsideration, bureau, other_bureau
) -> None:
    for result in ("revoked", "varied", "confirmed_illegal", "upheld", "dismissed", "terminated"):
        _decide(make_reconsideration, bureau, D(2026, 6, 1), result)
    _decide(make_reconsideration, bureau, D(2026, 7, 1), "ordered_to_perform")
    _decide(make_reconsideration, bureau, D(2026, 7, 1), "confirmed_void")
    _decide(make_reconsideration, bureau, D(2025, 12, 31), "revoked")  # another year
    _decide(make_reconsideration, other_bureau, D(2026, 3, 1), "upheld")
    make_reconsideration(department=other_bureau)  # undecided: not counted

    rate = Reconsideration.objects.decided_in(2026).correction_rate()
    assert (rate.numerator, rate.denominator) == (5, 9)
    by_department = Reconsideration.objects.correction_rates_by_department(2026)
    assert by_department == {bureau.pk: Rate(5, 8), other_bureau.pk: Rate(0, 1)}
    assert by_department[other_bureau.pk].value == Decimal("0.0")
    assert Reconsideration.objects.correction_rates_by_department(2024) == {}
    assert Reconsideration.objects.decided_in(2024).correction_rate().value is None


def test_mediated_and_terminated_are_not_corrections(make_reconsideration, bureau) -> None:
    _decide(make_reconsideration, bureau, D(2026, 6, 1), "mediated")
    _decide(make_reconsideration, bureau, D(2026, 6, 1), "terminated")
    assert Reconsideration.objects.decided_in(2026).correction_rate() == Rate(0, 2)


# --- 出庭率 -----------------------------------------------------------------------------------------


def test_no_hearings_means_no_data(make_litigation) -> None:
    make_litigation()  # a case without hearings
    assert Hearing.objects.in_year(2026).appearance_rate().value is None
    assert Hearing.objects.appearance_rates_by_department(2026) == {}


def test_head_absent_once_of_three_hearings(make_hearing, make_litigation, bureau) -> None:
    case = make_litigation()
    make_hearing(case, appeared=True, held_on=D(2026, 3, 3))
    make_hearing(case, appeared=False, held_on=D(2026, 4, 7))
    make_hearing(make_litigation(), appeared=True, held_on=D(2026, 9, 9))
    rate = Hearing.objects.in_year(2026).appearance_rate()
    assert rate == Rate(2, 3) and rate.value == Decimal("66.7")
    assert case.appearance_rate() == Rate(1, 2)
    assert Hearing.objects.appearance_rates_by_department(2026) == {bureau.pk: Rate(2, 3)}


def test_what_the_appearance_rate_leaves_out(make_hearing, make_litigation, other_bureau) -> None:
    make_hearing(appeared=True, held_on=D(2026, 5, 5))
    make_hearing(held_on=D(2026, 6, 6))  # held, not yet recorded: reported, not counted
    make_hearing(held_on=D(2026, 12, 10))  # scheduled
    make_hearing(held_on=D(2026, 6, 7), appearance_required=False)  # no appearance needed
    last_year = make_litigation(filed_on=D(2025, 10, 1))
    make_hearing(last_year, appeared=False, held_on=D(2025, 11, 3))  # last year
    make_hearing(make_litigation(department=other_bureau), appeared=False, held_on=D(2026, 2, 2))
    hearings = Hearing.objects.in_year(2026)
    assert hearings.appearance_rate() == Rate(1, 2)
    assert hearings.unrecorded().count() == 1
    rates = Hearing.objects.appearance_rates_by_department(2026)
    assert rates[other_bureau.pk].value == Decimal("0.0")


def test_a_hearing_counts_in_the_year_it_was_held_on_the_day_asked(make_hearing) -> None:
    hearing = make_hearing(appeared=True, held_on=D(2026, 3, 3))
    assert Hearing.objects.appearance_rate(on=D(2026, 3, 2)) == Rate(0, 0)
    assert Hearing.objects.appearance_rate(on=D(2026, 3, 3)) == Rate(1, 1)
    assert hearing.litigation.appearance_rate(on=D(2026, 3, 3)).value == Decimal("100.0")


# --- 调解成功率 and 合格率 -------------------------------------------------------------------------


def test_mediation_success_rate_counts_closed_cases(make_mediation_case) -> None:
    make_mediation_case(closed_on=D(2026, 5, 8), result="succeeded", agreement="赔偿 500 元")
    make_mediation_case(closed_on=D(2026, 5, 9), result="failed")
    make_mediation_case()  # open
    assert MediationCase.objects.closed_in(2026).success_rate() == Rate(1, 2)
    assert MediationCase.objects.closed_in(2025).success_rate().value is None


def test_exam_pass_rate_uses_the_pass_mark_stored_with_each_score(make_exam) -> None:
    make_exam(score=Decimal("60"))
    make_exam(score=Decimal("59.5"))
    strict = make_exam(score=Decimal("70"))
    PreAppointmentExam.objects.filter(pk=strict.pk).update(pass_mark=Decimal("80"))
    assert PreAppointmentExam.objects.in_year(2026).pass_rate() == Rate(1, 3)
    assert PreAppointmentExam.objects.in_year(2025).pass_rate().value is None
