"""Staff pages of the annual report: the report as HTML, its DOCX/PDF downloads, kept files.

Whoever may view the area "reports" (rule_of_law_admin, credit_admin) sees the district-wide
report and may download it: a download renders the file from the current data and keeps it
(`AnnualReport`, with its SHA-256), so every file that left the system can be produced again.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from chengxin.accounts.models import acting_user
from chengxin.accounts.permissions import VIEW, can
from chengxin.audit.context import audit_context
from chengxin.reports import render as rendering
from chengxin.reports.collect import collect
from chengxin.reports.models import CONTENT_TYPES, AnnualReport, ReportFormat

FIRST_YEAR = 2000


def _check(request: HttpRequest) -> None:
    if not can(request.user, VIEW, AnnualReport):
        raise PermissionDenied


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=FIRST_YEAR)

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("年度不能晚于今年。"))
        return year


@login_required
@require_safe
def annual(request: HttpRequest) -> HttpResponse:
    """The report for ?year= (this year to date by default) as a page."""
    _check(request)
    this_year = timezone.localdate().year
    form = YearForm(request.GET if "year" in request.GET else None, initial={"year": this_year})
    status = 200
    year = this_year
    if form.is_bound:
        if form.is_valid():
            year = form.cleaned_data["year"]
        else:
            status = 400
    content = collect(year)
    context = rendering.template_context(content, link_base="") | {
        "form": form,
        "files": AnnualReport.objects.restrict(request.user, VIEW)
        .filter(year=year)
        .select_related("generated_by")[:20],
    }
    return render(request, "reports/annual.html", context, status=status)


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year


@login_required
@require_POST
def generate(request: HttpRequest, year: int) -> FileResponse:
    """Render the report for `year` as DOCX or PDF now, keep the file, and send it."""
    _check(request)
    fmt = request.POST.get("format", "")
    if fmt not in ReportFormat.values:
        raise Http404
    user = acting_user(request)
    site_url = f"{request.scheme}://{request.get_host()}"
    with audit_context(actor=user):
        (done,) = rendering.generate(_year(year), (fmt,), actor=user, site_url=site_url)
    return _send(done.report)


@login_required
@require_safe
def kept_file(request: HttpRequest, pk: int) -> FileResponse:
    _check(request)
    report = get_object_or_404(AnnualReport.objects.restrict(request.user, VIEW), pk=pk)
    if not report.path.is_file():
        raise Http404
    return _send(report)


def _send(report: AnnualReport) -> FileResponse:
    return FileResponse(
        report.path.open("rb"),
        as_attachment=True,
        filename=report.file_name,
        content_type=CONTENT_TYPES[ReportFormat(report.format)],
    )
