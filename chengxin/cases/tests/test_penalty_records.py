"""A penalty case's decision drafts its 双公示 record, and that record's publication is the case's
事后公开: the chain from the enforcement case to the portal."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.cases import actions
from chengxin.cases.choices import CaseStatus, EventType
from chengxin.cases.models import Case, CaseEvent
from chengxin.cases.penalty_records import PenaltyFacts
from chengxin.cases.tests.fixtures import advance, decide_now, person
from chengxin.core.models import LocalSetting
from chengxin.publicity import actions as publicity_actions
from chengxin.publicity.choices import RecordStatus
from chengxin.publicity.models import PenaltyRecord

pytestmark = pytest.mark.django_db


def facts(**overrides: Any) -> PenaltyFacts:
    values: dict[str, Any] = {
        "violation_type": "销售超过保质期的食品",
        "violation_facts": "当事人于货架销售超过保质期的饮料 12 瓶。",
        "legal_basis": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
        "penalty_categories": ["警告", "罚款"],
        "valid_until": localdate() + datetime.timedelta(days=365),
    }
    values.update(overrides)
    return PenaltyFacts(**values)


def decide(case: Case, handler: User, number: str = "台市监罚〔2026〕301号", **extra: Any) -> Case:
    return decide_now(
        case,
        actor=handler,
        decision_number=number,
        decision_summary="警告，罚款 5,000 元。",
        fine_amount=extra.pop("fine_amount", decimal.Decimal("5000")),
        penalty=extra.pop("penalty", facts()),
        **extra,
    )


@pytest.fixture
def reporter(make_user: Callable[..., User], case_department) -> User:
    return make_user(Role.DEPARTMENT_REPORTER, department=case_department)


def test_the_decision_drafts_the_record_with_every_field(make_case, handler) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    case = decide(case, handler)
    record = PenaltyRecord.objects.get()
    assert record.case == case and record.power_item == case.power_item
    assert record.status == RecordStatus.DRAFT and record.department == case.department
    party = case.parties.get()
    assert (record.subject_name, record.subject_credit_code) == (party.name, party.credit_code)
    assert (record.authority, record.authority_credit_code) == (
        case.body.name,
        case.body.credit_code,
    )
    assert (
        record.decision_number == "台市监罚〔2026〕301号"
        and record.decision_date == case.decided_on
    )
    assert record.fine_amount == decimal.Decimal("0.5")  # 5,000 yuan is 0.5 万元
    assert record.penalty_categories == "警告;罚款" and record.content == "警告，罚款 5,000 元。"
    assert CaseEvent.objects.filter(case=case, type=EventType.PENALTY_DRAFTED).exists()


def test_a_natural_persons_id_number_travels_sealed(make_case, handler) -> None:
    party = person()
    case = advance(make_case(parties=[party]), handler, CaseStatus.NOTIFIED)
    decide(case, handler, fine_amount=None, penalty=facts(penalty_categories=["警告"]))
    record = PenaltyRecord.objects.get()
    assert record.id_number_masked == case.parties.get().id_number_masked
    assert record.standard_values()["id_number"] == party.id_number
    assert party.id_number not in record.id_number_ciphertext


def test_a_record_the_standard_refuses_refuses_the_decision(make_case, handler) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    with pytest.raises(ValidationError, match="不符合国家标准"):
        decide(case, handler, penalty=facts(penalty_categories=["没收违法所得"]))  # no amount
    case.refresh_from_db()
    assert case.decided_on is None and not PenaltyRecord.objects.exists()  # nothing half-done


def test_the_department_submits_and_the_publication_is_the_cases_publicity(
    make_case, handler, reporter, client
) -> None:
    case = decide(advance(make_case(), handler, CaseStatus.NOTIFIED), handler)
    record = PenaltyRecord.objects.get()
    assert case.published_on is None
    with pytest.raises(ValidationError, match="以其双公示行政处罚信息的公示为准"):
        actions.record_case_publication(case, actor=handler, published_on=localdate())
    publicity_actions.submit_record(record, actor=reporter)
    case.refresh_from_db()
    assert case.published_on == localdate()
    assert CaseEvent.objects.filter(case=case, type=EventType.PUBLISHED).count() == 1
    assert not Case.objects.publicity_overdue(on=localdate() + datetime.timedelta(days=60)).exists()
    record.refresh_from_db()
    page = client.get(f"/subjects/{record.subject.public_id}/").content.decode()
    assert record.decision_number in page


def test_a_local_setting_submits_the_record_with_the_decision(make_case, handler) -> None:
    LocalSetting.objects.create(key="cases.submit_penalty_record_on_decision", value="是")
    case = decide(advance(make_case(), handler, CaseStatus.NOTIFIED), handler)
    record = PenaltyRecord.objects.get()
    assert record.status == RecordStatus.PUBLISHED and record.subject is not None
    case.refresh_from_db()
    assert case.published_on == localdate()


def test_a_record_already_sent_by_the_department_is_linked_not_doubled(
    make_case, handler, case_body
) -> None:
    from chengxin.portal.tests.fixtures import company, penalty

    existing = penalty(
        company(),
        case_body.department,
        decision_number="台市监罚〔2026〕301号",
        authority=case_body.name,
        authority_credit_code=case_body.credit_code,
        decision_date=localdate() - datetime.timedelta(days=1),
    )
    case = decide(advance(make_case(), handler, CaseStatus.NOTIFIED), handler)
    assert list(PenaltyRecord.objects.all()) == [existing]
    existing.refresh_from_db()
    assert existing.case == case


def test_other_categories_keep_their_typed_publication(
    make_case, handler, make_power_item, case_department
) -> None:
    item = make_power_item(
        category="inspection",
        name="对食品生产经营的监督检查",
        implementing_department=case_department,
    )
    case = advance(make_case(power_item=item), handler, CaseStatus.NOTIFIED)
    case = decide_now(
        case,
        actor=handler,
        decision_number="台市监检〔2026〕2号",
        decision_summary="责令整改",
        penalty=facts(),  # ignored: not a penalty
    )
    assert not PenaltyRecord.objects.exists()
    case = actions.record_case_publication(case, actor=handler, published_on=localdate())
    assert case.published_on == localdate()


def test_the_decision_form_asks_a_penalty_case_for_the_records_facts(
    make_case, handler, head, client
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    actions.approve_decision(case, actor=head, opinion="同意。")
    client.force_login(handler)
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "违法行为类型" in page and "处罚依据" in page
    base = {
        "decision-decision_number": "台市监罚〔2026〕302号",
        "decision-decision_summary": "警告。",
    }
    client.post(f"/staff/cases/{case.pk}/steps/decision/", base)
    case.refresh_from_db()
    assert case.decided_on is None  # refused: the facts are required
    client.post(
        f"/staff/cases/{case.pk}/steps/decision/",
        base
        | {
            "decision-violation_type": "销售超过保质期的食品",
            "decision-violation_facts": "经查……",
            "decision-legal_basis": "《食品安全法》第一百二十四条",
            "decision-penalty_categories": ["警告"],
            "decision-valid_until": (localdate() + datetime.timedelta(days=90)).isoformat(),
        },
    )
    case.refresh_from_db()
    assert case.decided_on == localdate()
    assert PenaltyRecord.objects.get().penalty_categories == "警告"
