"""The public repair pages: choose, apply with files, receipt, follow by receipt + code."""

from __future__ import annotations

import datetime

import pytest
from django.utils.timezone import localdate

from chengxin.portal.tests.fixtures import company, penalty
from chengxin.repair.choices import ApplicationStatus
from chengxin.repair.models import RepairApplication
from chengxin.repair.tests.fixtures import pdf_file

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "contact_person": "王经理",
        "contact_phone": "0632-6611234",
        "statement": "罚款已缴清。",
        "commitment_confirmed": "on",
        "evidence": [pdf_file()],
    }
    data.update(overrides)
    return data


def test_choose_shows_eligible_and_too_early_items(client, repairable, market) -> None:
    subject = repairable.subject
    fresh = penalty(
        subject,
        market,
        decision_date=localdate() - datetime.timedelta(days=5),
        severity="general",
    )
    page = client.get(f"/repair/subjects/{subject.public_id}/").content.decode()
    assert f"/repair/subjects/{subject.public_id}/penalty/{repairable.pk}/" in page
    assert f"/penalty/{fresh.pk}/" not in page and "起可申请" in page


def test_apply_through_the_page_and_follow_it(client, repairable) -> None:
    url = f"/repair/subjects/{repairable.subject.public_id}/penalty/{repairable.pk}/"
    form = client.get(url).content.decode()
    assert "信用修复承诺书" in form and repairable.decision_number in form
    response = client.post(url, form_data())
    application = RepairApplication.objects.get()
    page = response.content.decode()
    assert response.status_code == 200 and application.receipt_number in page
    assert response["Cache-Control"].startswith("max-age=0")
    status = client.get(f"/repair/status/{application.receipt_number}/")
    assert "待受理" in status.content.decode()
    assert application.receipt_number not in client.get(url).content.decode()


def test_status_needs_the_code(client, apply) -> None:
    application, code = apply()
    assert client.get(f"/repair/status/{application.receipt_number}/").status_code == 404
    wrong = client.post(
        "/repair/status/", {"receipt_number": application.receipt_number, "code": "AAAAAAAA"}
    )
    assert "不正确" in wrong.content.decode()
    right = client.post(
        "/repair/status/", {"receipt_number": application.receipt_number, "code": code.lower()}
    )
    assert right.status_code == 302
    assert application.get_status_display() in client.get(right["Location"]).content.decode()


def test_bad_input_is_reported_and_nothing_stored(client, repairable) -> None:
    url = f"/repair/subjects/{repairable.subject.public_id}/penalty/{repairable.pk}/"
    missing = client.post(url, form_data(commitment_confirmed="", contact_phone="abc"))
    page = missing.content.decode()
    assert missing.status_code == 200 and "有效的电话号码" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = client.post(url, form_data(evidence=[SimpleUploadedFile("a.pdf", b"<html>")]))
    assert "不是 PDF、JPG 或 PNG" in fake.content.decode()
    assert not RepairApplication.objects.exists()


def test_a_record_of_another_subject_is_not_found(client, repairable) -> None:
    other = company("另一家公司")
    url = f"/repair/subjects/{other.public_id}/penalty/{repairable.pk}/"
    assert client.get(url).status_code == 404


def test_supplying_material_resumes_the_review(client, apply, credit_admin) -> None:
    from chengxin.repair import actions

    application, code = apply()
    actions.accept_application(application, actor=credit_admin)
    actions.request_material(application, actor=credit_admin, reason="请补充完税证明")
    client.post("/repair/status/", {"receipt_number": application.receipt_number, "code": code})
    url = f"/repair/status/{application.receipt_number}/"
    assert "补正材料" in client.get(url).content.decode()
    client.post(url, {"note": "已补充", "evidence": [pdf_file("完税证明.pdf")]})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.evidence.count() == 2


def test_the_applicant_does_not_see_the_departments_internal_opinion(
    client, apply, make_user, market
) -> None:
    from chengxin.accounts.choices import Role
    from chengxin.repair import actions

    application, code = apply()
    reporter = make_user(Role.DEPARTMENT_REPORTER, department=market)
    actions.give_opinion(
        application, actor=reporter, verdict="disagree", reason="内部意见：该企业另有未结案件"
    )
    client.post("/repair/status/", {"receipt_number": application.receipt_number, "code": code})
    page = client.get(f"/repair/status/{application.receipt_number}/").content.decode()
    assert "决定部门出具意见" in page and "未结案件" not in page
