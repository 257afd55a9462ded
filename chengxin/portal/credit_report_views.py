"""Credit reports on the public portal: ask for one (GET), issue it (POST, rate-limited), and verify
one (no login)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from chengxin.audit.middleware import client_ip
from chengxin.portal import credit_report, queries
from chengxin.portal.masking import public_name
from chengxin.portal.models import CreditReport
from chengxin.portal.throttle import limited
from chengxin.subjects.models import Subject

# An issued report is a few hundred kilobytes; anything much larger is not one of ours.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@require_http_methods(["GET", "HEAD", "POST"])
def download(request: HttpRequest, key: str) -> HttpResponse:
    """GET: a page that asks for the report (its form posts here); POST: issue it.

    The subject page links here instead of holding the form, so that it sets no CSRF cookie
    and can be cached (portal.cache).
    """
    subject = queries.find_subject(key)
    if subject is None:
        raise Http404
    if request.method != "POST":
        context = {"subject": subject, "display_name": public_name(subject.name, subject.category)}
        return render(request, "portal/report_request.html", context)
    return issue(request, subject)


@limited("report")
def issue(request: HttpRequest, subject: Subject) -> HttpResponse:
    """Issue a report on the subject and send the PDF (every call creates a report)."""
    site_url = f"{request.scheme}://{request.get_host()}"
    issued = credit_report.issue_report(subject, site_url=site_url, requested_ip=client_ip(request))
    response = HttpResponse(issued.pdf, content_type="application/pdf")
    # The number, not the name: a natural person's name must not travel in a file name.
    response["Content-Disposition"] = f'attachment; filename="{issued.report.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


class ReportUploadForm(forms.Form):
    file = forms.FileField(label=_("报告 PDF 文件"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件过大，不是本平台出具的信用报告。"))
        return upload


def sha256_of(upload: Any) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@require_safe
def verify_start(request: HttpRequest) -> HttpResponse:
    """The verification page without a number: a form asking for the number and the code."""
    number = request.GET.get("number", "").strip().upper()
    if number:
        target = redirect("credit_reports:verify", number=number[:32])
        code = credit_report.normalise_code(request.GET.get("code", ""))[:16]
        if code:
            target["Location"] += "?" + urlencode({"code": code})
        return target
    return render(request, "portal/verify.html", {"state": "start"})


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, number: str) -> HttpResponse:
    """Whether a report with this number was issued here (number + code), and whether an
    uploaded PDF is byte for byte the one issued (its SHA-256).

    A number alone says only that it exists: the subject is named when the code printed on the
    report is given (the QR code carries it), so numbers cannot be walked to learn who was
    reported on.
    """
    found = CreditReport.objects.filter(number=number.strip().upper()).first()
    context: dict[str, Any] = {"number": number, "found": found, "form": ReportUploadForm()}
    if found is None:
        return render(request, "portal/verify.html", context | {"state": "unknown"}, status=404)
    if request.method == "POST":
        form = ReportUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            same = secrets.compare_digest(sha256_of(form.cleaned_data["file"]), found.pdf_sha256)
            context["state"] = "unaltered" if same else "altered"
        else:
            context["state"] = "code_needed"
        return render(request, "portal/verify.html", context)
    code = credit_report.normalise_code(request.GET.get("code", ""))
    if not code:
        context["state"] = "code_needed"
    elif secrets.compare_digest(code.encode(), found.verification_code.encode()):
        context["state"] = "genuine"
    else:
        context["state"] = "code_mismatch"
    context["code"] = code
    return render(request, "portal/verify.html", context)
