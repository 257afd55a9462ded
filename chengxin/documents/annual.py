"""The documents chapter of the annual rule-of-law report (chengxin/reports/figures.py): every
figure counted from the register for the calendar year, with the staff list behind it; with
`department`, that department's own documents (its own annual report, docs/adr/0025)."""

from __future__ import annotations

import datetime

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.models import Department
from chengxin.documents.choices import ReviewResult
from chengxin.documents.models import (
    DocumentCleanup,
    IssuingBody,
    LegalityReview,
    NormativeDocument,
)
from chengxin.reports.figures import Figure, Section, department_query, list_url, of_department


def sections(year: int, department: Department | None = None) -> list[Section]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    documents = of_department(NormativeDocument.objects.all(), department)
    own = department_query(department)
    register = list_url("documents:list", **own)
    issued = documents.filter(number_year=year).count()
    published = documents.filter(published_on__range=(start, end))
    # Published in the year and either filed or past the deadline (pending ones are not counted).
    due = published.filter(Q(filed_on__isnull=False) | Q(filing_due__lt=timezone.localdate()))
    due_in_year = due.count()
    filed = published.filter(filed_on__isnull=False).count()
    filed_on_time = due.filter(filed_on__isnull=False, filed_on__lte=F("filing_due")).count()
    reviews = LegalityReview.objects.filter(reviewed_on__range=(start, end), document__in=documents)
    bodies = of_department(IssuingBody.objects.confirmed(), department)
    figures = (
        Figure(
            "documents.bodies_confirmed",
            _("确认的制定主体"),
            bodies.count(),
            _("个"),
            reverse("documents:bodies") if department is None else "",
        ),
        Figure(
            "documents.issued",
            _("印发规范性文件"),
            issued,
            _("件"),
            list_url("documents:list", year=year, **own),
        ),
        Figure(
            "documents.filed",
            _("当年公布文件已报送备案"),
            filed,
            _("件"),
            list_url("documents:filings", **own),
            _("当年公布 %(n)s 件") % {"n": published.count()},
        ),
        Figure(
            "documents.filed_on_time_rate",
            _("按时备案率"),
            round(100 * filed_on_time / due_in_year, 1) if due_in_year else None,
            "%",
            list_url("documents:filings", filing="on_time", **own),
        ),
        Figure(
            "documents.legality_reviews",
            _("合法性审核"),
            reviews.count(),
            _("件"),
            list_url("documents:reviews", all=1, units="all") if department is None else "",
            _("其中不通过 %(n)s 件") % {"n": reviews.filter(result=ReviewResult.FAILED).count()},
        ),
        Figure(
            "documents.cleaned_up",
            _("清理文件"),
            DocumentCleanup.objects.filter(decided_on__range=(start, end), document__in=documents)
            .values("document")
            .distinct()
            .count(),
            _("件"),
            register,
        ),
    )
    return [Section("documents", _("规范性文件"), figures)]
