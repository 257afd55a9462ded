"""Cases and the 双公示 penalty records: linking, the warning/error setting, the 网外循环 report,
and 事后公开 timeliness counted on the official calendar."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.agencies.models import EnforcementBody
from chengxin.cases import actions, rules, statistics
from chengxin.cases.choices import CaseStatus, EventType, PublicityTimeliness, StepKind
from chengxin.cases.models import Case, CaseEvent
from chengxin.cases.tests.fixtures import advance, decide_now
from chengxin.core import local_settings
from chengxin.core.models import LocalSetting
from chengxin.portal.tests.fixtures import company, penalty
from chengxin.publicity.models import PenaltyRecord

pytestmark = pytest.mark.django_db

NATIONAL_DAY_EVE = datetime.date(2026, 9, 28)  # Monday; 10/1–10/7 off, Saturday 10/10 worked


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def body_penalty(body: EnforcementBody, **fields: Any) -> PenaltyRecord:
    assert body.department is not None
    return penalty(
        company(),
        body.department,
        authority=body.name,
        authority_credit_code=body.credit_code,
        **fields,
    )


# --- 事后公开 -------------------------------------------------------------------------------------


def test_publicity_deadlines_skip_national_day() -> None:
    # 7 working days: 9/29, 9/30, 10/8, 10/9, 10/10 (make-up Saturday), 10/12, 10/13.
    assert rules.publicity_deadline(NATIONAL_DAY_EVE, "penalty") == datetime.date(2026, 10, 13)
    assert rules.publicity_deadline(NATIONAL_DAY_EVE, "license") == datetime.date(2026, 10, 13)
    # Weekday arithmetic would say 10/7, in the middle of the holiday.
    assert rules.publicity_deadline(NATIONAL_DAY_EVE, "inspection") == datetime.date(2026, 10, 30)


@pytest.mark.parametrize(
    ("published", "verdict"),
    [
        (datetime.date(2026, 10, 13), PublicityTimeliness.ON_TIME),  # the last day
        (datetime.date(2026, 10, 14), PublicityTimeliness.LATE),
        (None, PublicityTimeliness.OVERDUE),
    ],
)
def test_a_decision_before_national_day_is_public_in_time_up_to_the_seventh_working_day(
    make_case: Callable[..., Case],
    handler: User,
    case_body: EnforcementBody,
    make_enforcement_officer: Callable[..., Any],
    make_power_item: Callable[..., Any],
    case_department: Department,
    published: datetime.date | None,
    verdict: str,
) -> None:
    # officers and a power item valid in September 2026 whatever day the test runs
    valid = {"certificate_valid_from": datetime.date(2026, 1, 1)}
    valid["certificate_valid_until"] = datetime.date(2099, 12, 31)
    officers = [make_enforcement_officer(body=case_body, **valid) for _ in range(2)]
    # A licence decision: its 事后公开 is a date the body records (a penalty's is its 双公示
    # record's publication: test_penalty_records.py). Both have 7 working days.
    item = make_power_item(
        category="license",
        effective_on=datetime.date(2026, 1, 1),
        implementing_department=case_department,
    )
    case = make_case(registered_on=datetime.date(2026, 9, 1), officers=officers, power_item=item)
    actions.record_step(
        case, StepKind.INVESTIGATION, actor=handler, occurred_at=at(NATIONAL_DAY_EVE, 8)
    )
    actions.record_step(
        case, StepKind.NOTIFICATION, actor=handler, occurred_at=at(NATIONAL_DAY_EVE, 9)
    )
    case = decide_now(
        case,
        actor=handler,
        decision_number="台市监罚〔2026〕901号",
        decision_summary="警告。",
        occurred_at=at(NATIONAL_DAY_EVE),
    )
    assert case.decided_on == NATIONAL_DAY_EVE
    assert case.publicity_deadline == datetime.date(2026, 10, 13)
    if published is not None:
        case = actions.record_case_publication(case, actor=handler, published_on=published)
        assert CaseEvent.objects.filter(case=case, type=EventType.PUBLISHED).exists()
    september = Case.objects.decided_between(datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))
    (row,) = statistics.publicity_by_body(september)
    assert row.decided == 1
    counts = {
        PublicityTimeliness.ON_TIME: row.on_time,
        PublicityTimeliness.LATE: row.late,
        PublicityTimeliness.OVERDUE: row.overdue,
    }
    assert counts[verdict] == 1 and sum(counts.values()) == 1
    assert Case.objects.publicity_overdue(on=datetime.date(2026, 10, 14)).exists() is (
        published is None
    )


def test_a_general_decision_has_twenty_working_days(
    make_case: Callable[..., Case],
    handler: User,
    make_power_item: Callable[..., Any],
    case_department: Department,
) -> None:
    item = make_power_item(
        category="inspection",
        name="对食品生产经营的监督检查",
        implementing_department=case_department,
    )
    case = advance(make_case(power_item=item), handler, CaseStatus.NOTIFIED)
    case = decide_now(
        case, actor=handler, decision_number="台市监检〔2026〕1号", decision_summary="责令整改"
    )
    assert case.publicity_deadline == rules.publicity_deadline(case.decided_on, "inspection")
    assert rules.publicity_working_days("inspection") == 20
    assert rules.publicity_timeliness(case.publicity_deadline, None, case.decided_on) == (
        PublicityTimeliness.PENDING
    )


# --- linking and the warning / error setting ------------------------------------------------


def test_deciding_links_the_bodys_penalty_record_and_counts_its_publication(
    make_case: Callable[..., Case], handler: User, case_body: EnforcementBody
) -> None:
    record = body_penalty(
        case_body, decision_number="台市监罚〔2026〕77号", published_at=timezone.now()
    )
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    case = decide_now(
        case, actor=handler, decision_number="台市监罚〔2026〕77号", decision_summary="罚款"
    )
    record.refresh_from_db()
    assert record.case == case and record.power_item_id == case.power_item_id
    assert case.published_on is not None  # the published record is the 事后公开
    assert CaseEvent.objects.filter(case=case, type=EventType.PENALTY_LINKED).exists()


def set_policy(value: str) -> None:
    LocalSetting.objects.update_or_create(
        key="cases.penalty_without_case", defaults={"value": value}
    )
    local_settings.clear_cache()


def unsaved_penalty(body: EnforcementBody, number: str) -> PenaltyRecord:
    record = body_penalty(body, decision_number=number)
    record.status = "draft"
    return record


def test_error_setting_refuses_a_body_penalty_without_a_case(
    case_body: EnforcementBody,
) -> None:
    record = unsaved_penalty(case_body, "台市监罚〔2026〕88号")
    set_policy("warning")
    record.full_clean()  # accepted, listed in the 网外循环 report
    set_policy("error")
    with pytest.raises(ValidationError, match="没有对应的在线办理案件"):
        record.full_clean()


def test_error_setting_spares_decisions_before_the_local_start_date(
    case_body: EnforcementBody,
) -> None:
    record = unsaved_penalty(case_body, "台市监罚〔2026〕89号")
    decided = record.decision_date
    set_policy("error")
    LocalSetting.objects.create(
        key="cases.penalty_case_required_from",
        value=(decided + datetime.timedelta(days=1)).isoformat(),
    )
    local_settings.clear_cache()
    record.full_clean()  # decided before online handling became mandatory: still correctable
    LocalSetting.objects.filter(key="cases.penalty_case_required_from").update(
        value=decided.isoformat()
    )
    local_settings.clear_cache()
    with pytest.raises(ValidationError, match="没有对应的在线办理案件"):
        record.full_clean()


def test_error_setting_accepts_a_penalty_with_its_case_and_links_it(
    make_case: Callable[..., Case], handler: User, case_body: EnforcementBody
) -> None:
    set_policy("error")
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    decide_now(case, actor=handler, decision_number="台市监罚〔2026〕99号", decision_summary="罚款")
    record = unsaved_penalty(case_body, "台市监罚〔2026〕99号")
    record.case = None
    record.full_clean()
    assert record.case == case


def test_error_setting_ignores_authorities_that_are_not_enforcement_bodies(
    make_department: Callable[..., Any],
) -> None:
    set_policy("error")
    department = make_department()
    record = penalty(company(), department, decision_number="台某罚〔2026〕1号")
    record.status = "draft"
    record.full_clean()  # the 处罚机关 is no enforcement body: nothing to reference


def test_a_revoked_body_is_no_longer_an_enforcement_body(
    case_body: EnforcementBody,
) -> None:
    assert case_body.credit_code in rules.enforcement_body_codes()
    EnforcementBody.objects.filter(pk=case_body.pk).update(
        status="revoked", revoked_on=localdate(), revoking_document="撤销文件"
    )
    assert case_body.credit_code not in rules.enforcement_body_codes()


# --- 网外循环 -------------------------------------------------------------------------------------


def test_the_off_network_report_finds_a_penalty_without_a_case(
    make_case: Callable[..., Case],
    handler: User,
    case_body: EnforcementBody,
    make_user: Callable[..., User],
    make_department: Callable[..., Any],
) -> None:
    admin = make_user(Role.RULE_OF_LAW_ADMIN)
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    decide_now(case, actor=handler, decision_number="台市监罚〔2026〕5号", decision_summary="罚款")
    with_case = body_penalty(case_body, decision_number="台市监罚〔2026〕5号")
    # imported after the decision and not linked yet: the 决定书文号 still finds the case
    assert with_case.case_id is None
    off_network = body_penalty(case_body, decision_number="台市监罚〔2026〕6号")
    not_a_body = penalty(company(), make_department(), decision_number="台某罚〔2026〕7号")
    found = list(statistics.off_network_penalties(admin))
    assert found == [off_network]
    assert not_a_body not in found
    assert list(statistics.off_network_penalties(admin, body=case_body)) == [off_network]
    decided = off_network.decision_date  # the factory's (all three records share it)
    assert not statistics.off_network_penalties(admin, start=decided + datetime.timedelta(days=1))
    assert statistics.online_share(decided, decided) == (2, 1)
