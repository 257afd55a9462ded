"""The repair workflow: submission checks, the clock, and the effects of approval everywhere."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.outbox.models import OutboxMessage
from chengxin.portal import queries
from chengxin.portal.tests.fixtures import company, penalty
from chengxin.publicity.models import PenaltyRecord
from chengxin.repair import actions
from chengxin.repair.choices import ApplicationStatus, EventType, OpinionVerdict
from chengxin.repair.models import RepairApplication, RepairEvent
from chengxin.repair.tests.fixtures import PDF, agree, pdf_file, png_bytes
from chengxin.screening.actions import check_subjects
from chengxin.screening.choices import CheckOutcome, EntryStatus
from chengxin.screening.matching import Subject as Checked
from chengxin.screening.models import ListEntry

pytestmark = pytest.mark.django_db


def test_submission_gives_a_receipt_and_a_code_that_finds_it(apply) -> None:
    application, code = apply()
    assert application.receipt_number.startswith("XF") and len(code) == 8
    assert application.status == ApplicationStatus.SUBMITTED
    assert "信用修复承诺书" in application.commitment_text
    assert application.evidence.get().content_type == "application/pdf"
    assert actions.find_application(application.receipt_number, code) == application
    assert actions.find_application(application.receipt_number, "WRONG123") is None
    assert RepairEvent.objects.filter(application=application, type=EventType.SUBMITTED).exists()


def test_too_early_application_is_refused_with_the_eligible_date(apply, market) -> None:
    today = localdate()
    fresh = penalty(
        company(), market, decision_date=today - datetime.timedelta(days=10), severity="general"
    )
    with pytest.raises(ValidationError) as refused:
        apply(fresh)
    assert "起可申请" in str(refused.value) and not RepairApplication.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("证明.pdf", b"MZ\x90\x00 not a pdf", "不是 PDF、JPG 或 PNG"),  # renamed executable
        ("照片.png", b"\x89PNG\r\n\x1a\n broken", "已损坏"),
        ("scan.txt", PDF, None),  # a real PDF with the wrong extension is fine
    ],
)
def test_evidence_type_is_read_from_the_content(apply, name, content, problem) -> None:
    upload = SimpleUploadedFile(name, content)
    if problem is None:
        application, _code = apply(files=[upload])
        assert application.evidence.get().content_type == "application/pdf"
    else:
        with pytest.raises(ValidationError, match=problem):
            apply(files=[upload])


def test_evidence_size_and_count_are_limited(apply, settings) -> None:
    settings.REPAIR_EVIDENCE_MAX_MB = 1
    big = SimpleUploadedFile("big.png", png_bytes() + b"\0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="超过 1 MB"):
        apply(files=[big])
    with pytest.raises(ValidationError, match="最多上传"):
        apply(files=[pdf_file() for _ in range(settings.REPAIR_EVIDENCE_MAX_FILES + 1)])


def test_commitment_must_be_confirmed_and_one_open_application_per_item(apply) -> None:
    with pytest.raises(ValidationError, match="承诺书"):
        apply(commitment_confirmed=False)
    apply()
    with pytest.raises(ValidationError, match="正在办理"):
        apply()


def test_a_record_of_another_subject_is_refused(apply, repairable) -> None:
    with pytest.raises(ValidationError, match="不属于"):
        apply(subject=company("另一家公司"))


def test_approval_removes_the_penalty_from_every_public_output(
    apply, credit_admin: User, repairable: PenaltyRecord, client
) -> None:
    subject = repairable.subject
    assert queries.profile(subject).penalties  # public before
    application, _code = apply()
    actions.accept_application(application, actor=credit_admin)
    agree(application)  # 谁认定、谁修复: the deciding department's 同意 first
    actions.approve_application(application, actor=credit_admin, reason="材料齐全，同意修复")
    repairable.refresh_from_db()
    assert repairable.publicity_ended_on == localdate()
    assert repairable.repair_receipt_number == application.receipt_number
    assert not PenaltyRecord.objects.publicly_visible().filter(pk=repairable.pk).exists()
    assert list(queries.profile(subject).penalties) == []
    page = client.get(f"/subjects/{subject.public_id}/").content.decode()
    assert repairable.decision_number not in page
    api = client.get(f"/api/v1/public/subjects/{subject.credit_code}").content.decode()
    assert repairable.decision_number not in api
    assert PenaltyRecord.objects.filter(pk=repairable.pk).exists()  # the staff area keeps it


def test_approval_removes_the_list_entry_and_stops_check_hits(
    apply, credit_admin: User, make_entry: Callable[..., ListEntry], checker: User, scenario: Any
) -> None:
    target = company("枣庄市台儿庄区诚改建材有限公司")
    entry = make_entry(subject=target, subject_name=target.name, credit_code=target.credit_code)
    probe = [Checked(credit_code=target.credit_code)]

    def outcome() -> str:
        (check,) = check_subjects(
            probe,
            department=checker.department,
            scenario=scenario("government_procurement"),
            matter="TEZ-CG-1",
            actor=checker,
        )
        return check.outcome

    assert outcome() == CheckOutcome.HIT
    application, _code = apply(entry, subject=target)
    actions.accept_application(application, actor=credit_admin)
    actions.approve_application(application, actor=credit_admin)
    entry.refresh_from_db()
    assert (
        entry.status == EntryStatus.REMOVED and application.receipt_number in entry.removal_reason
    )
    assert outcome() == CheckOutcome.CLEAR


def test_each_result_goes_to_the_outbox_in_standard_codes(apply, credit_admin: User) -> None:
    application, _code = apply()
    actions.accept_application(application, actor=credit_admin)
    actions.refuse_application(application, actor=credit_admin, reason="罚款未缴清")
    message = OutboxMessage.objects.get(object_id=str(application.pk))
    assert message.payload["XYXF_SLBH"] == application.receipt_number
    assert message.payload["XYXF_JG"] == "2" and message.payload["XYXF_YJ"] == "罚款未缴清"
    assert message.payload["CF_WSH"] == application.penalty.decision_number
    assert message.due_on == RepairApplication.objects.get().sync_due
    json.dumps(message.payload)


def test_refusal_and_non_acceptance_need_reasons_and_keep_the_record_public(
    apply, credit_admin: User, repairable: PenaltyRecord
) -> None:
    application, _code = apply()
    with pytest.raises(ValidationError):
        actions.decline_application(application, actor=credit_admin, reason="")
    actions.accept_application(application, actor=credit_admin)
    with pytest.raises(ValidationError):
        actions.refuse_application(application, actor=credit_admin, reason="  ")
    actions.refuse_application(application, actor=credit_admin, reason="未履行义务")
    assert PenaltyRecord.objects.publicly_visible().filter(pk=repairable.pk).exists()
    with pytest.raises(ValidationError, match="不能进行此操作"):
        actions.approve_application(application, actor=credit_admin)


def test_only_the_credit_office_decides_and_the_department_gives_its_opinion(
    apply, credit_admin: User, make_user, market
) -> None:
    application, _code = apply()
    reporter = make_user(Role.DEPARTMENT_REPORTER, department=market)
    other = make_user(Role.DEPARTMENT_REPORTER)
    with pytest.raises(PermissionDenied):
        actions.accept_application(application, actor=reporter)
    with pytest.raises(PermissionDenied):
        actions.give_opinion(application, actor=other, verdict=OpinionVerdict.AGREE)
    with pytest.raises(PermissionDenied):  # the credit office does not write the opinion
        actions.give_opinion(application, actor=credit_admin, verdict=OpinionVerdict.AGREE)
    actions.give_opinion(
        application, actor=reporter, verdict=OpinionVerdict.AGREE, reason="当事人已缴清罚款"
    )
    application.refresh_from_db()
    assert application.department_verdict == OpinionVerdict.AGREE
    assert application.department_opinion.startswith("当事人")


@pytest.mark.today(datetime.date(2026, 9, 30))
def test_deadlines_are_working_days_and_pause_for_material(
    apply, credit_admin: User, clock
) -> None:
    # Submitted Wednesday 2026-09-30, before the National Day holiday (10-01 … 10-07 off,
    # 10-10 a make-up workday): accepted by the 3rd working day, 2026-10-10. The penalty
    # applied for is dated from that day too (the whole process reads the frozen clock).
    application, _code = apply()
    assert application.acceptance_due == datetime.date(2026, 10, 10)
    clock.travel(datetime.date(2026, 10, 12))
    actions.accept_application(application, actor=credit_admin)
    application.refresh_from_db()
    assert application.decision_due == datetime.date(2026, 10, 26)  # 10 working days
    clock.travel(datetime.date(2026, 10, 14))
    actions.request_material(application, actor=credit_admin, reason="请补充缴款凭证原件扫描件")
    application.refresh_from_db()
    assert not RepairApplication.objects.overdue(on=datetime.date(2026, 11, 30)).exists()
    clock.travel(datetime.date(2026, 10, 21))
    actions.supply_material(application, note="已补充", files=[pdf_file("原件.pdf")])
    application.refresh_from_db()
    # 8 working days were left on 10-14 (10-15 … 10-26): they run again from 10-21.
    assert application.decision_due == datetime.date(2026, 11, 2)
    assert application.status == ApplicationStatus.ACCEPTED
    assert (
        RepairApplication.objects.overdue(on=datetime.date(2026, 11, 3))
        .filter(pk=application.pk)
        .exists()
    )
    assert not RepairApplication.objects.overdue(on=datetime.date(2026, 11, 2)).exists()


def test_approval_rebuilds_the_cached_public_page(
    apply, credit_admin: User, repairable: PenaltyRecord, client, django_capture_on_commit_callbacks
) -> None:
    url = f"/subjects/{repairable.subject.public_id}/"
    assert repairable.decision_number in client.get(url).content.decode()  # now cached
    application, _code = apply()
    actions.accept_application(application, actor=credit_admin)
    agree(application)
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_application(application, actor=credit_admin)
    assert repairable.decision_number not in client.get(url).content.decode()


def test_the_database_refuses_a_second_open_application_for_an_item(
    apply, credit_admin: User
) -> None:
    from django.db import IntegrityError, transaction

    first, _code = apply()
    second = RepairApplication.objects.get(pk=first.pk)
    second.pk, second.receipt_number = None, "XF20261127999999"
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()  # what a concurrent submit that passed the exists() check would do
    actions.accept_application(first, actor=credit_admin)
    actions.refuse_application(first, actor=credit_admin, reason="罚款未缴清")
    apply()  # a closed application no longer blocks a new one


@pytest.mark.today(datetime.date(2026, 11, 2))
def test_material_asked_for_when_overdue_keeps_it_overdue(apply, credit_admin: User, clock) -> None:
    application, _code = apply()
    actions.accept_application(application, actor=credit_admin)
    application.refresh_from_db()
    due = application.decision_due
    clock.travel(due + datetime.timedelta(days=7))
    actions.request_material(application, actor=credit_admin, reason="补充材料")
    clock.travel(due + datetime.timedelta(days=14))
    actions.supply_material(application, note="已补充", files=[pdf_file()])
    application.refresh_from_db()
    assert application.decision_due == due
    assert RepairApplication.objects.overdue(on=due + datetime.timedelta(days=14)).exists()


def test_the_commitment_on_the_public_page_masks_a_persons_name(market, client) -> None:
    from chengxin.portal.tests.fixtures import person

    someone = person("张小三", "360426199101010071")
    decided = localdate().replace(day=1) - datetime.timedelta(days=150)
    record = penalty(
        someone, market, decision_date=decided, severity="general", id_number="360426199101010071"
    )
    page = client.get(f"/repair/subjects/{someone.public_id}/penalty/{record.pk}/").content.decode()
    assert "信用修复承诺书" in page and "张*三" in page
    assert "张小三" not in page and "360426199101010071" not in page
