"""Status changes of bodies and officers: given a row, when the action runs, then the status, the
journal entry (AgencyEvent) and the change log."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.agencies import actions
from chengxin.agencies.choices import BodyKind, BodyStatus, EventType, OfficerStatus, Staffing
from chengxin.agencies.models import AgencyEvent, EnforcementBody, EnforcementOfficer
from chengxin.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

MakeBody = Callable[..., EnforcementBody]
MakeOfficer = Callable[..., EnforcementOfficer]


def test_revoking_a_body_records_document_date_event_and_change_log(
    make_enforcement_body: MakeBody, make_enforcement_officer: MakeOfficer, law_admin: User
) -> None:
    body = make_enforcement_body()
    officer = make_enforcement_officer(body=body)

    actions.revoke_body(
        body,
        actor=law_admin,
        document="台政字〔2026〕30号",
        revoked_on=localdate(),
        reason="机构改革",
    )

    body.refresh_from_db()
    assert (body.status, body.revoking_document, body.revoked_on) == (
        BodyStatus.REVOKED,
        "台政字〔2026〕30号",
        localdate(),
    )
    event = AgencyEvent.objects.get(body=body, type=EventType.BODY_REVOKED)
    assert (event.actor, event.document, event.effective_on) == (
        law_admin,
        "台政字〔2026〕30号",
        localdate(),
    )
    entry = AuditEntry.objects.get(
        object_type="agencies.enforcementbody", object_id=str(body.pk), action="updated"
    )
    assert entry.after["status"] == "revoked" and entry.before["status"] == "active"
    assert entry.reason == "机构改革"
    assert not officer.is_assignable_on(localdate())


def test_revoking_needs_a_document_and_a_date_not_in_the_future(
    make_enforcement_body: MakeBody, law_admin: User
) -> None:
    body = make_enforcement_body()
    with pytest.raises(ValidationError) as excinfo:
        actions.revoke_body(body, actor=law_admin, document="", revoked_on=localdate())
    assert "revoking_document" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        actions.revoke_body(
            body, actor=law_admin, document="文", revoked_on=localdate() + datetime.timedelta(1)
        )
    assert "revoked_on" in excinfo.value.message_dict
    body.refresh_from_db()
    assert body.status == BodyStatus.ACTIVE


def test_revoking_twice_is_refused(make_enforcement_body: MakeBody, law_admin: User) -> None:
    body = make_enforcement_body()
    actions.revoke_body(body, actor=law_admin, document="文一", revoked_on=localdate())
    with pytest.raises(ValidationError):
        actions.revoke_body(body, actor=law_admin, document="文二", revoked_on=localdate())
    assert AgencyEvent.objects.filter(body=body, type=EventType.BODY_REVOKED).count() == 1


def test_saving_a_new_body_confirms_it(
    make_department: Callable[..., object], law_admin: User
) -> None:
    body = EnforcementBody(
        name="台儿庄区古城管理服务中心",
        credit_code="12370405MAPBRNYT6W",
        kind=BodyKind.ENTRUSTED,
        legal_basis="《行政处罚法》第二十条",
        domains="古城管理",
        territory="台儿庄古城",
        confirming_document="台政字〔2026〕5号",
        confirmed_on=localdate(),
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.save_body(body, actor=law_admin)
    assert "entrusting_body" in excinfo.value.message_dict
    assert not EnforcementBody.objects.exists()


def test_edit_cannot_change_the_status(make_enforcement_body: MakeBody, law_admin: User) -> None:
    body = make_enforcement_body()
    body.status = BodyStatus.REVOKED
    body.domains = "市场监管、知识产权"
    actions.save_body(body, actor=law_admin)
    body.refresh_from_db()
    assert (body.status, body.domains) == (BodyStatus.ACTIVE, "市场监管、知识产权")
    assert AgencyEvent.objects.filter(body=body, type=EventType.BODY_CHANGED).exists()


def test_suspend_then_reinstate_an_officer(
    make_enforcement_officer: MakeOfficer, law_admin: User
) -> None:
    officer = make_enforcement_officer()
    actions.suspend_officer(officer, actor=law_admin, reason="涉嫌违纪接受调查", on=localdate())
    officer.refresh_from_db()
    assert (officer.status, officer.status_reason, officer.status_changed_on) == (
        OfficerStatus.SUSPENDED,
        "涉嫌违纪接受调查",
        localdate(),
    )
    assert not officer.is_assignable_on(localdate())
    actions.reinstate_officer(officer, actor=law_admin, reason="调查结束", on=localdate())
    officer.refresh_from_db()
    assert officer.status == OfficerStatus.ON_DUTY
    types = list(
        AgencyEvent.objects.filter(officer=officer).order_by("id").values_list("type", flat=True)
    )
    assert types == [EventType.OFFICER_SUSPENDED, EventType.OFFICER_REINSTATED]
    reasons = set(
        AuditEntry.objects.filter(
            object_type="agencies.enforcementofficer", object_id=str(officer.pk), action="updated"
        ).values_list("reason", flat=True)
    )
    assert reasons == {"涉嫌违纪接受调查", "调查结束"}


def test_cancelled_officer_cannot_be_reinstated(
    make_enforcement_officer: MakeOfficer, law_admin: User
) -> None:
    officer = make_enforcement_officer()
    actions.cancel_officer(officer, actor=law_admin, reason="调离执法岗位", on=localdate())
    with pytest.raises(ValidationError) as excinfo:
        actions.reinstate_officer(officer, actor=law_admin, reason="恢复", on=localdate())
    assert "注销" in excinfo.value.messages[0]
    officer.refresh_from_db()
    assert officer.status == OfficerStatus.CANCELLED


def test_status_change_needs_a_reason(
    make_enforcement_officer: MakeOfficer, law_admin: User
) -> None:
    officer = make_enforcement_officer()
    with pytest.raises(ValidationError) as excinfo:
        actions.suspend_officer(officer, actor=law_admin, reason="  ", on=localdate())
    assert "status_reason" in excinfo.value.message_dict


def test_enforcement_officer_may_not_change_the_registry(
    make_enforcement_body: MakeBody, make_enforcement_officer: MakeOfficer, case_officer: User
) -> None:
    officer = make_enforcement_officer()
    with pytest.raises(PermissionDenied):
        actions.suspend_officer(officer, actor=case_officer, reason="x", on=localdate())
    with pytest.raises(PermissionDenied):
        actions.revoke_body(officer.body, actor=case_officer, document="x", revoked_on=localdate())
    officer.refresh_from_db()
    assert officer.status == OfficerStatus.ON_DUTY


def test_entrusting_body_cannot_be_revoked_while_its_entrusted_body_is_active(
    make_enforcement_body: MakeBody, law_admin: User
) -> None:
    entrusting = make_enforcement_body(name="台儿庄区综合行政执法局")
    entrusted = make_enforcement_body(
        name="台儿庄古城综合执法大队", kind=BodyKind.ENTRUSTED, entrusting_body=entrusting
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.revoke_body(entrusting, actor=law_admin, document="文一", revoked_on=localdate())
    assert excinfo.value.messages == ["请先撤销受其委托的组织：台儿庄古城综合执法大队。"]
    actions.revoke_body(entrusted, actor=law_admin, document="文一", revoked_on=localdate())
    actions.revoke_body(entrusting, actor=law_admin, document="文二", revoked_on=localdate())
    entrusting.refresh_from_db()
    assert entrusting.status == BodyStatus.REVOKED


def test_a_revoked_body_cannot_entrust(make_enforcement_body: MakeBody) -> None:
    revoked = make_enforcement_body(
        status=BodyStatus.REVOKED, revoking_document="文", revoked_on=localdate()
    )
    with pytest.raises(ValidationError) as excinfo:
        make_enforcement_body(kind=BodyKind.ENTRUSTED, entrusting_body=revoked)
    assert excinfo.value.message_dict["entrusting_body"] == ["委托机关已撤销，不能委托。"]


# --- who may hold a certificate (行政处罚法 art. 42; agencies.rules) ---------------------------


def _new_officer(body: EnforcementBody, **fields: object) -> EnforcementOfficer:
    today = localdate()
    values: dict[str, object] = {
        "body": body,
        "name": "新人",
        "certificate_number": "370405009999",
        "categories": "市场监管",
        "area": "台儿庄区",
        "certificate_valid_from": today,
        "certificate_valid_until": today + datetime.timedelta(days=365),
        "exam_passed": True,
        "training_hours": 60,
        "staffing": Staffing.ADMINISTRATIVE,
    }
    values.update(fields)
    return EnforcementOfficer(**values)  # type: ignore[arg-type]


def test_registering_an_officer_who_failed_the_exam_is_refused(
    make_enforcement_body: MakeBody, law_admin: User
) -> None:
    """Before, 考试未通过 was accepted at registration (only the clean-up found it)."""
    body = make_enforcement_body()
    with pytest.raises(ValidationError) as refused:
        actions.save_officer(
            _new_officer(body, exam_passed=False, has_legal_qualification=True), actor=law_admin
        )
    assert "exam_passed" in refused.value.message_dict
    assert not EnforcementOfficer.objects.exists()
    saved = actions.save_officer(_new_officer(body), actor=law_admin)
    assert saved.status == OfficerStatus.ON_DUTY


@pytest.mark.parametrize(
    ("staffing", "accepted"),
    [
        (Staffing.ADMINISTRATIVE, True),
        (Staffing.CIVIL_SERVICE_MANAGED, True),
        (Staffing.PUBLIC_INSTITUTION, True),
        (Staffing.SUPPORT_STAFF, False),
        (Staffing.LABOUR_DISPATCH, False),
        (Staffing.OTHER, False),
    ],
)
def test_only_established_staff_may_hold_a_certificate(
    make_enforcement_body: MakeBody, law_admin: User, staffing: str, accepted: bool
) -> None:
    body = make_enforcement_body()
    officer = _new_officer(body, staffing=staffing)
    if accepted:
        assert actions.save_officer(officer, actor=law_admin).pk is not None
    else:
        with pytest.raises(ValidationError) as refused:
            actions.save_officer(officer, actor=law_admin)
        assert "staffing" in refused.value.message_dict


def test_a_suspended_officer_who_no_longer_qualifies_is_not_reinstated(
    make_enforcement_officer: MakeOfficer, law_admin: User
) -> None:
    officer = make_enforcement_officer(status=OfficerStatus.SUSPENDED)
    EnforcementOfficer.objects.filter(pk=officer.pk).update(staffing=Staffing.LABOUR_DISPATCH)
    with pytest.raises(ValidationError, match="劳务派遣"):
        actions.reinstate_officer(officer, actor=law_admin, reason="调查结束", on=localdate())
    EnforcementOfficer.objects.filter(pk=officer.pk).update(staffing=Staffing.ADMINISTRATIVE)
    done = actions.reinstate_officer(officer, actor=law_admin, reason="调查结束", on=localdate())
    assert done.status == OfficerStatus.ON_DUTY


# --- a body's heads (负责人), who sign its decisions off (cases) ------------------------------


def test_a_bodys_heads_are_accounts_of_its_department(
    make_enforcement_body: MakeBody,
    make_department: Callable[..., Department],
    make_user: Callable[..., User],
    law_admin: User,
) -> None:
    department = make_department()
    body = make_enforcement_body(department=department)
    own = make_user(Role.ENFORCEMENT_OFFICER, department=department, full_name="局长")
    other = make_user(Role.ENFORCEMENT_OFFICER, department=make_department(), full_name="外单位")
    with pytest.raises(ValidationError, match="外单位"):
        actions.save_body(body, actor=law_admin, heads=[own, other])
    assert not body.heads.exists()
    actions.save_body(body, actor=law_admin, heads=[own])
    assert list(body.heads.all()) == [own]
    event = AgencyEvent.objects.filter(body=body, type=EventType.BODY_CHANGED).latest("id")
    assert "局长" in event.note


def test_an_entrusted_bodys_heads_may_be_the_entrusting_bodys(
    make_enforcement_body: MakeBody,
    make_department: Callable[..., Department],
    make_user: Callable[..., User],
    law_admin: User,
) -> None:
    """Boundary: the entrusting body's head signs in its name (行政处罚法 art. 20)."""
    entrusting = make_enforcement_body(department=make_department())
    entrusted = make_enforcement_body(
        kind=BodyKind.ENTRUSTED, entrusting_body=entrusting, department=make_department()
    )
    head = make_user(Role.ENFORCEMENT_OFFICER, department=entrusting.department)
    actions.save_body(entrusted, actor=law_admin, heads=[head])
    assert list(entrusted.heads.all()) == [head]
