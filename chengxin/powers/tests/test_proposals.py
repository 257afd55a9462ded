"""The adjustment procedure (powers.actions, powers.rules): a department proposes, the rule-of-law
office reviews, a third person records the government's approval; only then, and only from its
effective date, does the list change. Each rule: a valid case, an invalid one, the boundary."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.core import calendar
from chengxin.core.attention import pending_for
from chengxin.core.models import LocalSetting
from chengxin.powers import actions, attention
from chengxin.powers.choices import AdjustmentKind, ProposalEventType, ProposalStatus
from chengxin.powers.listing import versions_on
from chengxin.powers.models import PowerCategory, PowerItem, PowerProposal

pytestmark = [pytest.mark.django_db, pytest.mark.today(datetime.date(2026, 3, 10))]

MakeItem = Callable[..., PowerItem]
TODAY = datetime.date(2026, 3, 10)
NEXT_MONTH = datetime.date(2026, 4, 1)
DUTIES = "1.立案责任……2.调查取证责任……"
ACCOUNTABILITY = "1.没有法定依据实施行政处罚的；2.违反法定程序的……"


def fields_of(item: PowerItem, **changes: Any) -> dict[str, Any]:
    values = {field: getattr(item, field) for field in actions.ITEM_FIELDS}
    values.update(duties=DUTIES, accountability=ACCOUNTABILITY)
    values.update(changes)
    return values


def propose_change(item: PowerItem, actor: User, **changes: Any) -> PowerProposal:
    return actions.propose_adjustment(
        AdjustmentKind.CHANGE,
        actor=actor,
        item=item,
        values=fields_of(item, **changes),
        reason="压缩办理时限",
        effective_on=NEXT_MONTH,
    )


def new_item(department: Department, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": "CF-370405-20-0999",
        "name": "对特种设备使用单位未办理使用登记的行政处罚",
        "category": PowerCategory.objects.get(code="penalty"),
        "implementing_department": department,
        "legal_basis": "《中华人民共和国特种设备安全法》第八十三条",
        "duties": DUTIES,
        "accountability": ACCOUNTABILITY,
    }
    values.update(changes)
    return values


@pytest.fixture
def item(make_power_item: MakeItem, market: Department) -> PowerItem:
    return make_power_item(
        implementing_department=market, time_limit="90日", effective_on=datetime.date(2025, 1, 1)
    )


def listed(day: datetime.date, item: PowerItem) -> dict[str, Any] | None:
    version = versions_on(day).filter(item=item).first()
    return version.snapshot if version is not None else None


# --- the whole procedure ------------------------------------------------------------------------


def test_a_change_takes_effect_only_after_approval_and_from_its_effective_date(
    item: PowerItem, liaison: User, law_admin: User, registrar: User
) -> None:
    proposal = propose_change(item, liaison, time_limit="30日")
    assert (proposal.status, proposal.changed_fields, proposal.base_version) == (
        ProposalStatus.SUBMITTED,
        ["time_limit", "duties", "accountability"],
        1,
    )
    item.refresh_from_db()
    assert (item.version, item.time_limit) == (1, "90日")
    assert listed(NEXT_MONTH, item)["time_limit"] == "90日"  # type: ignore[index]

    actions.review_proposal(proposal, reviewer=law_admin, passed=True, opinion="")
    assert listed(NEXT_MONTH, item)["time_limit"] == "90日"  # type: ignore[index]

    adjustment = actions.approve_proposal(
        proposal,
        actor=registrar,
        document="台政字〔2026〕12号",
        approved_on=TODAY,
        effective_on=NEXT_MONTH,
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED and proposal.adjustment == adjustment
    assert (adjustment.kind, adjustment.version, adjustment.document, adjustment.actor) == (
        AdjustmentKind.CHANGE,
        2,
        "台政字〔2026〕12号",
        registrar,
    )
    assert adjustment.snapshot["duties"] == DUTIES
    assert adjustment.snapshot["accountability"] == ACCOUNTABILITY
    # The day before the effective date the published list still shows version 1.
    assert listed(NEXT_MONTH - datetime.timedelta(days=1), item)["time_limit"] == "90日"  # type: ignore[index]
    assert listed(NEXT_MONTH, item)["time_limit"] == "30日"  # type: ignore[index]
    kinds = list(proposal.events.values_list("type", flat=True))
    assert kinds == [
        ProposalEventType.SUBMITTED,
        ProposalEventType.PASSED,
        ProposalEventType.APPROVED,
    ]


def test_an_approved_addition_and_cancellation(
    item: PowerItem, market: Department, liaison: User, law_admin: User, registrar: User
) -> None:
    added = actions.propose_adjustment(
        AdjustmentKind.ADD,
        actor=liaison,
        values=new_item(market),
        reason="法律新设",
        effective_on=TODAY,
    )
    cancelled = actions.propose_adjustment(
        AdjustmentKind.CANCEL,
        actor=liaison,
        item=item,
        reason="设定依据废止",
        effective_on=TODAY,
    )
    assert not PowerItem.objects.filter(code="CF-370405-20-0999").exists()
    for proposal in (added, cancelled):
        actions.review_proposal(proposal, reviewer=law_admin, passed=True, opinion="同意")
        actions.approve_proposal(
            proposal, actor=registrar, document="台政字〔2026〕13号", approved_on=TODAY
        )
    new = PowerItem.objects.get(code="CF-370405-20-0999")
    assert set(PowerItem.objects.in_force(on=TODAY)) == {new}
    assert set(PowerItem.objects.in_force(on=TODAY - datetime.timedelta(days=1))) == {item}
    assert new.duties == DUTIES


# --- who may do what ----------------------------------------------------------------------------


def test_a_liaison_proposes_for_their_own_department_only(
    make_power_item: MakeItem, item: PowerItem, liaison: User, case_officer: User
) -> None:
    other = make_power_item()
    assert (
        propose_change(item, liaison, time_limit="30日").department == item.implementing_department
    )
    with pytest.raises(PermissionDenied):
        propose_change(other, liaison, time_limit="30日")
    with pytest.raises(PermissionDenied):  # nor add one for another department
        actions.propose_adjustment(
            AdjustmentKind.ADD,
            actor=liaison,
            values=new_item(other.implementing_department),
            reason="新设",
            effective_on=NEXT_MONTH,
        )
    with pytest.raises(PermissionDenied):
        propose_change(other, case_officer, time_limit="30日")


def test_nobody_but_the_published_list_changes_an_item_directly(
    item: PowerItem, liaison: User, law_admin: User
) -> None:
    with pytest.raises(PermissionDenied):
        actions.change_power_item(
            item, {"time_limit": "1日"}, actor=liaison, reason="x", document="x", effective_on=TODAY
        )
    # The rule-of-law office loads the list as published (IMPORT): the register's door.
    adjustment = actions.change_power_item(
        item,
        {"time_limit": "1日"},
        actor=law_admin,
        reason="按公布清单导入",
        document="台政发〔2026〕1号",
        effective_on=TODAY,
    )
    assert adjustment.version == 2 and not hasattr(adjustment, "proposal")


def test_the_reviewer_is_not_the_proposer(
    item: PowerItem, law_admin: User, registrar: User, liaison: User
) -> None:
    proposal = propose_change(item, law_admin, time_limit="30日")  # the office may propose too
    with pytest.raises(ValidationError) as excinfo:
        actions.review_proposal(proposal, reviewer=law_admin, passed=True, opinion="")
    assert excinfo.value.code == "same_person"
    with pytest.raises(PermissionDenied):  # a liaison does not review
        actions.review_proposal(proposal, reviewer=liaison, passed=True, opinion="")
    actions.review_proposal(proposal, reviewer=registrar, passed=True, opinion="")
    assert PowerProposal.objects.get().status == ProposalStatus.PASSED


def test_the_approval_is_recorded_by_neither_the_proposer_nor_the_reviewer(
    item: PowerItem,
    make_user: Callable[..., User],
    law_admin: User,
    registrar: User,
) -> None:
    proposal = propose_change(item, law_admin, time_limit="30日")
    actions.review_proposal(proposal, reviewer=registrar, passed=True, opinion="")
    third = make_user(Role.RULE_OF_LAW_ADMIN)
    for someone in (law_admin, registrar):
        with pytest.raises(ValidationError) as excinfo:
            actions.approve_proposal(
                proposal, actor=someone, document="台政字〔2026〕12号", approved_on=TODAY
            )
        assert excinfo.value.code == "same_person"
    item.refresh_from_db()
    assert item.version == 1
    actions.approve_proposal(
        proposal, actor=third, document="台政字〔2026〕12号", approved_on=TODAY
    )
    item.refresh_from_db()
    assert item.version == 2


def test_whoever_resubmitted_may_not_review_or_approve(
    item: PowerItem,
    make_user: Callable[..., User],
    liaison: User,
    law_admin: User,
    registrar: User,
) -> None:
    proposal = propose_change(item, liaison, time_limit="30日")
    actions.review_proposal(proposal, reviewer=registrar, passed=False, opinion="补充依据")
    actions.revise_proposal(
        proposal,
        actor=law_admin,  # the office revised it on the department's behalf
        values=fields_of(item, time_limit="30日", legal_basis="《食品安全法》第三十五条"),
        reason="补充依据",
        effective_on=NEXT_MONTH,
    )
    with pytest.raises(ValidationError):
        actions.review_proposal(proposal, reviewer=law_admin, passed=True, opinion="")
    actions.review_proposal(proposal, reviewer=registrar, passed=True, opinion="")
    with pytest.raises(ValidationError):
        actions.approve_proposal(
            proposal, actor=law_admin, document="台政字〔2026〕12号", approved_on=TODAY
        )
    third = make_user(Role.RULE_OF_LAW_ADMIN)
    actions.approve_proposal(
        proposal, actor=third, document="台政字〔2026〕12号", approved_on=TODAY
    )


# --- content of a proposal ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duties", "accountability", "missing"),
    [
        ("", "", {"duties", "accountability"}),
        ("  ", ACCOUNTABILITY, {"duties"}),  # boundary: blank is empty
        (DUTIES, "\n", {"accountability"}),
    ],
)
def test_an_item_is_proposed_with_its_duties_and_accountability(
    market: Department, liaison: User, duties: str, accountability: str, missing: set[str]
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.propose_adjustment(
            AdjustmentKind.ADD,
            actor=liaison,
            values=new_item(market, duties=duties, accountability=accountability),
            reason="新设",
            effective_on=NEXT_MONTH,
        )
    assert set(excinfo.value.message_dict) == missing
    assert not PowerProposal.objects.exists()


def test_a_change_of_an_item_without_duties_must_add_them(item: PowerItem, liaison: User) -> None:
    assert item.duties == ""  # loaded before 权责清单 was kept
    with pytest.raises(ValidationError) as excinfo:
        propose_change(item, liaison, time_limit="30日", duties="", accountability="")
    assert set(excinfo.value.message_dict) == {"duties", "accountability"}


def test_a_proposal_needs_a_reason_and_a_date_and_a_difference(
    item: PowerItem, liaison: User
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.propose_adjustment(
            AdjustmentKind.CANCEL, actor=liaison, item=item, reason=" ", effective_on=None
        )
    assert set(excinfo.value.message_dict) == {"reason", "effective_on"}
    propose_change(item, liaison, time_limit="30日")  # valid
    PowerProposal.objects.all().delete()
    item.duties, item.accountability = DUTIES, ACCOUNTABILITY
    item.save()
    with pytest.raises(ValidationError, match="没有需要变更的内容"):
        propose_change(item, liaison)


def test_one_proposal_per_item_at_a_time(item: PowerItem, liaison: User) -> None:
    first = propose_change(item, liaison, time_limit="30日")
    with pytest.raises(ValidationError) as excinfo:
        propose_change(item, liaison, time_limit="20日")
    assert "code" in excinfo.value.message_dict
    with transaction.atomic(), pytest.raises(IntegrityError):  # the database refuses it too
        PowerProposal.objects.create(
            kind=AdjustmentKind.CANCEL,
            code=first.code,
            item=item,
            department=first.department,
            reason="取消",
            effective_on=NEXT_MONTH,
            proposed_by=liaison,
            submitted_on=TODAY,
            due_on=TODAY,
        )
    actions.withdraw_proposal(first, actor=liaison, reason="另行申报")
    assert propose_change(item, liaison, time_limit="20日").status == ProposalStatus.SUBMITTED


# --- review: passed or returned ------------------------------------------------------------------


def test_a_returned_proposal_is_revised_and_reviewed_again(
    item: PowerItem, liaison: User, law_admin: User, registrar: User
) -> None:
    proposal = propose_change(item, liaison, time_limit="30日")
    with pytest.raises(ValidationError) as excinfo:
        actions.review_proposal(proposal, reviewer=law_admin, passed=False, opinion="  ")
    assert "opinion" in excinfo.value.message_dict
    actions.review_proposal(proposal, reviewer=law_admin, passed=False, opinion="依据不准确")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.review_opinion) == (ProposalStatus.RETURNED, "依据不准确")
    for step in (
        lambda: actions.approve_proposal(
            proposal, actor=registrar, document="台政字〔2026〕12号", approved_on=TODAY
        ),
        lambda: actions.review_proposal(proposal, reviewer=law_admin, passed=True, opinion=""),
    ):
        with pytest.raises(ValidationError) as refused:
            step()
        assert refused.value.code == "wrong_status"
    item.refresh_from_db()
    assert item.version == 1

    actions.revise_proposal(
        proposal,
        actor=liaison,
        values=fields_of(item, time_limit="30日", legal_basis="《食品安全法》第三十五条"),
        reason="更正依据",
        effective_on=NEXT_MONTH,
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED and proposal.reviewed_by is None
    assert "legal_basis" in proposal.changed_fields
    actions.review_proposal(proposal, reviewer=law_admin, passed=True, opinion="")
    actions.approve_proposal(
        proposal, actor=registrar, document="台政字〔2026〕12号", approved_on=TODAY
    )
    item.refresh_from_db()
    assert item.legal_basis == "《食品安全法》第三十五条"


def test_only_a_returned_proposal_is_revised(item: PowerItem, liaison: User) -> None:
    proposal = propose_change(item, liaison, time_limit="30日")
    with pytest.raises(ValidationError) as excinfo:
        actions.revise_proposal(
            proposal,
            actor=liaison,
            values=fields_of(item, time_limit="20日"),
            reason="再改",
            effective_on=NEXT_MONTH,
        )
    assert excinfo.value.code == "wrong_status"


# --- approval: the document and the dates --------------------------------------------------------


@pytest.fixture
def passed(item: PowerItem, liaison: User, law_admin: User) -> PowerProposal:
    proposal = propose_change(item, liaison, time_limit="30日")
    return actions.review_proposal(proposal, reviewer=law_admin, passed=True, opinion="")


@pytest.mark.parametrize("document", ["", "   "])
def test_an_approval_without_the_governments_document_is_refused(
    passed: PowerProposal, registrar: User, document: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.approve_proposal(passed, actor=registrar, document=document, approved_on=TODAY)
    assert "document" in excinfo.value.message_dict
    passed.refresh_from_db()
    assert passed.status == ProposalStatus.PASSED and passed.adjustment is None
    assert passed.item is not None and passed.item.adjustments.count() == 1


@pytest.mark.parametrize(
    ("approved_on", "effective_on", "refused"),
    [
        (TODAY + datetime.timedelta(days=1), NEXT_MONTH, "approved_on"),  # not given yet
        (TODAY - datetime.timedelta(days=1), NEXT_MONTH, "approved_on"),  # before the review
        (TODAY, TODAY - datetime.timedelta(days=1), "effective_on"),  # retroactive
        (None, NEXT_MONTH, "approved_on"),
        (TODAY, TODAY, None),  # boundary: approved and effective today, reviewed today
    ],
)
def test_the_approval_dates(
    passed: PowerProposal,
    registrar: User,
    approved_on: datetime.date | None,
    effective_on: datetime.date,
    refused: str | None,
) -> None:
    def approve() -> Any:
        return actions.approve_proposal(
            passed,
            actor=registrar,
            document="台政字〔2026〕12号",
            approved_on=approved_on,
            effective_on=effective_on,
        )

    if refused is None:
        assert approve().effective_on == effective_on
        return
    with pytest.raises(ValidationError) as excinfo:
        approve()
    assert set(excinfo.value.message_dict) == {refused}


def test_a_proposal_overtaken_by_another_adjustment_is_not_approved(
    passed: PowerProposal, law_admin: User, registrar: User
) -> None:
    assert passed.item is not None
    actions.change_power_item(
        passed.item,
        {"fee_basis": "按国家标准"},
        actor=law_admin,
        reason="按公布清单导入",
        document="台政发〔2026〕2号",
        effective_on=TODAY,
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.approve_proposal(
            passed, actor=registrar, document="台政字〔2026〕12号", approved_on=TODAY
        )
    assert excinfo.value.code == "stale"
    passed.item.refresh_from_db()
    assert (passed.item.version, passed.item.time_limit) == (2, "90日")


def test_a_withdrawn_proposal_is_not_approved(
    passed: PowerProposal, liaison: User, registrar: User
) -> None:
    with pytest.raises(ValidationError):
        actions.withdraw_proposal(passed, actor=liaison, reason="")
    actions.withdraw_proposal(passed, actor=liaison, reason="职能划转，另行申报")
    with pytest.raises(ValidationError) as excinfo:
        actions.approve_proposal(
            passed, actor=registrar, document="台政字〔2026〕12号", approved_on=TODAY
        )
    assert excinfo.value.code == "wrong_status"


# --- the review time limit and the dashboard -----------------------------------------------------


def test_the_review_is_due_within_the_local_number_of_working_days(
    item: PowerItem, liaison: User
) -> None:
    proposal = propose_change(item, liaison, time_limit="30日")
    assert proposal.submitted_on == TODAY
    assert proposal.due_on == calendar.add_working_days(TODAY, 15)
    due = proposal.due_on
    overdue = PowerProposal.objects.filtered
    assert not overdue(due, overdue=True).exists()  # boundary: the last day is in time
    assert list(overdue(due + datetime.timedelta(days=1), overdue=True)) == [proposal]
    assert proposal.is_overdue(due + datetime.timedelta(days=1))

    LocalSetting.objects.create(key="powers.review_working_days", value="5")
    actions.withdraw_proposal(proposal, actor=liaison, reason="重报")
    again = propose_change(item, liaison, time_limit="30日")
    assert again.due_on == calendar.add_working_days(TODAY, 5)


def test_the_dashboard_lists_what_waits_for_whom(
    item: PowerItem,
    make_power_item: MakeItem,
    market: Department,
    liaison: User,
    law_admin: User,
    registrar: User,
    case_officer: User,
) -> None:
    waiting = propose_change(item, liaison, time_limit="30日")
    other = make_power_item(implementing_department=market)
    returned = propose_change(other, liaison, time_limit="30日")
    actions.review_proposal(returned, reviewer=law_admin, passed=False, opinion="补充")

    def counts(user: User, day: datetime.date) -> dict[str, int]:
        return {p.item.key: p.count for p in pending_for(user, day, attention.ITEMS)}

    assert counts(law_admin, TODAY) == {"powers_review_pending": 1, "powers_returned": 1}
    assert counts(liaison, TODAY) == {"powers_returned": 1}
    assert counts(case_officer, TODAY) == {}
    late = waiting.due_on + datetime.timedelta(days=1)
    assert counts(registrar, late) == {
        "powers_review_overdue": 1,
        "powers_review_pending": 1,
        "powers_returned": 1,
    }
    actions.review_proposal(waiting, reviewer=law_admin, passed=True, opinion="")
    assert counts(registrar, late) == {"powers_approval_pending": 1, "powers_returned": 1}
