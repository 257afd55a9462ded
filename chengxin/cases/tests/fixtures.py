"""Cases for tests: a body with its department, two assignable officers, a penalty power item,
an enforcement officer user of that department, a legal reviewer, and `make_case` / `advance`.

    from chengxin.cases.tests.fixtures import make_case, advance

`make_case(**overrides)` registers a case through cases.actions.register_case (so it has its
立案 step and event); overrides go to register_case (`parties=`, `officers=`, flags …).
`advance(case, actor, to)` records the steps up to `to` (a CaseStatus) in order.
"""

from __future__ import annotations

import datetime
import decimal
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.cases import actions
from chengxin.cases.actions import PartyData
from chengxin.cases.choices import CaseStatus, ReviewResult, StepKind
from chengxin.cases.models import CHECKLIST, Case, LegalityReview
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
def penalty_item(make_power_item: Callable[..., PowerItem]) -> PowerItem:
    return make_power_item(name="对生产经营超过保质期食品的行政处罚")


@pytest.fixture
def handler(make_user: Callable[..., User], case_department: Department) -> User:
    """An enforcement officer's user account in the body's department."""
    return make_user(Role.ENFORCEMENT_OFFICER, department=case_department, full_name="办案员甲")


@pytest.fixture
def reviewer(make_user: Callable[..., User]) -> User:
    return make_user(Role.LEGAL_REVIEWER, full_name="法制审核员乙")


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
