"""Staff pages (permissions by role, forms, the clean-up page, query counts) and the public pages
of 事前公开 (no login; only public fields)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import localdate

from chengxin.accounts.models import User
from chengxin.agencies.choices import BodyKind, BodyStatus, EventType, OfficerStatus, RemovalReason
from chengxin.agencies.models import AgencyEvent, EnforcementBody, EnforcementOfficer
from chengxin.agencies.tests.conftest import logged_in

pytestmark = pytest.mark.django_db

MakeBody = Callable[..., EnforcementBody]
MakeOfficer = Callable[..., EnforcementOfficer]
STAFF_PAGES = ("agencies:overview", "agencies:bodies", "agencies:officers", "agencies:cleanup")


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_open_for_the_admin_and_the_enforcement_officer(
    name: str, law_admin: User, case_officer: User, make_enforcement_officer: MakeOfficer
) -> None:
    make_enforcement_officer(training_hours=10)
    assert logged_in(law_admin).get(reverse(name)).status_code == 200
    assert logged_in(case_officer).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_need_a_login(name: str) -> None:
    response = Client().get(reverse(name))
    assert response.status_code == 302 and "login" in response["Location"]


def test_user_without_agencies_role_is_refused(make_user: Callable[..., User]) -> None:
    from chengxin.accounts.choices import Role

    reporter = make_user(Role.DEPARTMENT_REPORTER)
    assert logged_in(reporter).get(reverse("agencies:bodies")).status_code == 403


def test_enforcement_officer_may_only_view(
    case_officer: User, make_enforcement_officer: MakeOfficer
) -> None:
    officer = make_enforcement_officer(training_hours=10)
    client = logged_in(case_officer)
    detail = client.get(reverse("agencies:officer", args=[officer.pk]))
    assert detail.status_code == 200
    assert detail.context["offered"] == {}
    assert client.get(reverse("agencies:body_new")).status_code == 403
    assert client.get(reverse("agencies:officer_edit", args=[officer.pk])).status_code == 403
    url = reverse("agencies:officer_status", args=[officer.pk, "suspend"])
    assert client.post(url, {"suspend-reason": "x", "suspend-on": localdate()}).status_code == 403
    page = client.get(reverse("agencies:cleanup"))
    assert page.context["can_review"] is False
    assert 'name="officer"' not in page.content.decode()
    response = client.post(reverse("agencies:cleanup"), {"officer": [officer.pk], "reason": "x"})
    assert response.status_code == 403
    officer.refresh_from_db()
    assert officer.status == OfficerStatus.ON_DUTY


def test_admin_registers_an_entrusted_body_through_the_form(
    law_admin: User, make_enforcement_body: MakeBody
) -> None:
    entrusting = make_enforcement_body(name="台儿庄区综合行政执法局")
    data = {
        "name": "台儿庄古城综合执法大队",
        "credit_code": "12370405MAPBRNYT6W",
        "kind": BodyKind.ENTRUSTED,
        "legal_basis": "《行政处罚法》第二十条",
        "domains": "古城管理",
        "territory": "台儿庄古城景区",
        "confirming_document": "台政字〔2026〕5号",
        "confirmed_on": localdate().isoformat(),
    }
    client = logged_in(law_admin)
    refused = client.post(reverse("agencies:body_new"), data)
    assert refused.status_code == 200
    assert "受委托组织必须填写委托机关。" in refused.content.decode()
    response = client.post(reverse("agencies:body_new"), {**data, "entrusting_body": entrusting.pk})
    body = EnforcementBody.objects.get(name="台儿庄古城综合执法大队")
    assert response["Location"] == reverse("agencies:body", args=[body.pk])
    assert body.entrusting_body == entrusting and body.status == BodyStatus.ACTIVE
    assert AgencyEvent.objects.filter(body=body, type=EventType.BODY_CONFIRMED).exists()


def test_admin_suspends_an_officer_from_its_page(
    law_admin: User, make_enforcement_officer: MakeOfficer
) -> None:
    officer = make_enforcement_officer()
    client = logged_in(law_admin)
    url = reverse("agencies:officer_status", args=[officer.pk, "suspend"])
    client.post(url, {"suspend-reason": "长期病假", "suspend-on": localdate().isoformat()})
    officer.refresh_from_db()
    assert (officer.status, officer.status_reason) == (OfficerStatus.SUSPENDED, "长期病假")


def test_admin_revokes_a_body_from_its_page(
    law_admin: User, make_enforcement_body: MakeBody
) -> None:
    body = make_enforcement_body()
    client = logged_in(law_admin)
    missing = client.post(
        reverse("agencies:body_revoke", args=[body.pk]),
        {"revoked_on": localdate().isoformat()},
        follow=True,
    )
    assert "这个字段是必填项" in missing.content.decode() or "必填" in missing.content.decode()
    client.post(
        reverse("agencies:body_revoke", args=[body.pk]),
        {"document": "台政字〔2026〕40号", "revoked_on": localdate().isoformat()},
    )
    body.refresh_from_db()
    assert body.status == BodyStatus.REVOKED


def test_cleanup_page_lists_reasons_and_confirms_the_selection(
    law_admin: User, make_enforcement_officer: MakeOfficer
) -> None:
    untrained = make_enforcement_officer(name="学时不足者", training_hours=30)
    expired = make_enforcement_officer(
        name="过期者", certificate_valid_until=localdate() - datetime.timedelta(days=1)
    )
    make_enforcement_officer(name="合格者")
    client = logged_in(law_admin)
    page = client.get(reverse("agencies:cleanup"))
    html = page.content.decode()
    assert "年度培训 30 学时，低于 60 学时" in html and "过期者" in html
    assert "合格者" not in html
    client.post(
        reverse("agencies:cleanup"),
        {"officer": [untrained.pk], "reason": "台司发〔2026〕3号", "on": localdate().isoformat()},
    )
    untrained.refresh_from_db()
    expired.refresh_from_db()
    assert untrained.status == OfficerStatus.REMOVED
    assert expired.status == OfficerStatus.ON_DUTY


def test_overview_counts(
    law_admin: User, make_enforcement_body: MakeBody, make_enforcement_officer: MakeOfficer
) -> None:
    body = make_enforcement_body()
    make_enforcement_body(status=BodyStatus.REVOKED, revoking_document="文", revoked_on=localdate())
    make_enforcement_officer(body=body)
    make_enforcement_officer(body=body, status=OfficerStatus.REMOVED, status_changed_on=localdate())
    make_enforcement_officer(body=body, training_hours=1)
    context = logged_in(law_admin).get(reverse("agencies:overview")).context
    assert context["bodies"]["active"] == 1 and context["bodies"]["revoked"] == 1
    assert context["removed"] == 1 and context["removed_this_year"] == 1
    assert context["proposed"] == 1 and context["assignable"] == 2


@pytest.mark.parametrize("name", ["agencies:bodies", "agencies:officers"])
def test_staff_list_query_count_does_not_grow(
    name: str,
    law_admin: User,
    make_enforcement_body: MakeBody,
    make_enforcement_officer: MakeOfficer,
    django_assert_max_num_queries: Any,
) -> None:
    make_enforcement_officer()
    client = logged_in(law_admin)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name)).status_code == 200
    entrusting = make_enforcement_body()
    for _ in range(8):
        body = make_enforcement_body(kind=BodyKind.ENTRUSTED, entrusting_body=entrusting)
        make_enforcement_officer(body=body)
    with django_assert_max_num_queries(len(few)):
        client.get(reverse(name))


# --- public pages ----------------------------------------------------------------------------


def test_public_body_list_shows_active_bodies_with_public_fields_only(
    make_enforcement_body: MakeBody, make_department: Callable[..., Any]
) -> None:
    department = make_department(name="内部部门名称甲")
    make_enforcement_body(
        name="台儿庄区市场监督管理局",
        legal_basis="《市场监督管理行政处罚程序规定》",
        domains="市场监管",
        territory="台儿庄区全域",
        confirming_document="内部确认文号甲",
        department=department,
    )
    make_enforcement_body(
        name="已撤销的主体",
        status=BodyStatus.REVOKED,
        revoking_document="撤销文号",
        revoked_on=localdate(),
    )
    response = Client().get(reverse("agencies_public:bodies"))
    html = response.content.decode()
    assert response.status_code == 200
    for shown in (
        "台儿庄区市场监督管理局",
        "法定",
        "《市场监督管理行政处罚程序规定》",
        "台儿庄区全域",
    ):
        assert shown in html
    for hidden in ("已撤销的主体", "内部部门名称甲", "内部确认文号甲"):
        assert hidden not in html


def test_public_staff_list_shows_only_name_certificate_and_categories(
    make_enforcement_officer: MakeOfficer,
) -> None:
    officer = make_enforcement_officer(
        name="王公开",
        certificate_number="37040500777001",
        categories="食品安全",
        area="内部执法区域乙",
        training_hours=61,
        certificate_valid_until=datetime.date(2029, 3, 17),
    )
    officer.body.name = "主体名乙"
    officer.body.save()
    make_enforcement_officer(
        name="李暂停", status=OfficerStatus.SUSPENDED, status_reason="内部原因丙"
    )
    make_enforcement_officer(name="赵清理", status=OfficerStatus.REMOVED)
    response = Client().get(reverse("agencies_public:officers"))
    html = response.content.decode()
    assert response.status_code == 200
    row = "<tr><td>王公开</td><td>37040500777001</td><td>食品安全</td></tr>"
    assert row in html
    for hidden in ("内部执法区域乙", "2029-03-17", "李暂停", "内部原因丙", "赵清理", ">61<"):
        assert hidden not in html
    assert set(response.context["page"][0]) == {"name", "certificate_number", "categories"}


def test_public_staff_list_by_body(make_enforcement_officer: MakeOfficer) -> None:
    first = make_enforcement_officer(name="甲执法员")
    make_enforcement_officer(name="乙执法员")
    html = (
        Client().get(reverse("agencies_public:officers"), {"body": first.body_id}).content.decode()
    )
    assert "甲执法员" in html and "乙执法员" not in html


def test_public_pages_query_count_does_not_grow(
    make_enforcement_officer: MakeOfficer, django_assert_max_num_queries: Any
) -> None:
    make_enforcement_officer()
    client = Client()
    for name in ("agencies_public:bodies", "agencies_public:officers"):
        with CaptureQueriesContext(connection) as few:
            client.get(reverse(name))
        for _ in range(5):
            make_enforcement_officer()
        with django_assert_max_num_queries(len(few)):
            client.get(reverse(name))


def test_open_government_page_links_the_public_lists() -> None:
    html = Client().get(reverse("portal:open")).content.decode()
    assert reverse("agencies_public:bodies") in html
    assert reverse("agencies_public:officers") in html


def test_dashboard_links_the_agencies_pages_by_permission(
    law_admin: User, case_officer: User
) -> None:
    admin_page = logged_in(law_admin).get(reverse("core:dashboard")).content.decode()
    upload = reverse("registers:upload", args=["officers"])
    for url in (reverse("agencies:overview"), reverse("agencies:cleanup"), upload):
        assert url in admin_page
    officer_page = logged_in(case_officer).get(reverse("core:dashboard")).content.decode()
    assert reverse("agencies:officers") in officer_page
    assert upload not in officer_page


def test_public_staff_list_leaves_out_an_expired_certificate(
    make_enforcement_officer: MakeOfficer,
) -> None:
    """The public checks an officer's credentials on this list: one 在岗 but with a certificate
    expired (not yet cleaned up) or not yet valid may not enforce, so is not listed."""
    today = localdate()
    make_enforcement_officer(name="钱有效", certificate_valid_until=today)
    make_enforcement_officer(
        name="孙过期",
        certificate_valid_from=today - datetime.timedelta(days=800),
        certificate_valid_until=today - datetime.timedelta(days=1),
    )
    make_enforcement_officer(
        name="周未起",
        certificate_valid_from=today + datetime.timedelta(days=1),
        certificate_valid_until=today + datetime.timedelta(days=800),
    )
    html = Client().get(reverse("agencies_public:officers")).content.decode()
    assert "钱有效" in html
    assert "孙过期" not in html and "周未起" not in html


def test_admin_records_a_retirement_from_the_officers_page(
    law_admin: User, make_enforcement_officer: MakeOfficer, case_officer: User
) -> None:
    """调离 / 退休 from the officer's page: the officer becomes 清理 with the declared reason; an
    enforcement officer (no REVIEW on the registry) is refused."""
    officer = make_enforcement_officer(name="老李")
    url = reverse("agencies:officer_status", args=[officer.pk, "depart"])
    data = {
        "depart-why": RemovalReason.RETIRED,
        "depart-reason": "台人社〔2026〕8号",
        "depart-on": localdate().isoformat(),
    }
    assert logged_in(case_officer).post(url, data).status_code in (403, 404)
    page = logged_in(law_admin).get(reverse("agencies:officer", args=[officer.pk]))
    assert "调离、退休清理" in page.content.decode()
    logged_in(law_admin).post(url, data)
    officer.refresh_from_db()
    assert (officer.status, officer.removal_reason) == (OfficerStatus.REMOVED, "retired")
    page = logged_in(law_admin).get(reverse("agencies:officer", args=[officer.pk]))
    assert "退休" in page.content.decode() and "调离、退休清理" not in page.content.decode()
