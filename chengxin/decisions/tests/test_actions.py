"""The procedure of 国务院令第713号 as actions: order, gates, skips, time limits, audit."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.core import local_settings
from chengxin.core.models import LocalSetting
from chengxin.decisions import actions, rules
from chengxin.decisions.choices import (
    EvaluationTrigger,
    EventType,
    HeadDecision,
    LegalityConclusion,
    MeetingType,
    RiskLevel,
    Stage,
    StepKind,
    StepStatus,
)
from chengxin.decisions.models import Consultation, DecisionEvent, LegalityReview, MajorDecision
from chengxin.decisions.tests.fixtures import conclude, days_ago, submit


def optional(mandatory: str) -> None:
    """The district's mandatory procedures (decisions.mandatory_steps) set to `mandatory`."""
    LocalSetting.objects.create(key=rules.MANDATORY_STEPS.key, value=mandatory)
    local_settings.clear_cache()


pytestmark = pytest.mark.django_db


def events(decision: MajorDecision) -> list[str]:
    return list(DecisionEvent.objects.filter(decision=decision).values_list("type", flat=True))


def audit_of(obj: Any) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).order_by("sequence")
    )


def discuss(decision: MajorDecision, actor: User, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "meeting_type": MeetingType.STANDING,
        "meeting_name": "区政府第21次常务会议",
        "meeting_date": days_ago(1),
        "minutes": "会议研究了决策草案。",
        "head_decision": HeadDecision.ADOPTED,
    }
    fields.update(overrides)
    return actions.record_collective_discussion(decision, actor=actor, **fields)


def open_for(decision: MajorDecision, actor: User, days: int, reason: str = "") -> Any:
    opens = localdate()
    return actions.open_consultation(
        decision,
        actor=actor,
        draft_title="征求意见稿",
        draft_text="草案全文",
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=days - 1),
        shortened_reason=reason,
    )


# --- the catalogue ---------------------------------------------------------------------------


def test_catalogue_is_published_only_with_the_party_committee_approval(lawadmin: User) -> None:
    catalogue = actions.create_catalogue(actor=lawadmin, year=2031, title="2031年度目录")
    with pytest.raises(ValidationError, match="同级党委同意"):
        actions.publish_catalogue(catalogue, actor=lawadmin)
    catalogue.approval_note, catalogue.approved_on = "经区委同意", days_ago(3)
    catalogue.save()
    published = actions.publish_catalogue(catalogue, actor=lawadmin)
    assert published.is_published and published.published_on == localdate()
    assert [entry.action for entry in audit_of(published)][-1] == AuditAction.UPDATED


def test_only_the_rule_of_law_office_manages_the_catalogue(liaison: User, make_decision) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_catalogue(actor=liaison, year=2032, title="目录")
    decision = make_decision()
    with pytest.raises(PermissionDenied):
        actions.add_decision(
            decision.catalogue,
            actor=liaison,
            title="另一事项",
            lead_unit=decision.lead_unit,
            scope_category="plan",
            planned_completion=days_ago(-30),
        )


def test_a_new_decision_has_the_six_steps_in_the_regulations_order(make_decision) -> None:
    decision = make_decision()
    assert decision.stage == Stage.PLANNED
    assert list(decision.steps.values_list("kind", flat=True)) == StepKind.values
    assert events(decision) == [EventType.DECISION_ADDED]
    assert audit_of(decision)[0].action == AuditAction.CREATED


# --- 公众参与: the 30-day rule, hearings, comments -------------------------------------------


@pytest.mark.parametrize(
    ("days", "reason", "allowed"),
    [
        (29, "", False),
        (29, "汛期临近，须在6月前开工。", True),
        (30, "", True),
        (31, "", True),
    ],
)
def test_comment_period_under_30_days_needs_a_reason(
    make_decision, liaison: User, days: int, reason: str, allowed: bool
) -> None:
    decision = make_decision()
    if not allowed:
        with pytest.raises(ValidationError, match="少于30日"):
            open_for(decision, liaison, days, reason)
        decision.refresh_from_db()
        assert decision.stage == Stage.PLANNED and not events(decision)[1:]
        return
    consultation = open_for(decision, liaison, days, reason)
    assert consultation.period_days == days
    decision.refresh_from_db()
    assert decision.stage == Stage.PUBLIC_PARTICIPATION
    assert decision.step(StepKind.PUBLIC_PARTICIPATION).status == StepStatus.IN_PROGRESS
    event = DecisionEvent.objects.get(decision=decision, type=EventType.CONSULTATION_OPENED)
    assert event.actor == liaison and (reason in event.note if reason else "理由" not in event.note)
    assert audit_of(consultation)[0].actor == liaison


def test_consultation_needs_a_published_catalogue(lawadmin, liaison, lead_unit) -> None:
    draft = actions.create_catalogue(actor=lawadmin, year=2033, title="未公布目录")
    decision = actions.add_decision(
        draft,
        actor=lawadmin,
        title="事项",
        lead_unit=lead_unit,
        scope_category="plan",
        planned_completion=days_ago(-90),
    )
    with pytest.raises(ValidationError, match="目录尚未公布"):
        open_for(decision, liaison, 30)


@pytest.mark.parametrize(
    ("sent_before", "list_before", "problem"),
    [
        (6, 3, "7日前送达"),
        (7, 0, "名单应当于听证会前公布"),
        (7, 1, None),
        (10, 5, None),
    ],
)
def test_hearing_materials_7_days_ahead_and_participants_published_before(
    make_decision, liaison: User, sent_before: int, list_before: int, problem: str | None
) -> None:
    decision = make_decision()
    open_for(decision, liaison, 30)
    held = localdate() + datetime.timedelta(days=14)
    record: Callable[[], Any] = lambda: actions.record_hearing(  # noqa: E731
        decision,
        actor=liaison,
        held_on=held,
        place="区政府第一会议室",
        materials_sent_on=held - datetime.timedelta(days=sent_before),
        participants_published_on=held - datetime.timedelta(days=list_before),
        participants="居民代表 12 人",
    )
    if problem:
        with pytest.raises(ValidationError, match=problem):
            record()
        assert not decision.hearings.exists()
    else:
        record()
        assert EventType.HEARING_RECORDED in events(decision)


def test_public_participation_ends_only_after_the_period_with_a_summary(
    make_decision, liaison: User
) -> None:
    decision = make_decision()
    open_for(decision, liaison, 30)
    with pytest.raises(ValidationError, match="期满后"):
        actions.complete_public_participation(
            decision, actor=liaison, result_summary="汇总", hearing_not_held_reason="无"
        )
    with pytest.raises(ValidationError, match="第18条"):
        actions.complete_public_participation(decision, actor=liaison, result_summary=" ")


def test_no_hearing_needs_a_reason(make_decision, liaison: User) -> None:
    decision = make_decision()
    actions.open_consultation(
        decision,
        actor=liaison,
        draft_title="稿",
        draft_text="全文",
        opens_on=days_ago(40),
        closes_on=days_ago(2),
        backfill_reason="线下征求意见补录：在《台儿庄报》刊登征求意见稿。",
    )
    with pytest.raises(ValidationError, match="未举行听证会"):
        actions.complete_public_participation(decision, actor=liaison, result_summary="汇总")
    actions.complete_public_participation(
        decision, actor=liaison, result_summary="汇总", hearing_not_held_reason="不涉及重大利益"
    )
    decision.refresh_from_db()
    assert decision.stage == Stage.EXPERT_REVIEW
    assert decision.consultation.hearing_not_held_reason == "不涉及重大利益"
    assert EventType.PUBLIC_PARTICIPATION_COMPLETED in events(decision)


def test_comments_only_while_the_consultation_is_open(make_decision, liaison: User) -> None:
    decision = make_decision()
    consultation = open_for(decision, liaison, 30)
    comment = actions.submit_comment(consultation, content="建议增加停车位。", name="张三")
    assert comment.handling == "pending"
    consultation.closes_on = days_ago(1)
    consultation.opens_on = days_ago(31)
    consultation.save()
    with pytest.raises(ValidationError, match="期限已过"):
        actions.submit_comment(consultation, content="迟到的意见")
    handled = actions.handle_comment(comment, actor=liaison, handling="adopted", note="已采纳")
    assert handled.handling == "adopted" and EventType.COMMENT_HANDLED in events(decision)


# --- order and skipping ----------------------------------------------------------------------


def test_steps_run_in_the_regulations_order(make_decision, liaison: User) -> None:
    optional("公众参与、风险评估、合法性审查、集体讨论决定")
    decision = make_decision()
    with pytest.raises(ValidationError, match="请先完成“公众参与”"):
        actions.propose_skip(decision, StepKind.EXPERT_REVIEW, actor=liaison, reason="非专业事项")
    with pytest.raises(ValidationError, match="请先完成“公众参与”"):
        submit(decision, liaison, localdate())


def test_experts_dissent_is_recorded(make_decision, advance, liaison: User) -> None:
    decision = advance(make_decision(), until=StepKind.RISK_ASSESSMENT)
    assert decision.expert_opinions.filter(agrees=False).count() == 1
    note = DecisionEvent.objects.get(type=EventType.EXPERT_REVIEW_COMPLETED).note
    assert "不同意见 1 人" in note


def test_uncontrollable_risk_needs_the_draft_adjusted(make_decision, advance, liaison) -> None:
    decision = advance(make_decision(), until=StepKind.RISK_ASSESSMENT)
    assess: Callable[..., Any] = lambda note: actions.complete_risk_assessment(  # noqa: E731
        decision,
        actor=liaison,
        risk_points="征收补偿争议",
        risk_level=RiskLevel.HIGH,
        is_controllable=False,
        adjustment_note=note,
    )
    with pytest.raises(ValidationError, match="第24条"):
        assess("")
    assess("已调整补偿标准并制定应急预案。")
    decision.refresh_from_db()
    assert decision.stage == Stage.LEGALITY_REVIEW


# --- 合法性审查 and the gate to collective discussion -----------------------------------------


def test_collective_discussion_refused_until_the_legality_review_passed(
    make_decision, advance, liaison: User, legal: User
) -> None:
    decision = advance(make_decision(), until=StepKind.LEGALITY_REVIEW)
    with pytest.raises(ValidationError, match="未经合法性审查"):  # not reviewed
        discuss(decision, liaison)
    review = submit(decision, liaison, days_ago(40))
    with pytest.raises(ValidationError, match="未经合法性审查"):  # under review
        discuss(decision, liaison)
    conclude(
        review,
        legal,
        conclusion=LegalityConclusion.FAILED,
        opinion="超越法定权限，须删除第五条。",
        concluded_on=days_ago(25),
    )
    with pytest.raises(ValidationError, match="经审查不合法"):  # found unlawful
        discuss(decision, liaison)
    decision.refresh_from_db()
    assert decision.stage == Stage.LEGALITY_REVIEW
    assert decision.step(StepKind.LEGALITY_REVIEW).status == StepStatus.IN_PROGRESS

    second = submit(decision, liaison, days_ago(20))
    assert second.round == 2
    conclude(
        second,
        legal,
        conclusion=LegalityConclusion.PASSED,
        opinion="已删除第五条，合法。",
        concluded_on=days_ago(5),
    )
    discussion = discuss(decision, liaison, dissent="副区长甲：建议缓行。")
    decision.refresh_from_db()
    assert decision.stage == Stage.PUBLICATION and decision.decided_on == days_ago(1)
    assert discussion.dissent == "副区长甲：建议缓行。"
    assert events(decision)[-5:] == [
        EventType.LEGALITY_SUBMITTED,
        EventType.LEGALITY_FAILED,
        EventType.LEGALITY_SUBMITTED,
        EventType.LEGALITY_PASSED,
        EventType.DISCUSSED,
    ]
    assert [entry.actor for entry in audit_of(second)] == [liaison, legal]


def test_only_the_legal_office_concludes_a_review(
    make_decision, advance, liaison: User, lawadmin: User
) -> None:
    decision = advance(make_decision(), until=StepKind.LEGALITY_REVIEW)
    review = submit(decision, liaison, days_ago(20))
    for outsider in (liaison, lawadmin):
        with pytest.raises(PermissionDenied):
            conclude(review, outsider, conclusion="passed", opinion="合法")
    with pytest.raises(ValidationError, match="正在合法性审查中"):
        submit(decision, liaison, localdate())


@pytest.mark.parametrize(
    ("concluded", "reason", "allowed"),
    [
        # Submitted Mon 2020-09-28: the 7th working day is 2020-10-14 (National Day and
        # Mid-Autumn 10-01..08 off, Sat 10-10 a make-up workday). Weekday arithmetic would
        # wrongly allow 10-07.
        (datetime.date(2020, 10, 7), "", False),
        (datetime.date(2020, 10, 13), "", False),
        (datetime.date(2020, 10, 13), "区政府常务会议已定于10月15日召开。", True),
        (datetime.date(2020, 10, 14), "", True),
    ],
)
def test_legality_review_normally_takes_7_working_days_on_the_official_calendar(
    make_decision, advance, liaison, legal, concluded, reason, allowed
) -> None:
    decision = advance(make_decision(), until=StepKind.LEGALITY_REVIEW)
    review = submit(decision, liaison, datetime.date(2020, 9, 28))
    assert review.earliest_normal_conclusion == datetime.date(2020, 10, 14)
    run: Callable[[], Any] = lambda: conclude(  # noqa: E731
        review,
        legal,
        conclusion=LegalityConclusion.PASSED,
        opinion="合法。",
        concluded_on=concluded,
        short_review_reason=reason,
    )
    if not allowed:
        with pytest.raises(ValidationError, match="少于7个工作日（条例第26条）") as refused:
            run()
        assert "2020-10-14" in str(refused.value) and "第27条" not in str(refused.value)
        assert LegalityReview.objects.get(pk=review.pk).conclusion == LegalityConclusion.PENDING
        return
    concluded_review = run()
    assert concluded_review.short_review_reason == reason
    assert concluded_review.reviewer == legal


@pytest.mark.parametrize(
    ("local_value", "due"),
    [
        # After Mon 2020-09-28: 09-29 (1), 09-30 (2), 10-09 (3), Sat 10-10 (4), 10-12…16
        # (5–9), 10-19…23 (10–14), 10-26 (15).
        (None, datetime.date(2020, 10, 26)),
        ("10", datetime.date(2020, 10, 19)),
        ("3", datetime.date(2020, 10, 14)),  # never below the statutory 7 working days
    ],
)
def test_review_due_date_is_a_local_setting_counted_in_working_days(
    make_decision, advance, liaison, local_value, due
) -> None:
    if local_value is not None:
        LocalSetting.objects.create(
            key=rules.LEGALITY_REVIEW_DUE_WORKING_DAYS.key, value=local_value
        )
        local_settings.clear_cache()
    decision = advance(make_decision(), until=StepKind.LEGALITY_REVIEW)
    review = submit(decision, liaison, datetime.date(2020, 9, 28))
    assert review.due_on == due


# --- collective discussion, publication, post-evaluation -------------------------------------


def test_head_departing_from_the_majority_states_the_reason(
    make_decision, advance, liaison: User
) -> None:
    decision = advance(make_decision(), until=StepKind.COLLECTIVE_DISCUSSION)
    with pytest.raises(ValidationError, match="第30条"):
        discuss(decision, liaison, departs_from_majority=True)
    discuss(decision, liaison, departs_from_majority=True, departure_reason="财政承受能力")
    decision.refresh_from_db()
    assert decision.collective_discussion.departure_reason == "财政承受能力"


def test_not_adopted_ends_the_procedure(make_decision, advance, liaison: User) -> None:
    decision = advance(make_decision(), until=StepKind.COLLECTIVE_DISCUSSION)
    discuss(decision, liaison, head_decision=HeadDecision.NOT_ADOPTED)
    decision.refresh_from_db()
    assert decision.stage == Stage.NOT_ADOPTED
    with pytest.raises(ValidationError, match="程序已终止"):
        actions.publish_decision(
            decision,
            actor=liaison,
            published_on=days_ago(0),
            document_number="x",
            published_text="x",
            channels="网站",
        )


def test_publication_and_post_evaluation(make_decision, advance, liaison: User) -> None:
    decision = advance(make_decision())
    assert decision.stage == Stage.IMPLEMENTED and decision.published_on == days_ago(10)
    evaluation = actions.start_post_evaluation(
        decision,
        actor=liaison,
        trigger=EvaluationTrigger.PUBLIC_FEEDBACK,
        evaluator="山东某咨询评估有限公司",
    )
    decision.refresh_from_db()
    assert decision.stage == Stage.POST_EVALUATION
    with pytest.raises(ValidationError, match="不在评估中"):
        actions.start_post_evaluation(
            decision, actor=liaison, trigger=EvaluationTrigger.SHORTFALL, evaluator="另一机构"
        )
    actions.complete_post_evaluation(evaluation, actor=liaison, conclusion="总体达到预期。")
    decision.refresh_from_db()
    assert decision.stage == Stage.IMPLEMENTED
    assert events(decision)[-2:] == [EventType.EVALUATION_STARTED, EventType.EVALUATION_COMPLETED]


def test_another_departments_liaison_may_not_act(make_decision, make_user, make_department) -> None:
    decision = make_decision()
    outsider = make_user(Role.LEGAL_AFFAIRS_OFFICER, department=make_department())
    with pytest.raises(PermissionDenied):
        open_for(decision, outsider, 30)
    assert not Consultation.objects.filter(decision=decision).exists()


def test_each_action_writes_its_event_and_the_change_log_as_the_actor(
    make_decision, advance, liaison: User, legal: User
) -> None:
    """Given a decision run through every step, then each step's action left an event by its
    actor and an audit entry of the decision's new stage, in the regulation's order."""
    decision = advance(make_decision())
    assert events(decision) == [
        EventType.DECISION_ADDED,
        EventType.CONSULTATION_OPENED,
        EventType.PUBLIC_PARTICIPATION_COMPLETED,
        EventType.EXPERT_REVIEW_COMPLETED,
        EventType.RISK_ASSESSMENT_COMPLETED,
        EventType.LEGALITY_SUBMITTED,
        EventType.LEGALITY_PASSED,
        EventType.DISCUSSED,
        EventType.PUBLISHED,
    ]
    actors = dict(
        DecisionEvent.objects.filter(decision=decision).values_list("type", "actor__username")
    )
    assert actors[EventType.LEGALITY_PASSED] == legal.username
    assert actors[EventType.DISCUSSED] == liaison.username
    stages = [
        entry.after["stage"]
        for entry in audit_of(decision)
        if entry.action == AuditAction.UPDATED and "stage" in (entry.after or {})
    ]
    assert stages[-1] == Stage.IMPLEMENTED
    assert Stage.COLLECTIVE_DISCUSSION in stages and Stage.PUBLICATION in stages
    steps = decision.steps.all()
    assert all(step.completed_on and step.completed_by for step in steps)
