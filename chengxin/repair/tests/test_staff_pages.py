"""The credit office's repair pages: the queue with due dates, one application with its actions,
department scoping and the evidence download (login, permission, attachment)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.core import sealed_files
from chengxin.outbox.choices import MessageStatus
from chengxin.outbox.models import OutboxMessage
from chengxin.portal.tests.fixtures import company, penalty
from chengxin.publicity.models import PenaltyRecord
from chengxin.repair import actions
from chengxin.repair.choices import ApplicationStatus, EventType, OpinionVerdict
from chengxin.repair.models import RepairApplication
from chengxin.repair.tests.fixtures import PDF, agree, pdf_file
from chengxin.repair.views_staff import STAFF_ACTIONS

pytestmark = pytest.mark.django_db

QUEUE = reverse("repair_staff:queue")
OVERDUE_MARK = "status-late overdue"
DISABLED = '<fieldset class="plain" disabled>'


def detail_url(application: RepairApplication) -> str:
    return reverse("repair_staff:detail", args=[application.pk])


def action_url(application: RepairApplication, name: str) -> str:
    return reverse("repair_staff:action", args=[application.pk, name])


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def eligible_penalty(department: Department, name: str = "枣庄市台儿庄区顺意商贸有限公司") -> Any:
    decided = localdate().replace(day=1) - datetime.timedelta(days=150)
    return penalty(company(name), department, decision_date=decided, severity="general")


@pytest.fixture
def reporter(make_user: Callable[..., User], market: Department) -> User:
    """The deciding department's reporter (台儿庄区市场监督管理局)."""
    return make_user(Role.DEPARTMENT_REPORTER, department=market)


@pytest.fixture
def other_reporter(make_user: Callable[..., User], make_department: Callable[..., Any]) -> User:
    return make_user(
        Role.DEPARTMENT_REPORTER, department=make_department(name="台儿庄区应急管理局")
    )


@pytest.fixture
def admin_client(credit_admin: User) -> Client:
    return logged_in(credit_admin)


def set_due(application: RepairApplication, **dates: datetime.date) -> None:
    """Move a due date (as if the application had been waiting that long)."""
    RepairApplication.objects.filter(pk=application.pk).update(**dates)


# --- the queue -------------------------------------------------------------------------------


def test_queue_shows_receipt_target_due_date_and_overdue_mark(
    admin_client: Client, apply: Callable[..., Any], market: Department
) -> None:
    today = localdate()
    late, _code = apply()
    on_time, _code = apply(eligible_penalty(market))
    set_due(late, acceptance_due=today - datetime.timedelta(days=1))
    set_due(on_time, acceptance_due=today)  # boundary: due today is not overdue yet
    page = admin_client.get(QUEUE).content.decode()
    for application in (late, on_time):
        assert application.receipt_number in page and application.penalty is not None
        assert application.penalty.decision_number in page
    assert (today - datetime.timedelta(days=1)).isoformat() in page and today.isoformat() in page
    assert page.count(OVERDUE_MARK) == 1 and "待受理" in page and "终止公示行政处罚信息" in page


def test_overdue_filter_and_status_filter(
    admin_client: Client, apply: Callable[..., Any], market: Department, credit_admin: User
) -> None:
    today = localdate()
    late, _code = apply()
    accepted, _code = apply(eligible_penalty(market))
    set_due(late, acceptance_due=today - datetime.timedelta(days=3))
    actions.accept_application(accepted, actor=credit_admin)
    overdue_page = admin_client.get(QUEUE, {"overdue": "on"}).content.decode()
    assert late.receipt_number in overdue_page and accepted.receipt_number not in overdue_page
    status_page = admin_client.get(QUEUE, {"status": "accepted"}).content.decode()
    assert accepted.receipt_number in status_page and late.receipt_number not in status_page
    bogus = admin_client.get(QUEUE, {"status": "nonsense"})
    assert bogus.status_code == 200  # an invalid filter is ignored, not an error


def test_paused_application_is_never_overdue(
    admin_client: Client, apply: Callable[..., Any], credit_admin: User
) -> None:
    application, _code = apply()
    actions.accept_application(application, actor=credit_admin)
    actions.request_material(application, actor=credit_admin, reason="请补充缴款凭证")
    set_due(application, decision_due=localdate() - datetime.timedelta(days=10))
    page = admin_client.get(QUEUE).content.decode()
    assert "暂停计算" in page and OVERDUE_MARK not in page
    assert (
        application.receipt_number
        not in admin_client.get(QUEUE, {"overdue": "on"}).content.decode()
    )


def test_queue_query_count_does_not_grow_with_rows(
    admin_client: Client, apply: Callable[..., Any], market: Department
) -> None:
    apply()
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(QUEUE).status_code == 200
    for n in range(4):
        apply(eligible_penalty(market, f"枣庄市台儿庄区第{n}商贸有限公司"))
    with CaptureQueriesContext(connection) as many:
        page = admin_client.get(QUEUE).content.decode()
    assert len(re.findall(r'href="/staff/repair/\d+/"', page)) == 5
    assert len(many) == len(few)


def test_queue_needs_a_repair_role(make_user: Callable[..., User], client: Client) -> None:
    assert client.get(QUEUE).status_code == 302  # anonymous: to the login page
    checker = make_user(Role.CREDIT_CHECKER)
    assert logged_in(checker).get(QUEUE).status_code == 403


# --- department scoping ----------------------------------------------------------------------


def test_department_reporter_sees_only_its_departments_applications(
    apply: Callable[..., Any], reporter: User, other_reporter: User
) -> None:
    mine, _code = apply()
    other_record = eligible_penalty(other_reporter.department)  # type: ignore[arg-type]
    theirs, _code = apply(other_record)
    page = logged_in(reporter).get(QUEUE).content.decode()
    assert mine.receipt_number in page and theirs.receipt_number not in page
    assert logged_in(reporter).get(detail_url(theirs)).status_code == 404
    assert logged_in(other_reporter).get(detail_url(mine)).status_code == 404


def test_reporter_gives_an_opinion_but_cannot_decide(
    apply: Callable[..., Any], reporter: User, credit_admin: User
) -> None:
    application, _code = apply()
    actions.accept_application(application, actor=credit_admin)
    client = logged_in(reporter)
    page = client.get(detail_url(application)).content.decode()
    assert action_url(application, "opinion") in page
    assert action_url(application, "approve") not in page
    response = client.post(
        action_url(application, "opinion"),
        {"opinion-verdict": "agree", "opinion-reason": "罚款已缴清。"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.department_verdict == OpinionVerdict.AGREE
    assert application.department_opinion == "罚款已缴清。"
    assert application.department_opinion_by == reporter
    assert application.events.filter(type=EventType.OPINION_GIVEN, actor=reporter).exists()
    assert client.post(action_url(application, "approve"), {}).status_code == 403
    assert client.post(action_url(application, "accept"), {}).status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED


def test_empty_opinion_is_refused_with_a_message(apply: Callable[..., Any], reporter: User) -> None:
    application, _code = apply()
    client = logged_in(reporter)
    response = client.post(action_url(application, "opinion"), {"opinion-verdict": ""}, follow=True)
    assert "决定部门意见：这个字段是必填项" in response.content.decode()
    response = client.post(
        action_url(application, "opinion"),
        {"opinion-verdict": "disagree", "opinion-reason": " "},
        follow=True,
    )
    assert "理由：不同意修复的，必须说明理由。" in response.content.decode()
    application.refresh_from_db()
    assert application.department_verdict == "" and application.department_opinion == ""


def test_credit_admin_gives_no_opinion_for_another_department(
    admin_client: Client, apply: Callable[..., Any]
) -> None:
    application, _code = apply()
    page = admin_client.get(detail_url(application)).content.decode()
    assert action_url(application, "opinion") not in page
    response = admin_client.post(action_url(application, "opinion"), {"opinion-verdict": "agree"})
    assert response.status_code == 403


# --- the workflow through the pages ----------------------------------------------------------


def test_credit_admin_accepts_requests_material_and_approves(
    admin_client: Client, apply: Callable[..., Any], repairable: PenaltyRecord
) -> None:
    application, _code = apply()
    page = admin_client.get(detail_url(application)).content.decode()
    assert "信用修复承诺书" in page and repairable.decision_number in page
    assert reverse("publicity:detail", args=["penalties", repairable.pk]) in page
    assert action_url(application, "approve") not in page  # not before acceptance

    admin_client.post(action_url(application, "accept"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED and application.decision_due

    response = admin_client.post(
        action_url(application, "request_material"),
        {"request_material-reason": "请补充罚款缴纳凭证"},
        follow=True,
    )
    assert "审查期限暂停计算" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.MATERIAL_REQUESTED
    assert application.paused_on == localdate()
    assert action_url(application, "approve") not in response.content.decode()

    actions.supply_material(application, note="已补充", files=[pdf_file("缴款凭证2.pdf")])
    agree(application)
    response = admin_client.post(
        action_url(application, "approve"), {"approve-reason": "已履行义务"}, follow=True
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert not PenaltyRecord.objects.publicly_visible().filter(pk=repairable.pk).exists()
    page = response.content.decode()
    assert "已同意修复" in page and "缴款凭证2.pdf" in page and "待发送" in page
    types = list(application.events.values_list("type", flat=True))
    assert types == [
        EventType.SUBMITTED,
        EventType.ACCEPTED,
        EventType.MATERIAL_REQUESTED,
        EventType.MATERIAL_SUPPLIED,
        EventType.OPINION_GIVEN,
        EventType.APPROVED,
    ]
    message = OutboxMessage.objects.get(object_id=str(application.pk))
    assert message.status == MessageStatus.PENDING
    assert reverse("outbox:detail", args=[message.pk]) in page
    assert not any(action_url(application, name) in page for name in STAFF_ACTIONS)  # closed


def test_approve_is_disabled_with_the_reason_until_the_department_agrees(
    admin_client: Client, apply: Callable[..., Any], credit_admin: User, reporter: User
) -> None:
    application, _code = apply()
    actions.accept_application(application, actor=credit_admin)
    page = admin_client.get(detail_url(application)).content.decode()
    assert (
        "尚未出具。" in page and DISABLED in page and 'aria-describedby="approve-blocked"' in page
    )
    assert "尚未出具“同意”意见" in page and "谁认定、谁修复" in page
    # A stale page or a hand-made request: refused with the same message, nothing changes.
    refused = admin_client.post(action_url(application, "approve"), {}, follow=True)
    assert "尚未出具“同意”意见" in refused.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED

    logged_in(reporter).post(action_url(application, "opinion"), {"opinion-verdict": "agree"})
    page = admin_client.get(detail_url(application)).content.decode()
    assert 'id="approve-blocked"' not in page and "disabled" not in page
    assert "opinion-agree" in page and reporter.full_name in page
    admin_client.post(action_url(application, "approve"), {"approve-reason": "同意"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


def test_after_disagreement_only_a_refusal_quoting_the_department_is_offered(
    admin_client: Client, apply: Callable[..., Any], credit_admin: User, reporter: User
) -> None:
    application, _code = apply()
    actions.accept_application(application, actor=credit_admin)
    logged_in(reporter).post(
        action_url(application, "opinion"),
        {"opinion-verdict": "disagree", "opinion-reason": "罚款尚未缴清"},
    )
    page = admin_client.get(detail_url(application)).content.decode()
    assert "opinion-disagree" in page and page.count(DISABLED) == 1  # approve only
    assert "不同意修复，理由：罚款尚未缴清。依据" in page  # on the disabled approve button
    quote = "决定部门（台儿庄区市场监督管理局）不同意修复，理由：罚款尚未缴清。"
    assert f"{quote}</textarea>" in page  # the refusal starts from the department's reason
    admin_client.post(action_url(application, "refuse"), {"refuse-reason": quote})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED
    assert application.decision_reason == quote


def test_where_the_department_decides_it_gets_the_buttons_and_the_credit_office_forwards(
    admin_client: Client, apply: Callable[..., Any], credit_admin: User, reporter: User
) -> None:
    from chengxin.core import local_settings
    from chengxin.core.models import LocalSetting

    LocalSetting.objects.create(key="repair.decided_by", value="deciding_department")
    local_settings.clear_cache()
    application, _code = apply()
    admin_client.post(action_url(application, "accept"))
    office = admin_client.get(detail_url(application)).content.decode()
    assert action_url(application, "approve") not in office
    assert action_url(application, "refuse") not in office
    assert "已转决定部门（台儿庄区市场监督管理局）" in office
    assert admin_client.post(action_url(application, "approve"), {}).status_code == 403
    client = logged_in(reporter)
    page = client.get(detail_url(application)).content.decode()
    assert action_url(application, "approve") in page and action_url(application, "refuse") in page
    assert action_url(application, "opinion") not in page and "disabled" not in page
    client.post(action_url(application, "approve"), {"approve-reason": "已履行义务"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


def test_decline_needs_a_reason_and_a_stale_button_gets_a_message(
    admin_client: Client, apply: Callable[..., Any]
) -> None:
    application, _code = apply()
    response = admin_client.post(
        action_url(application, "decline"), {"decline-reason": "  "}, follow=True
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert "理由：这个字段是必填项" in response.content.decode()
    admin_client.post(action_url(application, "decline"), {"decline-reason": "非本区信息"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NOT_ACCEPTED
    assert application.decision_reason == "非本区信息"
    stale = admin_client.post(action_url(application, "accept"), follow=True)
    assert "不能进行此操作" in stale.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NOT_ACCEPTED


def test_refuse_with_reason(admin_client: Client, apply: Callable[..., Any]) -> None:
    application, _code = apply()
    admin_client.post(action_url(application, "accept"))
    admin_client.post(action_url(application, "refuse"), {"refuse-reason": "罚款未缴清"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED
    assert application.decision_reason == "罚款未缴清"


def test_unknown_action_is_404_and_get_is_not_allowed(
    admin_client: Client, apply: Callable[..., Any]
) -> None:
    application, _code = apply()
    assert admin_client.post(action_url(application, "publish")).status_code == 404
    assert admin_client.get(action_url(application, "accept")).status_code == 405
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


# --- evidence --------------------------------------------------------------------------------


def evidence_url(application: RepairApplication) -> str:
    item = application.evidence.get()
    return reverse("repair_staff:evidence", args=[application.pk, item.pk])


def test_evidence_is_a_staff_only_attachment(
    client: Client, admin_client: Client, apply: Callable[..., Any], reporter: User
) -> None:
    application, _code = apply()
    url = evidence_url(application)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/" in anonymous["Location"]
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert logged_in(reporter).get(url).status_code == 200  # the deciding department


def test_evidence_of_another_department_or_application_is_404(
    apply: Callable[..., Any],
    other_reporter: User,
    make_user: Callable[..., User],
    admin_client: Client,
    market: Department,
) -> None:
    application, _code = apply()
    url = evidence_url(application)
    assert logged_in(other_reporter).get(url).status_code == 404
    assert logged_in(make_user(Role.CREDIT_CHECKER)).get(url).status_code == 403
    second, _code = apply(eligible_penalty(market))
    crossed = reverse("repair_staff:evidence", args=[second.pk, application.evidence.get().pk])
    assert admin_client.get(crossed).status_code == 404


def test_missing_evidence_file_is_404(
    admin_client: Client, apply: Callable[..., Any], settings: Any
) -> None:
    application, _code = apply()
    (settings.REPAIR_EVIDENCE_DIR / application.evidence.get().stored_name).unlink()
    assert admin_client.get(evidence_url(application)).status_code == 404


def _evidence_path(application: RepairApplication, settings: Any) -> Path:
    return Path(settings.REPAIR_EVIDENCE_DIR) / application.evidence.get().stored_name


def _evidence_reads(application: RepairApplication) -> int:
    return AuditEntry.objects.filter(
        action=AuditAction.SENSITIVE_READ, object_id=str(application.evidence.get().pk)
    ).count()


def test_evidence_is_sealed_on_disk_and_served_as_uploaded(
    admin_client: Client, apply: Callable[..., Any], settings: Any
) -> None:
    application, _code = apply()
    raw = _evidence_path(application, settings).read_bytes()
    assert raw.startswith(sealed_files.MAGIC) and PDF not in raw and b"%PDF" not in raw
    response = admin_client.get(evidence_url(application))
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert _evidence_reads(application) == 1


def test_changed_evidence_is_refused_with_a_message_and_logged(
    admin_client: Client,
    apply: Callable[..., Any],
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    application, _code = apply()
    path = _evidence_path(application, settings)
    raw = bytearray(path.read_bytes())
    raw[40] ^= 0x01
    path.write_bytes(bytes(raw))
    response = admin_client.get(evidence_url(application), follow=True)
    assert response.redirect_chain[-1][0] == detail_url(application)
    assert "文件已损坏或被改动，无法打开" in response.content.decode()
    assert _evidence_reads(application) == 0
    assert "repair evidence #" in caplog.text and "%PDF" not in caplog.text


def test_evidence_from_before_sealing_is_served_and_sealed_by_seal_files(
    admin_client: Client, apply: Callable[..., Any], settings: Any
) -> None:
    application, _code = apply()
    path = _evidence_path(application, settings)
    path.write_bytes(PDF)  # as evidence was stored before files were sealed
    assert b"".join(admin_client.get(evidence_url(application)).streaming_content) == PDF  # type: ignore[attr-defined]
    call_command("seal_files")
    assert sealed_files.is_sealed(path) and PDF not in path.read_bytes()
    assert b"".join(admin_client.get(evidence_url(application)).streaming_content) == PDF  # type: ignore[attr-defined]


# --- navigation ------------------------------------------------------------------------------


def test_navigation_offers_the_queue_and_the_outbox_to_the_credit_office(
    admin_client: Client, reporter: User
) -> None:
    page = admin_client.get(reverse("core:dashboard")).content.decode()
    assert QUEUE in page and reverse("outbox:list") in page
    reporter_page = logged_in(reporter).get(reverse("core:dashboard")).content.decode()
    assert QUEUE in reporter_page and reverse("outbox:list") not in reporter_page


# --- admin -----------------------------------------------------------------------------------


def test_admin_shows_applications_read_only(
    admin_client: Client, apply: Callable[..., Any], other_reporter: User
) -> None:
    application, _code = apply()
    listing = admin_client.get("/admin/repair/repairapplication/").content.decode()
    assert application.receipt_number in listing
    change = admin_client.get(f"/admin/repair/repairapplication/{application.pk}/change/")
    page = change.content.decode()
    assert change.status_code == 200 and "缴款凭证.pdf" in page
    assert 'name="_save"' not in page and application.verification_digest not in page
    assert admin_client.get("/admin/repair/repairapplication/add/").status_code == 403
    reporter_admin = logged_in(other_reporter).get("/admin/repair/repairapplication/")
    assert reporter_admin.status_code == 302  # reporters work on the staff pages, not the admin
