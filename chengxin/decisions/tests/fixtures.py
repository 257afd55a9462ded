"""Decisions for tests: a published catalogue, the lead unit's liaison, the legal office, and
`advance(decision, until=kind)` that runs the procedure up to (not including) a step."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.decisions import actions
from chengxin.decisions.choices import (
    HeadDecision,
    LegalityConclusion,
    MeetingType,
    RiskLevel,
    ScopeCategory,
    StepKind,
)
from chengxin.decisions.models import DecisionCatalogue, MajorDecision


def days_ago(n: int) -> datetime.date:
    return localdate() - datetime.timedelta(days=n)


@pytest.fixture
def lead_unit(make_department: Callable[..., Department]) -> Department:
    return make_department(name="台儿庄区住房和城乡建设局")


@pytest.fixture
def lawadmin(make_user: Callable[..., User], make_department: Callable[..., Department]) -> User:
    return make_user(Role.RULE_OF_LAW_ADMIN, department=make_department(name="台儿庄区司法局"))


@pytest.fixture
def liaison(make_user: Callable[..., User], lead_unit: Department) -> User:
    return make_user(Role.LEGAL_AFFAIRS_OFFICER, department=lead_unit)


@pytest.fixture
def legal(make_user: Callable[..., User]) -> User:
    return make_user(Role.LEGAL_REVIEWER)


@pytest.fixture
def decision_catalogue(lawadmin: User) -> DecisionCatalogue:
    year = localdate().year
    created = actions.create_catalogue(
        actor=lawadmin,
        year=year,
        title=f"台儿庄区人民政府{year}年度重大行政决策事项目录",
        approval_note="经区委常委会会议研究同意",
        approved_on=days_ago(200),
    )
    return actions.publish_catalogue(created, actor=lawadmin, published_on=days_ago(190))


@pytest.fixture
def make_decision(
    decision_catalogue: DecisionCatalogue, lawadmin: User, lead_unit: Department
) -> Callable[..., MajorDecision]:
    counter = iter(range(1, 1000))

    def make(**overrides: Any) -> MajorDecision:
        fields: dict[str, Any] = {
            "title": f"台儿庄区老旧小区改造实施方案（{next(counter)}）",
            "lead_unit": lead_unit,
            "scope_category": ScopeCategory.PUBLIC_POLICY,
            "planned_completion": localdate() + datetime.timedelta(days=200),
            "summary": "对2000年以前建成的老旧小区实施改造。",
        }
        fields.update(overrides)
        target = fields.pop("catalogue", decision_catalogue)
        return actions.add_decision(target, actor=lawadmin, **fields)

    return make


@pytest.fixture
def advance(liaison: User, legal: User) -> Callable[..., MajorDecision]:
    """Run the procedure with past dates until the step `until` is the current one."""

    def run(decision: MajorDecision, until: str = "") -> MajorDecision:
        order = [*StepKind.values, ""]
        stop = order.index(until)
        for kind in order[:stop]:
            if not decision.steps.get(kind=kind).is_done:
                RUNNERS[kind](decision, liaison, legal)
        decision.refresh_from_db()
        return decision

    return run


def _participate(decision: MajorDecision, liaison: User, legal: User) -> None:
    actions.open_consultation(
        decision,
        actor=liaison,
        draft_title=f"{decision.title}（征求意见稿）",
        draft_text="一、改造范围……",
        opens_on=days_ago(120),
        closes_on=days_ago(80),
        backfill_reason="线下征求意见补录：在《台儿庄报》刊登征求意见稿。",
    )
    actions.complete_public_participation(
        decision,
        actor=liaison,
        result_summary="收到意见 3 条，采纳 2 条；未采纳 1 条，理由是超出本次改造范围。",
        hearing_not_held_reason="不涉及群众切身利益的重大调整。",
        completed_on=days_ago(79),
    )


def _experts(decision: MajorDecision, liaison: User, legal: User) -> None:
    actions.complete_expert_review(
        decision,
        actor=liaison,
        opinions=[
            actions.ExpertInput("王教授", "枣庄学院 城市规划", True, "方案可行。"),
            actions.ExpertInput("李工", "市设计院 结构", False, "加装电梯的资金来源不明确。"),
        ],
        handling_note="已补充资金来源说明。",
        completed_on=days_ago(78),
    )


def _risks(decision: MajorDecision, liaison: User, legal: User) -> None:
    actions.complete_risk_assessment(
        decision,
        actor=liaison,
        risk_points="施工期间出行不便；已制定分段施工方案。",
        risk_level=RiskLevel.LOW,
        is_controllable=True,
        completed_on=days_ago(77),
    )


def materials(**overrides: Any) -> actions.ReviewMaterials:
    """The materials of a request for legality review (art. 26)."""
    fields: dict[str, Any] = {
        "draft_text": "台儿庄区老旧小区改造实施方案（送审稿）\n一、改造范围……",
        "legal_basis": "《城市居住区规划设计标准》；《山东省城镇老旧小区改造工作实施方案》",
        "procedure_statement": "已公开征求意见30日，组织专家论证，开展社会稳定风险评估。",
    }
    fields.update(overrides)
    return actions.ReviewMaterials(**fields)


COUNSEL = {
    "counsel": "区政府法律顾问 张律师",
    "counsel_opinion": "未发现与上位法抵触之处。",
}


def submit(decision: MajorDecision, actor: User, on: datetime.date, **overrides: Any) -> Any:
    return actions.submit_for_legality_review(
        decision, actor=actor, submitted_on=on, materials=materials(**overrides)
    )


def conclude(review: Any, actor: User, **fields: Any) -> Any:
    """Conclude with the legal advisers' opinion (art. 28) unless the test gives its own."""
    return actions.conclude_legality_review(review, actor=actor, **{**COUNSEL, **fields})


def _review(decision: MajorDecision, liaison: User, legal: User) -> None:
    review = submit(decision, liaison, days_ago(60))
    conclude(
        review,
        legal,
        conclusion=LegalityConclusion.PASSED,
        opinion="主体合法，程序完备，内容不违反法律法规。",
        concluded_on=days_ago(30),
    )


def _discuss(decision: MajorDecision, liaison: User, legal: User) -> None:
    actions.record_collective_discussion(
        decision,
        actor=liaison,
        meeting_type=MeetingType.STANDING,
        meeting_name="区政府第20次常务会议",
        meeting_date=days_ago(20),
        minutes="会议原则同意。",
        head_decision=HeadDecision.ADOPTED,
        dissent="一位副区长建议分两年实施。",
    )


def _publish(decision: MajorDecision, liaison: User, legal: User) -> None:
    actions.publish_decision(
        decision,
        actor=liaison,
        published_on=days_ago(10),
        document_number="台政发〔2026〕5号",
        published_text="决定实施老旧小区改造。",
        channels="区政府网站、区政府公报",
    )


RUNNERS: dict[str, Callable[[MajorDecision, User, User], None]] = {
    StepKind.PUBLIC_PARTICIPATION: _participate,
    StepKind.EXPERT_REVIEW: _experts,
    StepKind.RISK_ASSESSMENT: _risks,
    StepKind.LEGALITY_REVIEW: _review,
    StepKind.COLLECTIVE_DISCUSSION: _discuss,
    StepKind.PUBLICATION: _publish,
}
