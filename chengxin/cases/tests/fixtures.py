"""Cases for tests: a body with its department, two assignable officers, a penalty power item of
that department, an enforcement officer user of that department, a qualified legal reviewer, a
head of the body, and `make_case` / `advance` / `decide_now`.

    from chengxin.cases.tests.fixtures import make_case, advance, decide_now

`make_case(**overrides)` registers a case through cases.actions.register_case (so it has its
立案 step and event); overrides go to register_case (`parties=`, `officers=`, flags …).
`advance(case, actor, to)` records the steps up to `to` (a CaseStatus) in order.
`prepare_decision(case, …)` records what a decision needs besides the handlers' steps — the heads'
agreeing discussion when the case needs one, a head's sign-off — where the case is ready for them
(else leaves the decision to refuse); `decide_now(case, actor=…, …)` does that and decides.
"""

from __future__ import annotations

import datetime
import decimal
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User, UserRole
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.cases import actions, rules
from chengxin.cases.actions import PartyData
from chengxin.cases.choices import CaseStatus, DiscussionResult, ReviewResult, StepKind
from chengxin.cases.models import CHECKLIST, Case, LegalityReview, LegalReviewer
from chengxin.core.identifiers import make_resident_id, make_uscc
from chengxin.powers.models import PowerItem
from chengxin.subjects.choices import SubjectCategory

_rng = random.Random(58)
ALL_CHECKED = {field: True for field, _label in CHECKLIST}


def company(name: str = "台儿庄区鲁南食品有限公司") -> PartyData:
    return PartyData(name, SubjectCategory.LEGAL_ENTITY, credit_code=make_uscc(_rng))


def person(name: str = "张三") -> PartyData:
    return PartyData(name, SubjectCategory.NATURAL_PERSON, id_number=make_resident_id(_rng))


@pytest.fixture
def case_department(make_department: Callable[..., Department]) -> Department:
    return make_department(name="台儿庄区市场监督管理局（案件）")


@pytest.fixture
def case_body(
    case_department: Department, make_enforcement_body: Callable[..., EnforcementBody]
) -> EnforcementBody:
    return make_enforcement_body(name="台儿庄区市场监督管理局", department=case_department)


@pytest.fixture
def case_officers(
    case_body: EnforcementBody, make_enforcement_officer: Callable[..., EnforcementOfficer]
) -> list[EnforcementOfficer]:
    return [
        make_enforcement_officer(body=case_body, name="李执法"),
        make_enforcement_officer(body=case_body, name="王执法"),
    ]


@pytest.fixture
def penalty_item(
    make_power_item: Callable[..., PowerItem], case_department: Department
) -> PowerItem:
    """A 行政处罚 item the case body's department implements (its competence)."""
    return make_power_item(
        name="对生产经营超过保质期食品的行政处罚", implementing_department=case_department
    )


@pytest.fixture
def handler(make_user: Callable[..., User], case_department: Department) -> User:
    """An enforcement officer's user account in the body's department."""
    return make_user(Role.ENFORCEMENT_OFFICER, department=case_department, full_name="办案员甲")


@pytest.fixture
def reviewer(make_user: Callable[..., User]) -> User:
    """A district-wide legal reviewer (no department) with the 法律职业资格."""
    user = make_user(Role.LEGAL_REVIEWER, full_name="法制审核员乙")
    LegalReviewer.objects.create(
        user=user, has_legal_qualification=True, qualification_number="A20193701000123"
    )
    return user


@pytest.fixture
def head(
    make_user: Callable[..., User], case_department: Department, case_body: EnforcementBody
) -> User:
    """A head (负责人) of the case body, who signs its decisions off."""
    user = make_user(Role.ENFORCEMENT_OFFICER, department=case_department, full_name="局长丙")
    case_body.heads.add(user)
    return user


def head_of(body: EnforcementBody) -> User:
    """A head of `body`: the first registered, else a new one of its department."""
    found = body.heads.order_by("pk").first()
    if found is not None:
        return found
    user = User.objects.create_user(
        f"head-{body.pk}", None, full_name="负责人", department_id=body.department_id
    )
    UserRole.objects.create(user=user, role=Role.ENFORCEMENT_OFFICER)
    body.heads.add(user)
    return user


def prepare_decision(
    case: Case,
    *,
    fine_amount: decimal.Decimal | None = None,
    confiscation_amount: decimal.Decimal | None = None,
    occurred_at: datetime.datetime | None = None,
) -> None:
    """The heads' agreeing discussion when the case needs one, then a head's sign-off of the
    amounts given (else those proposed), at `occurred_at` (default now) — each only where the
    case is ready for it, so that a test of another rule sees the decision's own refusal."""
    case = Case.objects.select_related("body", "power_item__category").get(pk=case.pk)
    head = head_of(case.body)
    fine = rules.larger_amount(case.fine_amount, fine_amount)
    other = rules.larger_amount(case.confiscation_amount, confiscation_amount)
    when = occurred_at or timezone.now()
    try:
        if (
            rules.discussion_triggers(case, fine_amount=fine, confiscation_amount=other)
            and case.status != CaseStatus.DISCUSSED
        ):
            actions.record_collective_discussion(
                case,
                actor=head,
                held_on=timezone.localdate(when),
                participants="局长丙\n副局长丁",
                conclusion="同意给予拟定的行政处罚。",
                result=DiscussionResult.AGREED,
                occurred_at=when,
            )
        actions.approve_decision(
            case,
            actor=head,
            opinion="同意。",
            approved_at=when,
            fine_amount=fine_amount if fine_amount is not None else case.fine_amount,
            confiscation_amount=confiscation_amount
            if confiscation_amount is not None
            else case.confiscation_amount,
        )
    except ValidationError:
        pass  # not ready: the decision refuses with its own reason


def decide_now(case: Case, **fields: Any) -> Case:
    """prepare_decision, then cases.actions.decide_case with `fields` (actor, number …)."""
    prepare_decision(
        case,
        fine_amount=fields.get("fine_amount"),
        confiscation_amount=fields.get("confiscation_amount"),
        occurred_at=fields.get("occurred_at"),
    )
    return actions.decide_case(case, **fields)


@pytest.fixture
def make_case(
    handler: User,
    case_body: EnforcementBody,
    case_officers: list[EnforcementOfficer],
    penalty_item: PowerItem,
) -> Callable[..., Case]:
    def make(**overrides: Any) -> Case:
        fields: dict[str, Any] = {
            "actor": handler,
            "body": case_body,
            "power_item": penalty_item,
            "parties": [company()],
            "officers": case_officers,
            "summary": "经举报，当事人销售超过保质期的食品。",
            "registered_on": localdate() - datetime.timedelta(days=20),
        }
        fields.update(overrides)
        return actions.register_case(**fields)

    return make


ORDER = (
    (CaseStatus.INVESTIGATING, StepKind.INVESTIGATION),
    (CaseStatus.NOTIFIED, StepKind.NOTIFICATION),
)


def advance(
    case: Case,
    actor: User,
    to: str,
    *,
    fine: decimal.Decimal | None = None,
    hearing: bool = False,
) -> Case:
    """Record 调查取证 and 告知 (with the proposed fine and a hearing request), then 听证."""
    for status, kind in ORDER:
        extra: dict[str, Any] = {}
        if kind == StepKind.NOTIFICATION:
            extra = {"hearing_requested": hearing, "fine_amount": fine}
        actions.record_step(case, kind, actor=actor, notes="记录", **extra)
        if status == to:
            break
    if to == CaseStatus.HEARD:
        actions.record_step(case, StepKind.HEARING, actor=actor, notes="听证会")
    case.refresh_from_db()
    return case


def review(case: Case, handler: User, reviewer: User, result: str) -> LegalityReview:
    requested = actions.request_legality_review(
        case, actor=handler, submission="拟罚款并没收违法所得。"
    )
    checklist = ALL_CHECKED if result == ReviewResult.PASSED else {}
    return actions.record_legality_review(
        requested, actor=reviewer, result=result, opinion="意见", checklist=checklist
    )
