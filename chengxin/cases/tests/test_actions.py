"""Online case handling: registration with two assignable officers, steps in order, and the
decision refused for an art. 58 case until a passed legality review — given / when / then."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.agencies.choices import OfficerStatus
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.audit.models import AuditEntry
from chengxin.cases import actions
from chengxin.cases.choices import CaseStatus, EventType, ReviewResult, StepKind
from chengxin.cases.models import Case, CaseEvent, CaseOfficer, CaseStep, LegalityReview
from chengxin.cases.tests.fixtures import ALL_CHECKED, advance, company, decide_now, person, review

pytestmark = pytest.mark.django_db

D = decimal.Decimal


def audited(obj: Any, action: str = "updated") -> bool:
    label = f"{obj._meta.app_label}.{obj._meta.model_name}"
    return AuditEntry.objects.filter(
        object_type=label, object_id=str(obj.pk), action=action
    ).exists()


def decide(case: Case, handler: User, **overrides: Any) -> Case:
    fields: dict[str, Any] = {
        "decision_number": f"台市监罚〔2026〕{case.pk}号",
        "decision_summary": "罚款并没收违法所得。",
    }
    fields.update(overrides)
    return decide_now(case, actor=handler, **fields)


# --- 立案 -------------------------------------------------------------------------------------


def test_register_case_given_two_assignable_officers(
    make_case: Callable[..., Case], handler: User, case_body: EnforcementBody
) -> None:
    # given a body with two officers on duty; when the handler registers a case
    case = make_case(parties=[company(), person("王五")])
    # then it is 已立案 in the body's department, with its step, event and change log
    assert case.status == CaseStatus.REGISTERED
    assert case.department_id == case_body.department_id
    assert case.number.startswith(f"AJ{case.registered_on.year}-")
    assert case.assignments.count() == 2
    step = CaseStep.objects.get(case=case)
    assert step.kind == StepKind.REGISTRATION and step.actor == handler
    assert CaseEvent.objects.filter(case=case, type=EventType.REGISTERED, actor=handler).exists()
    assert audited(case, "created")
    natural = case.parties.get(name="王五")
    assert natural.id_number_ciphertext and "*" in natural.id_number_masked
    entry = AuditEntry.objects.get(object_type="cases.caseparty", object_id=str(natural.pk))
    assert "id_number_ciphertext" not in (entry.after or {})


def test_two_officers_are_required(
    make_case: Callable[..., Case], case_officers: list[EnforcementOfficer]
) -> None:
    with pytest.raises(ValidationError, match="不得少于两人"):
        make_case(officers=case_officers[:1])
    with pytest.raises(ValidationError, match="不得少于两人"):
        make_case(officers=[case_officers[0], case_officers[0]])  # the same person twice
    assert not Case.objects.exists()
    repeated = make_case(officers=[*case_officers, case_officers[0]])
    assert repeated.assignments.count() == 2


@pytest.mark.parametrize(
    ("valid_until_offset", "accepted"),
    [
        (0, True),
        (-1, False),
    ],  # the certificate's last valid day is the registration day / the day before
)
def test_an_officer_with_an_expired_certificate_cannot_be_assigned(
    make_case: Callable[..., Case],
    make_enforcement_officer: Callable[..., EnforcementOfficer],
    case_body: EnforcementBody,
    case_officers: list[EnforcementOfficer],
    valid_until_offset: int,
    accepted: bool,
) -> None:
    day = localdate() - datetime.timedelta(days=10)
    officer = make_enforcement_officer(
        body=case_body,
        name="赵过期",
        certificate_valid_until=day + datetime.timedelta(days=valid_until_offset),
    )
    officers = [case_officers[0], officer]
    if accepted:
        case = make_case(officers=officers, registered_on=day)
        assert set(case.officers.all()) == set(officers)
    else:
        with pytest.raises(ValidationError, match=r"执法证已于 .* 到期"):
            make_case(officers=officers, registered_on=day)
        assert not Case.objects.exists()


@pytest.mark.parametrize("status", [OfficerStatus.SUSPENDED, OfficerStatus.REMOVED])
def test_an_officer_not_on_duty_cannot_be_assigned(
    make_case: Callable[..., Case],
    make_enforcement_officer: Callable[..., EnforcementOfficer],
    case_body: EnforcementBody,
    case_officers: list[EnforcementOfficer],
    status: str,
) -> None:
    officer = make_enforcement_officer(body=case_body, status=status)
    with pytest.raises(ValidationError, match="不能承办案件"):
        make_case(officers=[case_officers[0], officer])


def test_an_officer_of_another_body_cannot_be_assigned(
    make_case: Callable[..., Case],
    make_enforcement_officer: Callable[..., EnforcementOfficer],
    case_officers: list[EnforcementOfficer],
) -> None:
    stranger = make_enforcement_officer()  # another body
    with pytest.raises(ValidationError, match="不属于本案执法主体"):
        make_case(officers=[case_officers[0], stranger])


def test_the_assignment_rule_holds_outside_the_action(
    make_case: Callable[..., Case],
    make_enforcement_officer: Callable[..., EnforcementOfficer],
    case_body: EnforcementBody,
) -> None:
    case = make_case()
    expired = make_enforcement_officer(
        body=case_body, certificate_valid_until=case.registered_on - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="到期"):
        CaseOfficer.objects.create(case=case, officer=expired, assigned_on=case.registered_on)


def test_an_officer_of_another_department_cannot_register(
    make_case: Callable[..., Case], make_user: Callable[..., User]
) -> None:
    outsider = make_user(Role.ENFORCEMENT_OFFICER)
    with pytest.raises(PermissionDenied):
        make_case(actor=outsider)


def test_a_party_with_a_bad_code_is_named(make_case: Callable[..., Case]) -> None:
    bad = actions.PartyData("某公司", "legal_entity", credit_code="91110000600037341N")
    with pytest.raises(ValidationError, match="第 1 名当事人（某公司）"):
        make_case(parties=[bad])


# --- steps in order --------------------------------------------------------------------------


def test_record_step_given_registered_case(make_case: Callable[..., Case], handler: User) -> None:
    case = make_case()
    step = actions.record_step(case, StepKind.INVESTIGATION, actor=handler, notes="现场检查")
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING and step.kind == StepKind.INVESTIGATION
    assert CaseEvent.objects.filter(case=case, type=EventType.STEP_RECORDED).exists()
    assert audited(case)


@pytest.mark.parametrize(
    ("reach", "kind"),
    [
        (CaseStatus.REGISTERED, StepKind.NOTIFICATION),  # 告知 before 调查取证
        (CaseStatus.NOTIFIED, StepKind.INVESTIGATION),  # back to 调查取证 without a review
        (CaseStatus.NOTIFIED, StepKind.SERVICE),  # 送达 before 决定
        (CaseStatus.NOTIFIED, StepKind.CLOSING),
    ],
)
def test_steps_out_of_order_are_refused(
    make_case: Callable[..., Case], handler: User, reach: str, kind: str
) -> None:
    case = make_case()
    if reach != CaseStatus.REGISTERED:
        advance(case, handler, reach)
    with pytest.raises(ValidationError, match="顺序办理"):
        actions.record_step(case, kind, actor=handler)


def test_a_hearing_only_when_requested(make_case: Callable[..., Case], handler: User) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED, hearing=False)
    with pytest.raises(ValidationError, match="未要求听证"):
        actions.record_step(case, StepKind.HEARING, actor=handler)
    requested = advance(make_case(), handler, CaseStatus.NOTIFIED, hearing=True)
    with pytest.raises(ValidationError, match="须先举行听证"):
        decide(requested, handler)
    actions.record_step(requested, StepKind.HEARING, actor=handler)
    requested.refresh_from_db()
    assert requested.status == CaseStatus.HEARD and requested.is_hearing_held


def test_a_step_cannot_be_dated_before_the_previous_one(
    make_case: Callable[..., Case], handler: User
) -> None:
    case = make_case()
    actions.record_step(case, StepKind.INVESTIGATION, actor=handler)
    with pytest.raises(ValidationError, match="不能早于上一环节"):
        actions.record_step(
            case,
            StepKind.NOTIFICATION,
            actor=handler,
            occurred_at=timezone.now() - datetime.timedelta(days=30),
        )


def test_the_full_path_to_closing(make_case: Callable[..., Case], handler: User) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED, fine=D("2000"))
    decide(case, handler, fine_amount=D("2000"))
    for kind in (StepKind.SERVICE, StepKind.EXECUTION, StepKind.CLOSING):
        actions.record_step(case, kind, actor=handler)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == timezone.localdate()
    kinds = list(case.steps.values_list("kind", flat=True))
    assert kinds == [
        StepKind.REGISTRATION,
        StepKind.INVESTIGATION,
        StepKind.NOTIFICATION,
        StepKind.DECISION,
        StepKind.SERVICE,
        StepKind.EXECUTION,
        StepKind.CLOSING,
    ]


# --- 法制审核 before the decision (行政处罚法 art. 58) ---------------------------------------------

TRIGGERS = {
    "public_interest": ({"is_major_public_interest": True}, False),
    "complex": ({"is_complex": True}, False),
    "other_by_law": ({"is_other_by_law": True, "other_by_law_basis": "《某条例》第十条"}, False),
    "rights_and_hearing": ({"is_major_rights": True}, True),
}


@pytest.mark.parametrize("trigger", list(TRIGGERS))
def test_a_major_case_is_not_decided_without_a_passed_review(
    make_case: Callable[..., Case], handler: User, reviewer: User, trigger: str
) -> None:
    flags, hearing = TRIGGERS[trigger]
    case = make_case(**flags)
    case = advance(
        case, handler, CaseStatus.HEARD if hearing else CaseStatus.NOTIFIED, hearing=hearing
    )
    with pytest.raises(ValidationError, match="第五十八条") as refused:
        decide(case, handler)
    assert refused.value.error_list[0].code == "review_required"
    case.refresh_from_db()
    assert case.decided_on is None and case.status != CaseStatus.DECIDED
    # when a 法制审核员 records a passed review, then the decision is made
    review(case, handler, reviewer, ReviewResult.PASSED)
    decided = decide(case, handler)
    assert decided.status == CaseStatus.DECIDED
    assert CaseEvent.objects.filter(case=case, type=EventType.DECIDED).exists()


def test_major_rights_without_a_hearing_is_not_a_trigger(
    make_case: Callable[..., Case], handler: User
) -> None:
    case = advance(make_case(is_major_rights=True), handler, CaseStatus.NOTIFIED)
    assert decide(case, handler).status == CaseStatus.DECIDED


@pytest.mark.parametrize(
    ("party", "amount", "major"),
    [
        ("person", "9999.99", False),
        ("person", "10000", True),  # the threshold itself is major (达到)
        ("business", "10000", True),  # 个体工商户 takes the threshold for 公民
        ("company", "99999.99", False),
        ("company", "100000", True),
    ],
)
def test_the_local_amount_threshold_at_its_boundary(
    make_case: Callable[..., Case], handler: User, party: str, amount: str, major: bool
) -> None:
    parties = {
        "person": person(),
        "business": actions.PartyData(
            "台儿庄区老王饭店", "individual_business", credit_code=company().credit_code
        ),
        "company": company(),
    }
    case = advance(make_case(parties=[parties[party]]), handler, CaseStatus.NOTIFIED)
    if major:
        with pytest.raises(ValidationError, match="达到本地重大执法决定标准"):
            decide(case, handler, fine_amount=D(amount))
    else:
        assert decide(case, handler, fine_amount=D(amount)).status == CaseStatus.DECIDED


def test_the_threshold_is_a_local_setting(make_case: Callable[..., Case], handler: User) -> None:
    from chengxin.core import local_settings
    from chengxin.core.models import LocalSetting

    LocalSetting.objects.create(key="cases.major_fine_organisation", value="50000")
    local_settings.clear_cache()
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    with pytest.raises(ValidationError, match="罚款数额"):
        decide(case, handler, fine_amount=D("50000"))


def test_confiscation_counts_like_a_fine(make_case: Callable[..., Case], handler: User) -> None:
    case = advance(make_case(parties=[person()]), handler, CaseStatus.NOTIFIED)
    with pytest.raises(ValidationError, match="没收违法所得"):
        decide(case, handler, fine_amount=D("500"), confiscation_amount=D("10000"))


def test_a_failed_review_still_blocks_and_sends_the_case_back(
    make_case: Callable[..., Case], handler: User, reviewer: User
) -> None:
    case = advance(make_case(is_complex=True), handler, CaseStatus.NOTIFIED)
    failed = review(case, handler, reviewer, ReviewResult.FAILED)
    # then: the review step, event and change log are written; the decision is still refused
    assert failed.result == ReviewResult.FAILED and failed.reviewer == reviewer
    assert CaseStep.objects.filter(case=case, kind=StepKind.LEGALITY_REVIEW).exists()
    assert CaseEvent.objects.filter(case=case, type=EventType.REVIEW_FAILED).exists()
    assert audited(failed)
    with pytest.raises(ValidationError, match="审核未通过"):
        decide(case, handler)
    # the handlers investigate again, notify again, and a new review passes
    actions.record_step(case, StepKind.INVESTIGATION, actor=handler, notes="补充调查")
    actions.record_step(case, StepKind.NOTIFICATION, actor=handler)
    review(case, handler, reviewer, ReviewResult.PASSED)
    assert decide(case, handler).status == CaseStatus.DECIDED


def test_a_pending_review_blocks_the_decision_and_other_steps(
    make_case: Callable[..., Case], handler: User
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    pending = actions.request_legality_review(case, actor=handler, submission="拟警告。")
    assert pending.result == ReviewResult.PENDING
    assert CaseEvent.objects.filter(case=case, type=EventType.REVIEW_REQUESTED).exists()
    with pytest.raises(ValidationError, match="尚未完成"):
        decide(case, handler)
    with pytest.raises(ValidationError, match="法制审核正在进行"):
        actions.record_step(case, StepKind.INVESTIGATION, actor=handler)
    with pytest.raises(ValidationError, match="已在法制审核中"):
        actions.request_legality_review(case, actor=handler, submission="再次送审")


def test_a_passed_review_confirms_every_checklist_item(
    make_case: Callable[..., Case], handler: User, reviewer: User
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    pending = actions.request_legality_review(case, actor=handler, submission="拟罚款。")
    partial = dict(ALL_CHECKED, checked_no_crime=False)
    with pytest.raises(ValidationError, match="不涉嫌犯罪"):
        actions.record_legality_review(
            pending, actor=reviewer, result=ReviewResult.PASSED, opinion="同意", checklist=partial
        )
    passed = actions.record_legality_review(
        pending, actor=reviewer, result=ReviewResult.PASSED, opinion="同意", checklist=ALL_CHECKED
    )
    case.refresh_from_db()
    assert passed.result == ReviewResult.PASSED and case.status == CaseStatus.REVIEWED
    assert CaseEvent.objects.filter(case=case, type=EventType.REVIEW_PASSED).exists()


def test_only_a_legal_reviewer_records_the_review(
    make_case: Callable[..., Case], handler: User, make_user: Callable[..., User]
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    pending = actions.request_legality_review(case, actor=handler, submission="拟罚款。")
    for someone in (handler, make_user(Role.RULE_OF_LAW_ADMIN)):
        with pytest.raises(PermissionDenied):
            actions.record_legality_review(
                pending, actor=someone, result="passed", opinion="同意", checklist=ALL_CHECKED
            )


def test_a_review_is_requested_only_after_notification(
    make_case: Callable[..., Case], handler: User
) -> None:
    case = make_case()
    with pytest.raises(ValidationError, match="告知"):
        actions.request_legality_review(case, actor=handler, submission="拟罚款。")


def test_review_extension_once(
    make_case: Callable[..., Case], handler: User, reviewer: User
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    pending = actions.request_legality_review(case, actor=handler, submission="拟罚款。")
    due = pending.due_on
    extended = actions.extend_legality_review(pending, actor=reviewer, reason="案情复杂")
    assert extended.due_on > due and extended.is_extended
    assert CaseEvent.objects.filter(case=case, type=EventType.REVIEW_EXTENDED).exists()
    with pytest.raises(ValidationError, match="只能延长一次"):
        actions.extend_legality_review(extended, actor=reviewer, reason="再延")


def test_mark_major_raises_flags_and_never_after_the_decision(
    make_case: Callable[..., Case], handler: User
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    actions.mark_major(
        case, actor=handler, reason="涉及食品安全公共利益", is_major_public_interest=True
    )
    case.refresh_from_db()
    assert case.is_major_public_interest
    assert CaseEvent.objects.filter(case=case, type=EventType.MARKED_MAJOR).exists()
    with pytest.raises(ValidationError, match="第五十八条"):
        decide(case, handler)
    other = advance(make_case(), handler, CaseStatus.NOTIFIED)
    decide(other, handler)
    with pytest.raises(ValidationError, match="已作出决定"):
        actions.mark_major(other, actor=handler, reason="事后", is_complex=True)


def test_the_decision_number_is_unique_per_body(
    make_case: Callable[..., Case], handler: User
) -> None:
    first = advance(make_case(), handler, CaseStatus.NOTIFIED)
    second = advance(make_case(), handler, CaseStatus.NOTIFIED)
    decide(first, handler, decision_number="台市监罚〔2026〕1号")
    with pytest.raises(ValidationError, match="相同决定书文号"):
        decide(second, handler, decision_number="台市监罚〔2026〕1号")


def test_review_queue_querysets(
    make_case: Callable[..., Case], handler: User, reviewer: User
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    pending = actions.request_legality_review(case, actor=handler, submission="拟罚款。")
    assert list(LegalityReview.objects.pending()) == [pending]
    after_due = pending.due_on + datetime.timedelta(days=1)
    assert list(LegalityReview.objects.overdue(on=after_due)) == [pending]
    assert not LegalityReview.objects.overdue(on=pending.due_on).exists()


def test_a_decision_may_not_exceed_the_reviewed_amount(
    make_case: Callable[..., Case], handler: User, reviewer: User
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED, fine=D("150000"))
    passed = review(case, handler, reviewer, ReviewResult.PASSED)
    assert passed.fine_amount == D("150000")
    with pytest.raises(ValidationError, match="超过法制审核时的拟处罚数额"):
        decide(case, handler, fine_amount=D("200000"))
    assert decide(case, handler, fine_amount=D("150000")).status == CaseStatus.DECIDED


def test_a_step_entered_to_the_minute_of_the_previous_one_is_accepted(
    make_case: Callable[..., Case], handler: User
) -> None:
    case = make_case()
    first = actions.record_step(case, StepKind.INVESTIGATION, actor=handler)
    same_minute = first.occurred_at.replace(second=0, microsecond=0)
    second = actions.record_step(
        case, StepKind.NOTIFICATION, actor=handler, occurred_at=same_minute
    )
    assert second.occurred_at == first.occurred_at


def test_a_hearing_requested_after_the_notice_must_be_held(
    make_case: Callable[..., Case], handler: User
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    # given a notified case; when the party's hearing request is recorded
    actions.record_hearing_request(case, actor=handler, note="当事人书面申请听证")
    case.refresh_from_db()
    # then the hearing comes before the decision, with its event and change log
    assert case.is_hearing_requested and case.status == CaseStatus.NOTIFIED
    assert CaseEvent.objects.filter(case=case, type=EventType.HEARING_REQUESTED).exists()
    assert audited(case)
    with pytest.raises(ValidationError, match="须先举行听证"):
        decide(case, handler)
    with pytest.raises(ValidationError, match="尚未登记听证申请"):
        actions.record_hearing_request(case, actor=handler)
    actions.record_step(case, StepKind.HEARING, actor=handler)
    assert decide(case, handler).status == CaseStatus.DECIDED


@pytest.mark.parametrize("decided", [None, "50000"])
def test_a_major_amount_proposed_at_notice_needs_the_review_whatever_the_decided_amount(
    make_case: Callable[..., Case], handler: User, reviewer: User, decided: str | None
) -> None:
    """Given 告知 proposed a fine over the local threshold (拟作出较大数额罚款),
    when the decision is entered with the fine left blank or lowered below the threshold,
    then it is still refused until a passed review; after it, the lower fine is decided."""
    case = advance(make_case(), handler, CaseStatus.NOTIFIED, fine=D("200000"))
    amount = None if decided is None else D(decided)
    with pytest.raises(ValidationError, match="第五十八条"):
        decide(case, handler, fine_amount=amount)
    case.refresh_from_db()
    assert case.decided_on is None and case.fine_amount == D("200000")
    review(case, handler, reviewer, ReviewResult.PASSED)
    decided_case = decide(case, handler, fine_amount=amount)
    assert decided_case.status == CaseStatus.DECIDED and decided_case.fine_amount == amount


def test_an_officer_reinstated_after_the_case_date_was_not_on_duty_that_day(
    make_case: Callable[..., Case],
    make_enforcement_officer: Callable[..., EnforcementOfficer],
    case_body: EnforcementBody,
    case_officers: list[EnforcementOfficer],
) -> None:
    """Given an officer suspended 30 days ago and reinstated 5 days ago,
    when a case is registered for 10 days ago with that officer, then it is refused;
    for 5 days ago (the reinstatement day) it is accepted."""
    from chengxin.agencies import actions as agency_actions

    today = localdate()
    officer = make_enforcement_officer(body=case_body, name="钱复岗")
    agency_actions.suspend_officer(
        officer, actor=None, reason="停职审查", on=today - datetime.timedelta(days=30)
    )
    agency_actions.change_officer_status(
        officer,
        OfficerStatus.ON_DUTY,
        actor=None,
        reason="审查结束",
        on=today - datetime.timedelta(days=5),
    )
    officer.refresh_from_db()
    officers = [case_officers[0], officer]
    assert not officer.is_assignable_on(today - datetime.timedelta(days=10))
    with pytest.raises(ValidationError, match="钱复岗"):
        make_case(officers=officers, registered_on=today - datetime.timedelta(days=10))
    case = make_case(officers=officers, registered_on=today - datetime.timedelta(days=5))
    assert officer in case.officers.all()


def test_a_handler_of_the_case_may_not_review_it_even_with_the_reviewer_role(
    make_case: Callable[..., Case],
    handler: User,
    make_user: Callable[..., User],
    case_department: Department,
) -> None:
    """Given a user holding both the officer and the 法制审核员 roles who handled the case,
    when they record the review of it, then it is refused; another reviewer of the department's
    法制机构 (the body's reviewing unit) records it."""
    from chengxin.accounts.models import UserRole
    from chengxin.cases.models import LegalReviewer

    UserRole.objects.create(user=handler, role=Role.LEGAL_REVIEWER)
    handler = User.objects.get(pk=handler.pk)  # roles are cached on the instance
    reviewer = make_user(Role.LEGAL_REVIEWER, department=case_department)
    LegalReviewer.objects.create(
        user=reviewer, has_legal_qualification=True, qualification_number="A1"
    )
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    pending = actions.request_legality_review(case, actor=handler, submission="拟罚款。")
    with pytest.raises(ValidationError, match="承办"):
        actions.record_legality_review(
            pending, actor=handler, result="passed", opinion="同意", checklist=ALL_CHECKED
        )
    pending.refresh_from_db()
    assert pending.result == ReviewResult.PENDING
    done = actions.record_legality_review(
        pending, actor=reviewer, result="passed", opinion="同意", checklist=ALL_CHECKED
    )
    assert done.result == ReviewResult.PASSED


def test_an_officer_suspended_after_the_case_date_was_on_duty_that_day(
    make_case: Callable[..., Case],
    make_enforcement_officer: Callable[..., EnforcementOfficer],
    case_body: EnforcementBody,
    case_officers: list[EnforcementOfficer],
) -> None:
    """Given an officer suspended 5 days ago (journal entry with its effective date),
    when a case is entered for 10 days ago with that officer, then it is accepted (on duty that
    day); for 3 days ago it is refused."""
    from chengxin.agencies import actions as agency_actions

    today = localdate()
    officer = make_enforcement_officer(body=case_body, name="孙停职")
    agency_actions.suspend_officer(
        officer, actor=None, reason="停职审查", on=today - datetime.timedelta(days=5)
    )
    officer.refresh_from_db()
    officers = [case_officers[0], officer]
    with pytest.raises(ValidationError, match="孙停职"):
        make_case(officers=officers, registered_on=today - datetime.timedelta(days=3))
    case = make_case(officers=officers, registered_on=today - datetime.timedelta(days=10))
    assert officer in case.officers.all()
