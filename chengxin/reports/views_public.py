"""Public pages of the annual reports: every published year, the latest published version of the
government's report as HTML, and its PDF and DOCX as they were generated at finalisation.

规定 art. 24: the annual reports are made public before 1 April (rules.PUBLICATION_DEADLINE).
Only what staff published is shown; a later version replaces an earlier one of the same year.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from chengxin.reports import actions
from chengxin.reports import render as rendering
from chengxin.reports.models import CONTENT_TYPES, ReportFormat, RuleOfLawReport


def published() -> list[RuleOfLawReport]:
    """The latest published version of each year's government report, newest year first."""
    latest: dict[int, RuleOfLawReport] = {}
    for report in RuleOfLawReport.objects.filter(
        department__isnull=True, published_at__isnull=False, snapshot__isnull=False
    ).order_by("year", "version"):
        latest[report.year] = report
    return [latest[year] for year in sorted(latest, reverse=True)]


def _year(year: int) -> RuleOfLawReport:
    for report in published():
        if report.year == year:
            return report
    raise Http404


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/public/index.html", {"reports": published()})


@require_safe
def detail(request: HttpRequest, year: int) -> HttpResponse:
    report = _year(year)
    document = actions.document_for(report, links=False)
    context = {"report": report} | rendering.template_context(document, link_base=None)
    return render(request, "reports/public/detail.html", context)


@require_safe
def download(request: HttpRequest, year: int, fmt: str) -> FileResponse:
    if fmt not in ReportFormat.values:
        raise Http404
    report = _year(year)
    kept = report.files.filter(format=fmt).order_by("generated_at").first()
    if kept is None or not kept.path.is_file():
        raise Http404
    return FileResponse(
        kept.path.open("rb"),
        as_attachment=True,
        filename=f"{(report.snapshot or {}).get('title') or report.year}.{fmt}",
        content_type=CONTENT_TYPES[ReportFormat(fmt)],
    )
