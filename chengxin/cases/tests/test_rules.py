"""Rules in isolation: review due dates on the official calendar (local settings), the officer
rule's messages, and the change log of every action."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils.timezone import localdate

from chengxin.accounts.models import User
from chengxin.audit.models import AuditEntry
from chengxin.cases import actions, rules
from chengxin.cases.choices import CaseStatus, EventType, StepKind
from chengxin.cases.models import Case, CaseEvent
from chengxin.cases.penalty_records import PenaltyFacts
from chengxin.cases.tests.fixtures import ALL_CHECKED, advance, decide_now
from chengxin.core import calendar, local_settings
from chengxin.core.models import LocalSetting
from chengxin.publicity.actions import submit_record

pytestmark = pytest.mark.django_db

NATIONAL_DAY_EVE = datetime.date(2026, 9, 28)


def test_the_review_is_due_in_local_working_days_across_national_day() -> None:
    # 7 working days: 9/29, 9/30, 10/8, 10/9, 10/10 (make-up Saturday), 10/12, 10/13
    assert rules.review_due(NATIONAL_DAY_EVE) == datetime.date(2026, 10, 13)
    # the extension (3) runs on from the due date: 10/14, 10/15, 10/16
    assert calendar.add_working_days(datetime.date(2026, 10, 13), 3) == datetime.date(2026, 10, 16)
    LocalSetting.objects.create(key="cases.review_working_days", value="10")
    local_settings.clear_cache()
    assert rules.review_due(NATIONAL_DAY_EVE) == datetime.date(2026, 10, 16)


def test_publicity_working_days_by_category() -> None:
    assert rules.publicity_working_days("license") == 7
    assert rules.publicity_working_days("penalty") == 7
    for code in ("coercion", "inspection", "levy", "other"):
        assert rules.publicity_working_days(code) == 20


def test_timeliness_boundaries() -> None:
    deadline = datetime.date(2026, 10, 13)
    day_after = datetime.date(2026, 10, 14)
    assert rules.publicity_timeliness(deadline, deadline, day_after) == "on_time"
    assert rules.publicity_timeliness(deadline, day_after, day_after) == "late"
    assert rules.publicity_timeliness(deadline, None, deadline) == "pending"
    assert rules.publicity_timeliness(deadline, None, day_after) == "overdue"
    assert rules.publicity_timeliness(None, None, day_after) == ""


def changed(case: Case, field: str) -> bool:
    return any(
        field in (entry.after or {})
        for entry in AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
    )


def test_every_action_leaves_its_event_and_the_change_log(
    make_case: Callable[..., Case], handler: User, reviewer: User, head: User
) -> None:
    case = make_case()
    actions.mark_major(case, actor=handler, reason="涉及公共利益", is_major_public_interest=True)
    assert changed(case, "is_major_public_interest")
    case = advance(case, handler, CaseStatus.NOTIFIED)
    assert changed(case, "status")
    review = actions.request_legality_review(case, actor=handler, submission="拟罚款。")
    assert AuditEntry.objects.filter(
        object_type="cases.legalityreview", object_id=str(review.pk), action="created"
    ).exists()
    actions.extend_legality_review(review, actor=reviewer, reason="案情复杂")
    actions.record_legality_review(
        review, actor=reviewer, result="passed", opinion="同意", checklist=ALL_CHECKED
    )
    entries = AuditEntry.objects.filter(
        object_type="cases.legalityreview", object_id=str(review.pk)
    )
    assert {e.actor_id for e in entries.filter(action="updated")} == {reviewer.pk}
    approval = actions.approve_decision(case, actor=head, opinion="同意")
    assert AuditEntry.objects.filter(
        object_type="cases.decisionapproval", object_id=str(approval.pk), action="created"
    ).exists()
    case = actions.decide_case(
        case,
        actor=handler,
        decision_number="台市监罚〔2026〕12号",
        decision_summary="警告",
        penalty=PenaltyFacts(
            violation_type="销售超过保质期的食品",
            violation_facts="经查……",
            legal_basis="《食品安全法》第一百二十四条",
            penalty_categories=["警告"],
            valid_until=localdate(),
        ),
    )
    assert changed(case, "decided_on") and changed(case, "publicity_deadline")
    # The drafted record's publication is the case's 事后公开.
    submit_record(case.penalty_records.get(), actor=handler, drafted_by_actor=True)
    assert changed(case, "published_on")
    actions.record_step(case, StepKind.SERVICE, actor=handler)
    types = list(CaseEvent.objects.filter(case=case).values_list("type", flat=True))
    assert types == [
        EventType.REGISTERED,
        EventType.MARKED_MAJOR,
        EventType.STEP_RECORDED,
        EventType.STEP_RECORDED,
        EventType.REVIEW_REQUESTED,
        EventType.REVIEW_EXTENDED,
        EventType.REVIEW_PASSED,
        EventType.DECISION_APPROVED,
        EventType.DECIDED,
        EventType.PENALTY_DRAFTED,
        EventType.PUBLISHED,
        EventType.STEP_RECORDED,
    ]
    assert set(CaseEvent.objects.filter(case=case).values_list("actor", flat=True)) == {
        handler.pk,
        reviewer.pk,
        head.pk,
    }


def test_the_officer_message_names_the_reason(
    make_enforcement_officer: Callable[..., object], case_body: object
) -> None:
    day = localdate()
    future = make_enforcement_officer(
        body=case_body, certificate_valid_from=day + datetime.timedelta(days=1)
    )
    problem = future.assignment_problem(case_body.pk, day)
    assert problem is not None and "起有效" in problem


def test_deadlines_follow_a_holiday_entered_after_the_decision(
    make_case: Callable[..., Case], handler: User
) -> None:
    """Given a decided case (事后公开 in 7 working days) and another case in legality review,
    when the administrator enters a State Council rest day inside both periods (next year's
    notice arrives after deadlines reaching into that year were computed),
    then both stored deadlines move one working day later; a rest day after them changes nothing."""
    from chengxin.core.models import DayKind, HolidayNotice, WorkdayOverride

    decided = advance(make_case(), handler, CaseStatus.NOTIFIED)
    decided = decide_now(
        decided, actor=handler, decision_number="台市监罚〔2026〕31号", decision_summary="警告"
    )
    reviewed = advance(make_case(), handler, CaseStatus.NOTIFIED)
    review = actions.request_legality_review(reviewed, actor=handler, submission="拟警告。")
    assert decided.decided_on is not None and decided.publicity_deadline is not None
    old_deadline, old_due = decided.publicity_deadline, review.due_on
    rest_day = calendar.add_working_days(decided.decided_on, 1)
    notice = HolidayNotice.objects.create(year=rest_day.year, title="节假日安排")
    WorkdayOverride.objects.create(date=rest_day, kind=DayKind.REST, notice=notice)
    decided.refresh_from_db()
    review.refresh_from_db()
    assert decided.publicity_deadline == calendar.add_working_days(old_deadline, 1)
    assert decided.publicity_deadline == rules.publicity_deadline(decided.decided_on, "penalty")
    assert review.due_on == calendar.add_working_days(old_due, 1)
    later = calendar.add_working_days(decided.publicity_deadline, 30)
    WorkdayOverride.objects.create(date=later, kind=DayKind.REST, notice=notice)
    unchanged = decided.publicity_deadline
    decided.refresh_from_db()
    assert decided.publicity_deadline == unchanged
