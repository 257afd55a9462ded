"""One record through its life: entered as a draft, submitted, corrected, withdrawn."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.audit.models import AuditEntry
from chengxin.core import calendar
from chengxin.core.models import LocalSetting
from chengxin.publicity import actions
from chengxin.publicity.choices import RecordStatus, Timeliness
from chengxin.publicity.models import PenaltyRecord, RecordVersion


def form_data(department, **overrides) -> dict:
    decided = localdate() - datetime.timedelta(days=3)
    data = {
        "department": department.pk,
        "subject_name": "张三",
        "subject_category": "natural_person",
        "id_type": "身份证",
        "id_number": "360426199101010071",
        "decision_number": "台市监罚〔2026〕88号",
        "violation_type": "销售过期食品",
        "violation_facts": "经查……",
        "legal_basis": "《食品安全法》第一百二十四条",
        "penalty_categories": "警告;罚款",
        "content": "警告，罚款 0.2 万元",
        "fine_amount": "0.2",
        "decision_date": decided.isoformat(),
        "penalty_valid_until": (decided + datetime.timedelta(days=7)).isoformat(),
        "authority": department.name,
        "authority_credit_code": department.credit_code,
    }
    data.update(overrides)
    return data


@pytest.fixture
def reporter(make_user, make_department):
    return make_user(
        Role.DEPARTMENT_REPORTER, department=make_department(name="台儿庄区市场监督管理局")
    )


def test_enter_a_draft_then_submit_it(reporter, client) -> None:
    client.force_login(reporter)
    response = client.post("/staff/publicity/penalties/new/", form_data(reporter.department))
    record = PenaltyRecord.objects.get()
    assert response.status_code == 302 and record.status == RecordStatus.DRAFT
    assert (
        record.id_number_masked == "360426********0071"
        and "360426199101010071" not in record.id_number_ciphertext
    )
    assert record.data_source_credit_code == reporter.department.credit_code

    client.post(f"/staff/publicity/penalties/{record.pk}/submit/")
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED and record.published_at is not None
    # Decided three days ago: within 7 working days. The verdict is only final when the official
    # holiday calendar covers the years up to the deadline; past them (Mon–Fri) it is provisional.
    official = all(
        calendar.calendar_is_official(year)
        for year in range(record.decision_date.year, record.deadline.year + 1)
    )
    assert record.timeliness == (Timeliness.ON_TIME if official else Timeliness.PROVISIONAL)
    page = client.get(f"/staff/publicity/penalties/{record.pk}/").content.decode()
    assert "360426********0071" in page and "360426199101010071" not in page


def test_the_form_reports_the_same_rule_as_the_import(reporter, client) -> None:
    client.force_login(reporter)
    response = client.post(
        "/staff/publicity/penalties/new/", form_data(reporter.department, fine_amount="2000")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["fine_amount"]
    assert "CF_NR_FK（罚款金额（万元））：2000 万元疑似按元填写" in errors[0]
    bad_id = client.post(
        "/staff/publicity/penalties/new/",
        form_data(reporter.department, id_number="36042619910102009X"),
    )
    assert "CF_XDR_ZJHM" in bad_id.context["form"].errors["id_number"][0]
    assert PenaltyRecord.objects.count() == 0


def test_a_duplicate_number_in_the_same_department_is_refused_by_the_form(reporter, client) -> None:
    client.force_login(reporter)
    client.post("/staff/publicity/penalties/new/", form_data(reporter.department))
    response = client.post("/staff/publicity/penalties/new/", form_data(reporter.department))
    assert "本单位已有相同行政处罚决定书文号的记录" in str(response.context["form"].errors)


def test_late_submission_is_marked_late(reporter) -> None:
    record = _draft(
        reporter, decided=datetime.date(2026, 9, 28)
    )  # deadline 2026-10-13 (National Day)
    assert record.deadline == datetime.date(2026, 10, 13)
    record = actions.submit_record(record, actor=reporter)
    assert record.timeliness == Timeliness.LATE


def _draft(reporter, decided=None, number="台市监罚〔2026〕1号") -> PenaltyRecord:
    decided = decided or localdate()
    record = PenaltyRecord(
        department=reporter.department,
        subject_name="某公司",
        subject_category="legal_entity",
        subject_credit_code="00000000000000000X",
        decision_number=number,
        violation_type="x",
        violation_facts="x",
        legal_basis="x",
        penalty_categories="警告",
        content="警告",
        decision_date=decided,
        penalty_valid_until=decided,
        authority=reporter.department.name,
        authority_credit_code=reporter.department.credit_code,
    )
    record.set_personal_numbers()
    return actions.save_draft(record, actor=reporter)


def test_review_before_publication_is_a_local_setting(reporter, make_user) -> None:
    LocalSetting.objects.create(key="publicity.review_before_publication", value="是")
    record = actions.submit_record(_draft(reporter), actor=reporter)
    assert record.status == RecordStatus.SUBMITTED and record.published_at is None
    with pytest.raises(PermissionDenied):
        actions.publish_record(record, actor=reporter)
    record = actions.publish_record(record, actor=make_user(Role.CREDIT_ADMIN))
    assert record.status == RecordStatus.PUBLISHED


def test_correction_keeps_the_previous_version_and_needs_a_reason(reporter, client) -> None:
    record = actions.submit_record(_draft(reporter), actor=reporter)
    client.force_login(reporter)
    data = form_data(
        reporter.department,
        decision_number=record.decision_number,
        content="更正后的内容",
        subject_category="legal_entity",
        subject_name="某公司",
        subject_credit_code="00000000000000000X",
        id_type="",
        id_number="",
        penalty_categories="警告",
        fine_amount="",
        decision_date=record.decision_date.isoformat(),
        penalty_valid_until=record.decision_date.isoformat(),
    )
    response = client.post(f"/staff/publicity/penalties/{record.pk}/edit/", data)
    assert "更正必须填写原因" in response.content.decode()
    client.post(f"/staff/publicity/penalties/{record.pk}/edit/", data | {"reason": "文书笔误"})
    record.refresh_from_db()
    assert (
        record.content == "更正后的内容"
        and record.version == 2
        and record.status == RecordStatus.PUBLISHED
    )
    (old,) = RecordVersion.objects.filter(record_id=record.pk)
    assert old.data["content"] == "警告" and old.reason == "文书笔误"
    assert AuditEntry.objects.filter(object_id=str(record.pk), reason="文书笔误").exists()


def test_withdrawal_takes_the_record_out_of_publication_and_keeps_it(reporter) -> None:
    record = actions.submit_record(_draft(reporter), actor=reporter)
    with pytest.raises(ValidationError):
        actions.withdraw_record(record, actor=reporter, reason=" ", revoked_on=localdate())
    record = actions.withdraw_record(
        record, actor=reporter, reason="复议决定撤销", revoked_on=localdate()
    )
    assert record.status == RecordStatus.WITHDRAWN and not record.is_withdrawal_late
    assert PenaltyRecord.objects.published().count() == 0 and PenaltyRecord.objects.count() == 1
    with pytest.raises(ValidationError):
        actions.withdraw_record(record, actor=reporter, reason="again", revoked_on=localdate())


@pytest.mark.parametrize(("revoked", "late"), [(datetime.date(2026, 9, 25), True), (None, False)])
def test_withdrawal_after_three_working_days_is_late(reporter, revoked, late) -> None:
    record = actions.submit_record(
        _draft(reporter, decided=datetime.date(2026, 9, 1)), actor=reporter
    )
    revoked = revoked or localdate()  # today, read when the test runs, not when it is collected
    record = actions.withdraw_record(record, actor=reporter, reason="撤销", revoked_on=revoked)
    assert record.is_withdrawal_late is late


def test_a_reporter_cannot_read_or_change_another_departments_drafts(
    reporter, make_user, make_department, client
) -> None:
    record = _draft(reporter)
    other = make_user(Role.DEPARTMENT_REPORTER, department=make_department())
    client.force_login(other)
    assert client.get(f"/staff/publicity/penalties/{record.pk}/").status_code == 404
    assert client.get(f"/staff/publicity/penalties/{record.pk}/edit/").status_code == 404
    assert client.post(f"/staff/publicity/penalties/{record.pk}/submit/").status_code == 404
    assert record.decision_number not in client.get("/staff/publicity/penalties/").content.decode()
    with pytest.raises(PermissionDenied):
        actions.submit_record(record, actor=other)
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT
    client.force_login(reporter)
    assert record.decision_number in client.get("/staff/publicity/penalties/").content.decode()


def test_the_credit_office_classifies_severity_and_the_period_follows(
    reporter, make_user, client
) -> None:
    record = _draft(reporter, decided=datetime.date(2026, 5, 4))
    record = actions.submit_record(record, actor=reporter)
    # Not classified, a warning alone: 轻微 by default (国家发展改革委令第36号第八条), not public.
    assert record.public_until is None
    client.force_login(reporter)
    client.post(f"/staff/publicity/penalties/{record.pk}/propose/", {"severity": "serious"})
    record.refresh_from_db()
    assert (record.proposed_severity, record.severity) == ("serious", "")
    assert (
        client.post(
            f"/staff/publicity/penalties/{record.pk}/classify/", {"severity": "serious"}
        ).status_code
        == 403
    )
    record.refresh_from_db()
    assert record.severity == ""  # a reporter cannot classify
    credit = make_user(Role.CREDIT_ADMIN)
    record = actions.classify_severity(record, "general", actor=credit)
    assert record.public_until == datetime.date(2027, 5, 4)  # 一般: 1 year
    record = actions.classify_severity(record, "serious", actor=credit)
    assert record.public_until == datetime.date(2029, 5, 4)
    record = actions.classify_severity(record, "minor", actor=credit)
    assert (
        record.public_until is None
        and not PenaltyRecord.objects.publicly_visible().filter(pk=record.pk).exists()
    )
    assert AuditEntry.objects.filter(object_id=str(record.pk), reason__contains="轻微").exists()
