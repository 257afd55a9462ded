"""谁认定、谁修复: the deciding department's 同意 / 不同意, the repair.decided_by setting, and the
measure each application cites (58号令 before 2026-04-01, 36号令 from that day)."""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps as current_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.audit.models import AuditEntry
from chengxin.core import local_settings
from chengxin.core.models import LocalSetting
from chengxin.portal.tests.fixtures import company, penalty
from chengxin.publicity.models import PenaltyRecord
from chengxin.repair import actions, rules
from chengxin.repair.choices import ApplicationStatus, DecidedBy, EventType, OpinionVerdict
from chengxin.repair.commitment import commitment_text
from chengxin.repair.models import RepairApplication, RepairEvent
from chengxin.repair.sync import result_payload
from chengxin.repair.tests.fixtures import department_reporter, pdf_file
from chengxin.screening.models import ListEntry

pytestmark = pytest.mark.django_db

ORDER_58 = "国家发展改革委令第58号"
ORDER_36 = "国家发展改革委令第36号"
LAST_DAY_OF_58 = datetime.date(2026, 3, 31)
FIRST_DAY_OF_36 = datetime.date(2026, 4, 1)

AGREE, DISAGREE = OpinionVerdict.AGREE, OpinionVerdict.DISAGREE


@pytest.fixture
def reporter(market: Department) -> User:
    """Staff of the department that decided the penalty (its 数据来源单位)."""
    return department_reporter(market)


@pytest.fixture
def accepted(apply: Callable[..., Any], credit_admin: User) -> RepairApplication:
    """An accepted application to repair (终止公示) a penalty of 台儿庄区市场监督管理局."""
    application, _code = apply()
    return actions.accept_application(application, actor=credit_admin)


def decided_by(mode: str) -> None:
    LocalSetting.objects.create(key=rules.DECIDED_BY.key, value=mode)
    local_settings.clear_cache()


def is_public(record: PenaltyRecord) -> bool:
    return PenaltyRecord.objects.publicly_visible().filter(pk=record.pk).exists()


# --- the opinion -----------------------------------------------------------------------------


@pytest.mark.today(datetime.date(2026, 12, 3))
def test_an_opinion_records_verdict_reason_author_time_and_an_event(
    accepted: RepairApplication, reporter: User
) -> None:
    actions.give_opinion(accepted, actor=reporter, verdict=AGREE, reason="罚款已缴清")
    accepted.refresh_from_db()
    assert (accepted.department_verdict, accepted.department_opinion) == (AGREE, "罚款已缴清")
    assert accepted.department_opinion_by == reporter
    assert accepted.department_opinion_at is not None
    assert timezone.localdate(accepted.department_opinion_at) == datetime.date(2026, 12, 3)
    event = accepted.events.get(type=EventType.OPINION_GIVEN)
    assert event.actor == reporter and event.note == "同意：罚款已缴清"


def test_agreement_needs_no_reason_but_disagreement_does(
    accepted: RepairApplication, reporter: User
) -> None:
    actions.give_opinion(accepted, actor=reporter, verdict=AGREE)  # boundary: no reason
    assert accepted.events.get(type=EventType.OPINION_GIVEN).note == "同意"
    with pytest.raises(ValidationError, match="必须说明理由"):
        actions.give_opinion(accepted, actor=reporter, verdict=DISAGREE, reason="  ")
    with pytest.raises(ValidationError, match="请选择同意或不同意"):
        actions.give_opinion(accepted, actor=reporter, verdict="尚未出具", reason="x")
    accepted.refresh_from_db()
    assert accepted.department_verdict == AGREE  # the refused opinions changed nothing


def test_the_database_refuses_a_disagreement_without_reason(accepted: RepairApplication) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RepairApplication.objects.filter(pk=accepted.pk).update(
            department_verdict=DISAGREE, department_opinion=""
        )


def test_model_validation_names_the_missing_reason(accepted: RepairApplication) -> None:
    accepted.department_verdict = DISAGREE
    with pytest.raises(ValidationError) as refused:
        accepted.clean()
    assert "department_opinion" in refused.value.message_dict


# --- approval by the credit office (default: credit_office_with_opinion) ---------------------


def test_default_mode_is_the_credit_office_with_the_departments_opinion() -> None:
    assert rules.decided_by() == DecidedBy.CREDIT_OFFICE_WITH_OPINION
    declaration = local_settings.DECLARATIONS[rules.DECIDED_BY.key]
    assert "国办发〔2025〕22号" in str(declaration.help_text)
    assert "谁认定、谁修复" in str(declaration.help_text) and ORDER_36 in str(declaration.help_text)


def test_approval_without_an_opinion_is_refused(
    accepted: RepairApplication, credit_admin: User, repairable: PenaltyRecord
) -> None:
    with pytest.raises(ValidationError, match="尚未出具“同意”意见") as refused:
        actions.approve_application(accepted, actor=credit_admin)
    assert "谁认定、谁修复" in str(refused.value)
    accepted.refresh_from_db()
    assert accepted.status == ApplicationStatus.ACCEPTED and is_public(repairable)
    assert not accepted.events.filter(type=EventType.APPROVED).exists()


def test_approval_after_disagreement_is_refused_and_the_refusal_quotes_the_reason(
    accepted: RepairApplication, credit_admin: User, reporter: User, repairable: PenaltyRecord
) -> None:
    actions.give_opinion(accepted, actor=reporter, verdict=DISAGREE, reason="罚款尚未缴清。")
    with pytest.raises(ValidationError, match="不同意修复，理由：罚款尚未缴清。"):
        actions.approve_application(accepted, actor=credit_admin)
    assert is_public(repairable)
    actions.refuse_application(accepted, actor=credit_admin, reason="")  # the quote suffices
    accepted.refresh_from_db()
    assert accepted.status == ApplicationStatus.REFUSED
    assert (
        accepted.decision_reason
        == "决定部门（台儿庄区市场监督管理局）不同意修复，理由：罚款尚未缴清。"
    )
    assert result_payload(accepted)["XYXF_BMJL"] == "2"


def test_a_refusal_in_its_own_words_still_quotes_the_department(
    accepted: RepairApplication, credit_admin: User, reporter: User
) -> None:
    actions.give_opinion(accepted, actor=reporter, verdict=DISAGREE, reason="另有未结案件")
    actions.refuse_application(accepted, actor=credit_admin, reason="材料不实")
    accepted.refresh_from_db()
    assert accepted.decision_reason.startswith("决定部门（台儿庄区市场监督管理局）不同意修复")
    assert accepted.decision_reason.endswith("材料不实")


def test_approval_with_agreement_is_allowed(
    accepted: RepairApplication, credit_admin: User, reporter: User, repairable: PenaltyRecord
) -> None:
    actions.give_opinion(accepted, actor=reporter, verdict=AGREE, reason="罚款已缴清")
    actions.approve_application(accepted, actor=credit_admin)
    accepted.refresh_from_db()
    assert accepted.status == ApplicationStatus.APPROVED and not is_public(repairable)
    assert result_payload(accepted)["XYXF_BMJL"] == "1"


def test_the_latest_opinion_counts(
    accepted: RepairApplication, credit_admin: User, reporter: User
) -> None:
    actions.give_opinion(accepted, actor=reporter, verdict=AGREE)
    actions.give_opinion(accepted, actor=reporter, verdict=DISAGREE, reason="发现新的违法行为")
    with pytest.raises(ValidationError, match="发现新的违法行为"):
        actions.approve_application(accepted, actor=credit_admin)
    actions.give_opinion(accepted, actor=reporter, verdict=AGREE, reason="已核实为同一行为")
    actions.approve_application(accepted, actor=credit_admin)
    assert accepted.events.filter(type=EventType.OPINION_GIVEN).count() == 3


def test_a_list_removal_keeps_the_credit_offices_rule(
    apply: Callable[..., Any], credit_admin: User, make_entry: Callable[..., ListEntry]
) -> None:
    # A list entry's department is only who entered it (the listing authority is free text):
    # removal from a list is still decided by the credit office, without a department opinion.
    target = company("枣庄市台儿庄区诚改建材有限公司")
    entry = make_entry(subject=target, subject_name=target.name, credit_code=target.credit_code)
    application, _code = apply(entry, subject=target)
    actions.accept_application(application, actor=credit_admin)
    assert rules.approval_blocker(application) == ""
    # Whoever entered the list entry is no deciding department: no opinion is offered or taken.
    entered_by = User.objects.get(pk=credit_admin.pk)
    entered_by.department_id = application.department_id
    assert not actions.may_give_opinion(entered_by, application)
    with pytest.raises(PermissionDenied):
        actions.give_opinion(application, actor=entered_by, verdict=OpinionVerdict.AGREE)
    actions.approve_application(application, actor=credit_admin)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


# --- repair.decided_by = deciding_department -------------------------------------------------


def test_the_deciding_department_approves_and_the_credit_office_cannot(
    apply: Callable[..., Any],
    credit_admin: User,
    reporter: User,
    make_user: Callable[..., User],
    repairable: PenaltyRecord,
) -> None:
    decided_by(DecidedBy.DECIDING_DEPARTMENT)
    application, _code = apply()
    with pytest.raises(PermissionDenied):  # the credit office accepts; the department does not
        actions.accept_application(application, actor=reporter)
    actions.accept_application(application, actor=credit_admin)
    with pytest.raises(PermissionDenied):
        actions.approve_application(application, actor=credit_admin)
    with pytest.raises(PermissionDenied):
        actions.refuse_application(application, actor=credit_admin, reason="不予修复")
    with pytest.raises(PermissionDenied):  # another department's staff
        actions.approve_application(application, actor=make_user(Role.DEPARTMENT_REPORTER))
    with pytest.raises(ValidationError, match="无需出具意见"):
        actions.give_opinion(application, actor=reporter, verdict=AGREE)
    actions.approve_application(application, actor=reporter, reason="已履行义务")  # no opinion
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and not is_public(repairable)
    assert RepairEvent.objects.get(application=application, type=EventType.APPROVED).actor == (
        reporter
    )
    # The record's change log names the department's officer who decided.
    ended = AuditEntry.objects.get(
        object_type="publicity.penaltyrecord", object_id=str(repairable.pk), action="updated"
    )
    assert ended.actor_id == reporter.pk and application.receipt_number in ended.reason


def test_the_deciding_department_refuses_with_its_reason(
    accepted: RepairApplication, reporter: User
) -> None:
    decided_by(DecidedBy.DECIDING_DEPARTMENT)
    with pytest.raises(ValidationError):
        actions.refuse_application(accepted, actor=reporter, reason="")
    actions.refuse_application(accepted, actor=reporter, reason="罚款未缴清")
    accepted.refresh_from_db()
    assert accepted.status == ApplicationStatus.REFUSED
    assert accepted.decision_reason == "罚款未缴清"


def test_list_removals_stay_with_the_credit_office_in_department_mode(
    apply: Callable[..., Any], credit_admin: User, make_entry: Callable[..., ListEntry]
) -> None:
    decided_by(DecidedBy.DECIDING_DEPARTMENT)
    target = company("枣庄市台儿庄区诚改建材有限公司")
    entry = make_entry(subject=target, subject_name=target.name, credit_code=target.credit_code)
    application, _code = apply(entry, subject=target)
    actions.accept_application(application, actor=credit_admin)
    actions.approve_application(application, actor=credit_admin)


def test_an_unknown_mode_reads_as_the_default(
    accepted: RepairApplication, credit_admin: User
) -> None:
    decided_by("bureau")  # a typo in the setting must not let anyone approve without 同意
    assert rules.decided_by() == DecidedBy.CREDIT_OFFICE_WITH_OPINION
    with pytest.raises(ValidationError, match="尚未出具"):
        actions.approve_application(accepted, actor=credit_admin)


# --- the measure in force on the application date --------------------------------------------


@pytest.mark.parametrize(
    ("day", "order"),
    [
        (datetime.date(2020, 1, 1), ORDER_58),  # older dates: the earliest measure
        (LAST_DAY_OF_58, ORDER_58),
        (FIRST_DAY_OF_36, ORDER_36),  # the boundary: 36号令 in force, 58号令 repealed
        (datetime.date(2026, 12, 1), ORDER_36),
    ],
)
def test_the_procedure_follows_the_date(day: datetime.date, order: str) -> None:
    assert order in rules.procedure_on(day).citation


@pytest.mark.parametrize(
    ("day", "order", "repealed"),
    [
        pytest.param(
            LAST_DAY_OF_58, ORDER_58, ORDER_36, marks=pytest.mark.today(LAST_DAY_OF_58), id="58"
        ),
        pytest.param(
            FIRST_DAY_OF_36, ORDER_36, ORDER_58, marks=pytest.mark.today(FIRST_DAY_OF_36), id="36"
        ),
    ],
)
def test_an_application_cites_the_measure_of_its_submission_date(
    client: Client,
    clock: Any,
    repairable: PenaltyRecord,
    credit_admin: User,
    day: datetime.date,
    order: str,
    repealed: str,
) -> None:
    subject = repairable.subject
    assert subject is not None
    url = f"/repair/subjects/{subject.public_id}/penalty/{repairable.pk}/"
    form = client.get(url).content.decode()  # before submission: today's measure
    assert order in form and repealed not in form
    response = client.post(
        url,
        {
            "contact_person": "王经理",
            "contact_phone": "0632-6611234",
            "statement": "罚款已缴清。",
            "commitment_confirmed": "on",
            "evidence": [pdf_file()],
        },
    )
    receipt = response.content.decode()
    application = RepairApplication.objects.get()
    assert application.submitted_on == day
    assert order in receipt and repealed not in receipt
    assert order in application.commitment_text and repealed not in application.commitment_text

    clock.travel(datetime.date(2026, 12, 1))  # looked at later: still the submission date's
    staff = Client()
    staff.force_login(credit_admin)
    detail = staff.get(reverse("repair_staff:detail", args=[application.pk])).content.decode()
    assert order in detail
    assert rules.procedure_of(application).citation in detail


def test_the_commitment_cites_the_measure_of_the_day(repairable: PenaltyRecord) -> None:
    assert repairable.subject is not None
    before = commitment_text(repairable.subject, repairable, LAST_DAY_OF_58)
    after = commitment_text(repairable.subject, repairable, FIRST_DAY_OF_36)
    assert ORDER_58 in before and ORDER_36 not in before
    assert ORDER_36 in after and ORDER_58 not in after


def test_a_period_set_by_the_new_measure_is_cited_with_its_order_number(
    make_department: Callable[..., Department],
) -> None:
    record = penalty(
        company(), make_department(), decision_date=datetime.date(2026, 7, 10), severity="general"
    )
    verdict = rules.penalty_eligibility(record, datetime.date(2026, 10, 9))
    assert not verdict.eligible and ORDER_36 in verdict.citation


# --- the data migration ----------------------------------------------------------------------

fill = importlib.import_module("chengxin.repair.migrations.0004_fill_department_verdict")


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("", ""),
        ("同意修复，罚款已缴清。", AGREE),
        ("当事人已缴清罚款", AGREE),  # no refusal word: 同意
        ("不同意，另有未结案件", DISAGREE),
        ("该企业另有未结案件，不予修复", DISAGREE),
        ("同意。另：当事人曾表示不同意整改方案", AGREE),  # starts with 同意
    ],
)
def test_free_text_opinions_become_verdicts(text: str, verdict: str) -> None:
    assert fill.verdict_from_text(text) == verdict
    # Backward then forward finds the same verdict again.
    assert fill.verdict_from_text(fill.text_with_verdict(text, verdict)) == verdict


def test_the_migration_fills_verdict_author_and_time_and_goes_back(
    accepted: RepairApplication, reporter: User
) -> None:
    RepairApplication.objects.filter(pk=accepted.pk).update(department_opinion="不同意，未缴清")
    RepairEvent.objects.create(
        application=accepted, type=EventType.OPINION_GIVEN, actor=reporter, note="不同意，未缴清"
    )
    fill.fill_verdicts(current_apps, None)
    accepted.refresh_from_db()
    assert accepted.department_verdict == DISAGREE and accepted.department_opinion_by == reporter
    assert accepted.department_opinion == "不同意，未缴清"  # the text is kept as the reason
    fill.verdicts_into_text(current_apps, None)
    accepted.refresh_from_db()
    assert accepted.department_verdict == "" and accepted.department_opinion == "不同意，未缴清"
    assert accepted.department_opinion_by is None
