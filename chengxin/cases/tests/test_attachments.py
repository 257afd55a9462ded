"""Step attachments: checked on upload by content, served only to users who may view the case,
always as a download with the checked type."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.cases import actions, attachments
from chengxin.cases.choices import StepKind
from chengxin.cases.models import Case, CaseAttachment
from chengxin.core import sealed_files

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


# --- sealed at rest (core.sealed_files) ---------------------------------------------------------


def _download(case: Case, item: CaseAttachment, handler: User, **extra: object) -> object:
    client = Client()
    client.force_login(handler)
    return client.get(reverse("cases:attachment", args=[case.pk, item.pk]), **extra)


def _reads(item: CaseAttachment) -> int:
    return AuditEntry.objects.filter(
        action=AuditAction.SENSITIVE_READ, object_id=str(item.pk)
    ).count()


def test_an_attachment_is_sealed_on_disk_and_served_as_uploaded(
    make_case: Callable[..., Case], handler: User
) -> None:
    case = make_case()
    item = _attached(case, handler)
    raw = (attachments.folder() / item.stored_name).read_bytes()
    assert raw.startswith(sealed_files.MAGIC) and b"<script>" not in raw and b"%PDF" not in raw
    response = _download(case, item, handler)
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert _reads(item) == 1


def test_a_changed_attachment_is_refused_with_a_message_and_logged(
    make_case: Callable[..., Case], handler: User, caplog: pytest.LogCaptureFixture
) -> None:
    case = make_case()
    item = _attached(case, handler)
    path = attachments.folder() / item.stored_name
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 0x01
    path.write_bytes(bytes(raw))
    response = _download(case, item, handler, follow=True)
    page = response.content.decode()  # type: ignore[attr-defined]
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])  # type: ignore[attr-defined]
    assert "文件已损坏或被改动，无法打开" in page
    assert _reads(item) == 0  # nothing was shown
    assert f"case attachment #{item.pk}" in caplog.text and "<script>" not in caplog.text


def test_an_attachment_from_before_sealing_is_served_then_sealed(
    make_case: Callable[..., Case], handler: User
) -> None:
    case = make_case()
    item = _attached(case, handler)
    path = attachments.folder() / item.stored_name
    path.write_bytes(PDF)  # as it was stored before files were sealed
    assert b"".join(_download(case, item, handler).streaming_content) == PDF  # type: ignore[attr-defined]
    call_command("seal_files")
    assert sealed_files.is_sealed(path) and b"<script>" not in path.read_bytes()
    assert b"".join(_download(case, item, handler).streaming_content) == PDF  # type: ignore[attr-defined]
    path.write_bytes(b"%PDF-1.4 put in its place")  # a plaintext file that is not the upload
    assert _download(case, item, handler).status_code == 302  # type: ignore[attr-defined]
