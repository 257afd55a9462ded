"""Which procedures a decision must go through: the local setting decisions.mandatory_steps
(default: all five of art. 4), never without 合法性审查 and 集体讨论决定 (arts. 25, 30); a step
the district left optional is skipped only on one person's proposal and another's approval."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from chengxin.accounts.models import User
from chengxin.audit.models import AuditEntry
from chengxin.core import local_settings
from chengxin.core.models import LocalSetting
from chengxin.decisions import actions, rules
from chengxin.decisions.choices import EventType, Stage, StepKind, StepStatus
from chengxin.decisions.models import DecisionEvent, MajorDecision
from chengxin.decisions.tests.fixtures import days_ago

pytestmark = pytest.mark.django_db

ALL_FIVE = "公众参与、专家论证、风险评估、合法性审查、集体讨论决定"
NO_EXPERTS_OR_RISKS = "公众参与、合法性审查、集体讨论决定"


def mandatory(value: str) -> None:
    LocalSetting.objects.create(key=rules.MANDATORY_STEPS.key, value=value)
    local_settings.clear_cache()


def events(decision: MajorDecision) -> list[str]:
    return list(DecisionEvent.objects.filter(decision=decision).values_list("type", flat=True))


# --- the setting ---------------------------------------------------------------------------


def test_by_default_all_five_procedures_are_mandatory() -> None:
    assert rules.MANDATORY_STEPS.default == ALL_FIVE
    assert rules.mandatory_steps() == frozenset(StepKind.values)  # and 公布 (art. 32)
    # switching a procedure off weakens a control: the security administrator's setting
    assert local_settings.is_security_relevant(rules.MANDATORY_STEPS.key)


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        (ALL_FIVE, True),
        ("合法性审查、集体讨论决定", True),  # the least a district may keep
        ("legality_review, collective_discussion, expert_review", True),  # codes too
        ("公众参与、专家论证、风险评估、集体讨论决定", False),  # without 合法性审查 (art. 25)
        ("公众参与、专家论证、风险评估、合法性审查", False),  # without 集体讨论决定 (art. 30)
        ("", False),
        ("合法性审查、集体讨论决定、决策公布", False),  # 公布 is not one of the five to choose
        ("合法性审查、集体讨论决定、听证", False),
    ],
)
def test_legality_review_and_collective_discussion_cannot_be_switched_off(
    value: str, allowed: bool
) -> None:
    setting = LocalSetting(key=rules.MANDATORY_STEPS.key, value=value)
    if allowed:
        setting.full_clean()
        assert {StepKind.LEGALITY_REVIEW, StepKind.COLLECTIVE_DISCUSSION} <= rules.parse_steps(
            value
        )
        return
    with pytest.raises(local_settings.InvalidSetting):
        rules.parse_steps(value)
    with pytest.raises(ValidationError):
        setting.full_clean()


def test_the_message_cites_articles_25_and_30() -> None:
    with pytest.raises(local_settings.InvalidSetting, match="第25条、第30条"):
        rules.parse_steps("公众参与、专家论证")


# --- skipping ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [StepKind.EXPERT_REVIEW, StepKind.RISK_ASSESSMENT])
def test_a_mandatory_step_cannot_be_skipped_by_default(
    make_decision, advance, liaison: User, kind: str
) -> None:
    """Issue 21: 专家论证 and 风险评估 were skipped with any reason in one click."""
    decision = advance(make_decision(), until=kind)
    with pytest.raises(ValidationError, match="必经程序"):
        actions.propose_skip(decision, kind, actor=liaison, reason="不涉及专业技术问题")
    step = decision.step(kind)
    assert step.status != StepStatus.SKIPPED and step.skip_proposed_by is None


@pytest.mark.parametrize(
    "kind", [StepKind.LEGALITY_REVIEW, StepKind.COLLECTIVE_DISCUSSION, StepKind.PUBLICATION]
)
def test_the_statutory_steps_are_never_skipped(
    make_decision, advance, liaison: User, kind: str
) -> None:
    mandatory("合法性审查、集体讨论决定")  # the fewest a district may keep
    decision = advance(make_decision(), until=kind)
    with pytest.raises(ValidationError, match="必经程序"):
        actions.propose_skip(decision, kind, actor=liaison, reason="时间紧")


@pytest.mark.parametrize("kind", [StepKind.EXPERT_REVIEW, StepKind.RISK_ASSESSMENT])
def test_an_optional_step_is_skipped_on_a_second_persons_approval(
    make_decision, advance, liaison: User, lawadmin: User, kind: str
) -> None:
    mandatory(NO_EXPERTS_OR_RISKS)
    decision = advance(make_decision(), until=kind)
    with pytest.raises(ValidationError, match="必须说明理由"):
        actions.propose_skip(decision, kind, actor=liaison, reason="  ")
    step = actions.propose_skip(decision, kind, actor=liaison, reason="不涉及专业技术问题")
    # proposed, not yet skipped: the procedure waits
    decision.refresh_from_db()
    assert step.is_skip_pending and step.status != StepStatus.SKIPPED and decision.stage == kind
    with pytest.raises(ValidationError, match="等待批准"):
        actions.propose_skip(decision, kind, actor=liaison, reason="再次")
    # the proposer cannot approve their own proposal
    with pytest.raises(PermissionDenied, match="提出人以外"):
        actions.decide_skip(decision, kind, actor=liaison, approve=True, note="同意")
    with pytest.raises(ValidationError, match="批准意见"):
        actions.decide_skip(decision, kind, actor=lawadmin, approve=True, note=" ")
    step = actions.decide_skip(decision, kind, actor=lawadmin, approve=True, note="同意不论证")
    decision.refresh_from_db()
    assert step.status == StepStatus.SKIPPED and decision.stage != kind
    assert (step.skip_proposed_by, step.skip_approved_by) == (liaison, lawadmin)
    assert step.skip_reason == "不涉及专业技术问题" and step.skip_approval_note == "同意不论证"
    assert events(decision)[-2:] == [EventType.STEP_SKIP_PROPOSED, EventType.STEP_SKIPPED]
    skipped = DecisionEvent.objects.get(decision=decision, type=EventType.STEP_SKIPPED)
    assert skipped.actor == lawadmin and skipped.step_kind == kind
    change = AuditEntry.objects.filter(
        object_type="decisions.procedurestep", object_id=str(step.pk)
    ).order_by("-sequence")[0]
    assert change.actor_id == lawadmin.pk and change.after is not None
    assert change.after["status"] == StepStatus.SKIPPED


def test_a_refused_skip_leaves_the_step_to_be_done(
    make_decision, advance, liaison: User, lawadmin: User
) -> None:
    mandatory(NO_EXPERTS_OR_RISKS)
    decision = advance(make_decision(), until=StepKind.EXPERT_REVIEW)
    actions.propose_skip(decision, StepKind.EXPERT_REVIEW, actor=liaison, reason="非专业事项")
    step = actions.decide_skip(
        decision, StepKind.EXPERT_REVIEW, actor=lawadmin, approve=False, note="涉及结构安全"
    )
    assert step.status == StepStatus.PENDING and not step.is_skip_pending
    assert step.skip_reason == ""
    assert events(decision)[-1] == EventType.STEP_SKIP_REFUSED
    with pytest.raises(ValidationError, match="没有待批准"):
        actions.decide_skip(
            decision, StepKind.EXPERT_REVIEW, actor=lawadmin, approve=True, note="同意"
        )


def test_a_setting_made_stricter_stops_a_pending_skip(
    make_decision, advance, liaison: User, lawadmin: User
) -> None:
    mandatory(NO_EXPERTS_OR_RISKS)
    decision = advance(make_decision(), until=StepKind.EXPERT_REVIEW)
    actions.propose_skip(decision, StepKind.EXPERT_REVIEW, actor=liaison, reason="非专业事项")
    LocalSetting.objects.filter(key=rules.MANDATORY_STEPS.key).update(value=ALL_FIVE)
    local_settings.clear_cache()
    with pytest.raises(ValidationError, match="已是必经程序"):
        actions.decide_skip(
            decision, StepKind.EXPERT_REVIEW, actor=lawadmin, approve=True, note="同意"
        )


def test_public_participation_is_skipped_only_before_a_consultation(
    make_decision, liaison: User, lawadmin: User
) -> None:
    mandatory("专家论证、风险评估、合法性审查、集体讨论决定")
    decision = make_decision()
    actions.propose_skip(
        decision, StepKind.PUBLIC_PARTICIPATION, actor=liaison, reason="依法不予公开的事项"
    )
    actions.decide_skip(
        decision, StepKind.PUBLIC_PARTICIPATION, actor=lawadmin, approve=True, note="经审核同意"
    )
    decision.refresh_from_db()
    assert decision.stage == Stage.EXPERT_REVIEW
    other = make_decision()
    actions.open_consultation(
        other,
        actor=liaison,
        draft_title="稿",
        draft_text="全文",
        opens_on=days_ago(0),
        closes_on=days_ago(-30),
    )
    with pytest.raises(ValidationError, match="已公开征求意见"):
        actions.propose_skip(other, StepKind.PUBLIC_PARTICIPATION, actor=liaison, reason="x")


def test_the_page_offers_the_proposal_and_the_approval_to_different_people(
    make_decision, advance, liaison: User, lawadmin: User
) -> None:
    decision = advance(make_decision(), until=StepKind.EXPERT_REVIEW)
    url = reverse("decisions:detail", args=[decision.pk])
    proposer, approver = Client(), Client()
    proposer.force_login(liaison)
    approver.force_login(lawadmin)
    assert "提出本环节不适用" not in proposer.get(url).content.decode()  # all five mandatory
    mandatory(NO_EXPERTS_OR_RISKS)
    assert "提出本环节不适用" in proposer.get(url).content.decode()
    proposer.post(
        reverse("decisions:action", args=[decision.pk, "propose_skip"]),
        {"propose_skip-kind": StepKind.EXPERT_REVIEW, "propose_skip-reason": "非专业事项"},
    )
    assert "不适用待批准" in proposer.get(url).content.decode()
    assert "审批环节不适用" not in proposer.get(url).content.decode()
    assert "审批环节不适用" in approver.get(url).content.decode()
    approver.post(
        reverse("decisions:action", args=[decision.pk, "decide_skip"]),
        {
            "decide_skip-kind": StepKind.EXPERT_REVIEW,
            "decide_skip-approve": "1",
            "decide_skip-note": "同意",
        },
    )
    decision.refresh_from_db()
    assert decision.step(StepKind.EXPERT_REVIEW).status == StepStatus.SKIPPED
    assert f"{lawadmin.full_name} " in approver.get(url).content.decode()
