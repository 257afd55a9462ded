"""Issue 21: 负责人集体讨论 for 情节复杂或者重大违法行为 (行政处罚法 art. 57 para. 2), the head's
sign-off of every decision (art. 57: the 行政机关负责人 decides, not the officer alone), and the
decision of an entrusted organisation in its entrusting body's name (art. 20)."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.agencies.choices import BodyKind
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.cases import actions, rules
from chengxin.cases.choices import CaseStatus, DiscussionResult, EventType, ReviewResult, StepKind
from chengxin.cases.models import Case, CaseEvent, CollectiveDiscussion, DecisionApproval
from chengxin.cases.penalty_records import PenaltyFacts
from chengxin.cases.tests.fixtures import advance, company, review
from chengxin.powers.models import PowerItem
from chengxin.publicity.models import PenaltyRecord

pytestmark = pytest.mark.django_db

D = decimal.Decimal
NUMBER = "台市监罚〔2026〕88号"


def decide(case: Case, handler: User, **extra: Any) -> Case:
    return actions.decide_case(
        case, actor=handler, decision_number=NUMBER, decision_summary="罚款。", **extra
    )


def discuss(case: Case, actor: User, result: str = DiscussionResult.AGREED, **extra: Any) -> Any:
    fields: dict[str, Any] = {
        "held_on": localdate(),
        "participants": "孙局长（局长）\n王副局长（副局长）",
        "conclusion": "同意罚款。",
        "result": result,
    }
    fields.update(extra)
    return actions.record_collective_discussion(case, actor=actor, **fields)


# --- the head's sign-off -------------------------------------------------------------------------


def test_the_officer_alone_may_not_decide(
    make_case: Callable[..., Case], handler: User, head: User
) -> None:
    """Before, the officer recorded the decision with nobody's approval."""
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    with pytest.raises(ValidationError) as refused:
        decide(case, handler, fine_amount=D("2000"))
    assert refused.value.code == "approval_required"
    approval = actions.approve_decision(case, actor=head, opinion="同意罚款二千元。")
    assert approval.fine_amount is None  # nothing proposed at 告知: the head approves none
    approval = actions.approve_decision(case, actor=head, opinion="同意。", fine_amount=D("2000"))
    decided = decide(case, handler, fine_amount=D("2000"))
    assert decided.status == CaseStatus.DECIDED
    assert CaseEvent.objects.filter(case=case, type=EventType.DECISION_APPROVED).count() == 2


def test_only_a_registered_head_who_did_not_handle_the_case_signs(
    make_case: Callable[..., Case],
    handler: User,
    head: User,
    make_user: Callable[..., User],
    case_department: Department,
    case_body: EnforcementBody,
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    colleague = make_user(Role.ENFORCEMENT_OFFICER, department=case_department)
    with pytest.raises(ValidationError) as refused:  # not registered as a head
        actions.approve_decision(case, actor=colleague, opinion="同意。")
    assert refused.value.code == "not_head"
    case_body.heads.add(handler)
    with pytest.raises(ValidationError) as refused:  # a head, but the case's handler
        actions.approve_decision(case, actor=handler, opinion="同意。")
    assert refused.value.code == "own_case"
    assert not DecisionApproval.objects.exists()
    assert actions.approve_decision(case, actor=head, opinion="同意。").approver == head


def test_a_step_after_the_sign_off_needs_a_new_one(
    make_case: Callable[..., Case], handler: User, head: User
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    actions.approve_decision(case, actor=head, opinion="同意。")
    actions.record_hearing_request(case, actor=handler)
    actions.record_step(case, StepKind.HEARING, actor=handler, notes="听证会")
    with pytest.raises(ValidationError) as refused:
        decide(case, handler)
    assert refused.value.code == "approval_required"
    actions.approve_decision(case, actor=head, opinion="听证后同意。")
    assert decide(case, handler).status == CaseStatus.DECIDED


@pytest.mark.parametrize(("decided", "accepted"), [("3000", True), ("3000.01", False)])
def test_the_decision_may_not_exceed_the_amounts_signed(
    make_case: Callable[..., Case], handler: User, head: User, decided: str, accepted: bool
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED, fine=D("3000"))
    actions.approve_decision(case, actor=head, opinion="同意罚款三千元。")
    if accepted:
        assert decide(case, handler, fine_amount=D(decided)).fine_amount == D(decided)
    else:
        with pytest.raises(ValidationError) as refused:
            decide(case, handler, fine_amount=D(decided))
        assert refused.value.code == "approval_amount"


# --- 负责人集体讨论 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fine", "needed"),
    [("99999.99", False), ("100000", True)],  # the local threshold for organisations (boundary)
)
def test_a_major_fine_needs_the_heads_discussion(
    make_case: Callable[..., Case],
    handler: User,
    reviewer: User,
    head: User,
    fine: str,
    needed: bool,
) -> None:
    """重大违法行为 by the district's own line (cases.major_fine_organisation): reviewed, then
    discussed by the heads, then signed off; just below it, the sign-off alone."""
    case = advance(make_case(), handler, CaseStatus.NOTIFIED, fine=D(fine))
    if needed:
        review(case, handler, reviewer, ReviewResult.PASSED)
    case.refresh_from_db()
    assert bool(rules.discussion_triggers(case)) is needed
    if needed:
        with pytest.raises(ValidationError) as refused:
            actions.approve_decision(case, actor=head, opinion="同意。")
        assert refused.value.code == "discussion_required"
        discuss(case, head)
    actions.approve_decision(case, actor=head, opinion="同意。")
    assert decide(case, handler, fine_amount=D(fine)).status == CaseStatus.DECIDED


def test_a_complex_case_is_decided_only_after_the_heads_agree(
    make_case: Callable[..., Case], handler: User, reviewer: User, head: User
) -> None:
    """情节复杂 (the art. 58 (3) flag): review → discussion → sign-off → decision; the discussion
    is a step with its date, participants and conclusion."""
    case = advance(make_case(is_complex=True), handler, CaseStatus.NOTIFIED, fine=D("500"))
    with pytest.raises(ValidationError) as refused:  # art. 58 first
        discuss(case, head)
    assert refused.value.code == "review_required"
    review(case, handler, reviewer, ReviewResult.PASSED)
    with pytest.raises(ValidationError) as refused:
        decide(case, handler)
    assert refused.value.code == "discussion_required"
    discussion = discuss(case, head)
    assert discussion.step.kind == StepKind.DISCUSSION
    assert discussion.participant_names == ["孙局长（局长）", "王副局长（副局长）"]
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DISCUSSED
    actions.approve_decision(case, actor=head, opinion="按集体讨论意见，同意。")
    assert decide(case, handler).status == CaseStatus.DECIDED


def test_the_handlers_may_mark_a_serious_violation(
    make_case: Callable[..., Case], handler: User, head: User
) -> None:
    """情节复杂或者重大违法行为 marked by the handlers: a small fine needs the discussion too."""
    case = advance(make_case(), handler, CaseStatus.NOTIFIED, fine=D("800"))
    assert rules.discussion_triggers(case) == []
    actions.mark_major(case, actor=handler, reason="多次违法", is_serious_violation=True)
    case.refresh_from_db()
    assert rules.discussion_triggers(case)
    with pytest.raises(ValidationError):
        actions.approve_decision(case, actor=head, opinion="同意。")


def test_a_discussion_that_does_not_agree_sends_the_case_back(
    make_case: Callable[..., Case], handler: User, head: User
) -> None:
    case = advance(make_case(is_serious_violation=True), handler, CaseStatus.NOTIFIED)
    discuss(case, head, DiscussionResult.NOT_AGREED, conclusion="证据不足，补充调查。")
    with pytest.raises(ValidationError) as refused:
        actions.approve_decision(case, actor=head, opinion="同意。")
    assert refused.value.code == "discussion_refused"
    actions.record_step(case, StepKind.INVESTIGATION, actor=handler, notes="补充调查")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INVESTIGATING


@pytest.mark.parametrize(
    ("participants", "accepted"), [("孙局长", False), ("孙局长\n王副局长", True)]
)
def test_a_discussion_has_at_least_two_heads(
    make_case: Callable[..., Case], handler: User, head: User, participants: str, accepted: bool
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    if accepted:
        assert discuss(case, head, participants=participants).pk
    else:
        with pytest.raises(ValidationError, match="两名以上"):
            discuss(case, head, participants=participants)
        assert not CollectiveDiscussion.objects.exists()


def test_a_discussion_is_not_dated_in_the_future(
    make_case: Callable[..., Case], handler: User, head: User
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    with pytest.raises(ValidationError, match="讨论日期"):
        discuss(case, head, held_on=localdate() + datetime.timedelta(days=1))


# --- 受委托组织: the decision in the entrusting body's name (art. 20) ------------------------------


@pytest.fixture
def entrusted_case(
    make_enforcement_body: Callable[..., EnforcementBody],
    make_enforcement_officer: Callable[..., EnforcementOfficer],
    make_department: Callable[..., Department],
    make_user: Callable[..., User],
    case_body: EnforcementBody,
    head: User,
    penalty_item: PowerItem,
) -> tuple[Case, User]:
    own = make_department(name="台儿庄古城综合执法大队")
    entrusted = make_enforcement_body(
        name="台儿庄古城综合执法大队",
        kind=BodyKind.ENTRUSTED,
        entrusting_body=case_body,
        department=own,
    )
    officers = [make_enforcement_officer(body=entrusted) for _ in range(2)]
    clerk = make_user(Role.ENFORCEMENT_OFFICER, department=own)
    case = actions.register_case(
        actor=clerk,
        body=entrusted,
        power_item=penalty_item,
        parties=[company()],
        officers=officers,
        summary="古城景区内销售过期食品。",
    )
    return advance(case, clerk, CaseStatus.NOTIFIED, fine=D("1000")), clerk


def test_an_entrusted_organisation_decides_in_the_entrusting_bodys_name(
    entrusted_case: tuple[Case, User], head: User, case_body: EnforcementBody
) -> None:
    """The 处罚机关 on the decision and on the drafted 双公示 record is the entrusting bureau,
    both from cases.rules.deciding_authority (before: the organisation's own name)."""
    case, clerk = entrusted_case
    actions.approve_decision(case, actor=head, opinion="同意。")  # the bureau's head signs
    case = actions.decide_case(
        case,
        actor=clerk,
        decision_number=NUMBER,
        decision_summary="罚款一千元。",
        fine_amount=D("1000"),
        penalty=PenaltyFacts(
            violation_type="销售超过保质期的食品",
            violation_facts="经查……",
            legal_basis="《食品安全法》第一百二十四条",
            penalty_categories=["罚款"],
            valid_until=localdate() + datetime.timedelta(days=365),
        ),
    )
    authority = rules.deciding_authority(case.body)
    assert (authority.name, authority.credit_code) == (case_body.name, case_body.credit_code)
    assert (case.authority_name, case.authority_credit_code) == (
        case_body.name,
        case_body.credit_code,
    )
    record = PenaltyRecord.objects.get(case=case)
    assert (record.authority, record.authority_credit_code) == (
        case_body.name,
        case_body.credit_code,
    )


def test_a_statutory_body_decides_in_its_own_name(case_body: EnforcementBody) -> None:
    authority = rules.deciding_authority(case_body)
    assert (authority.name, authority.credit_code) == (case_body.name, case_body.credit_code)


def test_a_decision_number_is_unique_per_deciding_authority(
    entrusted_case: tuple[Case, User],
    make_case: Callable[..., Case],
    handler: User,
    head: User,
) -> None:
    """The entrusted organisation numbers in its entrusting body's name: the bureau's own case
    may not reuse the number."""
    case, clerk = entrusted_case
    actions.approve_decision(case, actor=head, opinion="同意。")
    decide(case, clerk)
    own = advance(make_case(), handler, CaseStatus.NOTIFIED)
    actions.approve_decision(own, actor=head, opinion="同意。")
    with pytest.raises(ValidationError, match="相同决定书文号"):
        decide(own, handler)


def test_the_case_page_offers_the_sign_off_to_the_head_when_it_can_be_given(
    make_case: Callable[..., Case], handler: User, head: User, client: Any
) -> None:
    """The head sees why not yet (the discussion), then the form; the handler never sees it."""
    from django.urls import reverse

    case = advance(make_case(is_serious_violation=True), handler, CaseStatus.NOTIFIED)
    url = reverse("cases:detail", args=[case.pk])
    client.force_login(head)
    page = client.get(url)
    assert "approval_form" not in page.context and "尚不能签批" in page.content.decode()
    discuss(case, head)
    page = client.get(url)
    assert page.context["approval_form"] is not None
    client.post(
        reverse("cases:head_action", args=[case.pk, "approve"]), {"approve-opinion": "同意。"}
    )
    assert DecisionApproval.objects.filter(case=case, approver=head).exists()
    assert "approval_form" not in client.get(url).context  # signed since the last step
    client.force_login(handler)
    assert "approval_form" not in client.get(url).context
