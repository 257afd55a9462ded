"""Eligibility as dated rules: 58号令 until 2026-03-31, 《信用修复管理办法》 from 2026-04-01."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from chengxin.accounts.models import Department
from chengxin.portal.tests.fixtures import company, penalty
from chengxin.repair.rules import entry_eligibility, penalty_eligibility
from chengxin.screening.models import ListEntry

pytestmark = pytest.mark.django_db

SAFETY = {"violation_type": "未履行安全生产管理职责", "legal_basis": "《安全生产法》第九十七条"}


def test_too_early_is_refused_with_the_date_it_becomes_eligible(make_department) -> None:
    record = penalty(
        company(), make_department(), decision_date=datetime.date(2026, 7, 10), severity="general"
    )
    early = penalty_eligibility(record, datetime.date(2026, 10, 9))
    assert not early.eligible and early.eligible_from == datetime.date(2026, 10, 10)
    assert "2026-10-10" in early.reason and "信用修复管理办法" in early.citation
    assert penalty_eligibility(record, datetime.date(2026, 10, 10)).eligible  # the boundary day


def test_safety_penalty_needs_a_year_under_58_but_3_months_as_general_after_2026_04_01(
    make_department: Callable[..., Department],
) -> None:
    department = make_department()
    old = penalty(company(), department, decision_date=datetime.date(2026, 3, 31), **SAFETY)
    new = penalty(
        company(), department, decision_date=datetime.date(2026, 4, 1), severity="general", **SAFETY
    )
    on = datetime.date(2026, 11, 27)
    old_verdict = penalty_eligibility(old, on)
    assert not old_verdict.eligible and old_verdict.eligible_from == datetime.date(2027, 3, 31)
    assert "58号" in old_verdict.citation
    assert penalty_eligibility(new, on).eligible


def test_serious_needs_a_year_and_minor_none(make_department, settings) -> None:
    from chengxin.core.models import LocalSetting

    department = make_department()
    decided = datetime.date(2026, 6, 1)
    serious = penalty(company(), department, decision_date=decided, severity="serious")
    verdict = penalty_eligibility(serious, datetime.date(2026, 11, 27))
    assert not verdict.eligible and verdict.eligible_from == datetime.date(2027, 6, 1)
    LocalSetting.objects.create(key="publicity.publish_minor_penalties", value="1")
    from chengxin.core import local_settings

    local_settings.clear_cache()
    minor = penalty(
        company(), department, decision_date=datetime.date(2026, 8, 1), severity="minor"
    )
    assert penalty_eligibility(minor, datetime.date(2026, 8, 2)).eligible  # as soon as fulfilled


def test_a_penalty_no_longer_public_needs_no_repair(make_department) -> None:
    record = penalty(
        company(), make_department(), decision_date=datetime.date(2023, 1, 10), severity="general"
    )
    verdict = penalty_eligibility(record, datetime.date(2026, 11, 27))  # 527号: max 1 year
    assert not verdict.eligible and verdict.eligible_from is None


def test_list_entries_unrepairable_by_law_are_refused(make_entry: Callable[..., ListEntry]) -> None:
    on = datetime.date(2026, 11, 27)
    defaulter = make_entry("judgment_defaulter", listing_authority="台儿庄区人民法院")
    verdict = entry_eligibility(defaulter, on)
    assert not verdict.eligible and "不适用信用修复" in verdict.reason
    assert entry_eligibility(make_entry("procurement_violation"), on).eligible
    assert not entry_eligibility(make_entry("a_grade_taxpayer"), on).eligible
