"""Step attachments: checked on upload by content, served only to users who may view the case,
always as a download with the checked type."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.cases import actions
from chengxin.cases.choices import StepKind
from chengxin.cases.models import Case, CaseAttachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF"


def _attached(case: Case, handler: User) -> CaseAttachment:
    upload = SimpleUploadedFile("../../询问笔录.html", PDF, content_type="text/html")
    actions.record_step(case, StepKind.INVESTIGATION, actor=handler, files=[upload])
    return CaseAttachment.objects.get(step__case=case)


def test_the_handler_downloads_the_attachment_as_a_pdf(
    make_case: Callable[..., Case], handler: User
) -> None:
    case = make_case()
    item = _attached(case, handler)
    assert item.content_type == "application/pdf" and "/" not in item.stored_name
    client = Client()
    client.force_login(handler)
    response = client.get(reverse("cases:attachment", args=[case.pk, item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    # saved under the checked type's suffix: an "x.html" that is a PDF is not opened as HTML
    disposition = response["Content-Disposition"]
    assert disposition.endswith(".pdf") and ".html" not in disposition and "/" not in disposition


def test_an_html_file_is_refused_on_upload(make_case: Callable[..., Case], handler: User) -> None:
    case = make_case()
    upload = SimpleUploadedFile("a.pdf", b"<html></html>", content_type="application/pdf")
    with pytest.raises(ValidationError, match=r"a\.pdf"):
        actions.record_step(case, StepKind.INVESTIGATION, actor=handler, files=[upload])
    assert not CaseAttachment.objects.exists()


def test_other_users_do_not_get_the_attachment(
    make_case: Callable[..., Case],
    handler: User,
    make_user: Callable[..., User],
    make_department: Callable[..., object],
) -> None:
    case = make_case()
    item = _attached(case, handler)
    url = reverse("cases:attachment", args=[case.pk, item.pk])
    assert Client().get(url).status_code == 302  # to the login page
    other = Client()
    other.force_login(make_user(Role.ENFORCEMENT_OFFICER, department=make_department()))
    assert other.get(url).status_code == 404
    credit = Client()
    credit.force_login(make_user(Role.CREDIT_ADMIN))
    assert credit.get(url).status_code in (403, 404)


def test_an_attachment_is_reached_only_through_its_own_case(
    make_case: Callable[..., Case], handler: User
) -> None:
    first, second = make_case(), make_case()
    item = _attached(first, handler)
    client = Client()
    client.force_login(handler)
    assert client.get(reverse("cases:attachment", args=[second.pk, item.pk])).status_code == 404
    CaseAttachment.objects.filter(pk=item.pk).update(stored_name="../../etc/passwd")
    assert client.get(reverse("cases:attachment", args=[first.pk, item.pk])).status_code == 404
