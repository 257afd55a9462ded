"""Staff reports on 双公示 reporting: the timeliness dashboards and the export.

The credit office (scope ALL on records) sees every department in one table and drills down to
one; a department's reporter is sent to their own department's dashboard and gets 403 on any
other. Figures come from `stats`, one aggregate query each, so a page costs the same number of
queries whatever the number of records.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from chengxin.accounts.choices import Scope
from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import EXPORT, VIEW, can, scope_for
from chengxin.publicity import hooks, stats
from chengxin.publicity.choices import RecordKind
from chengxin.publicity.export import ExportForm, export_response
from chengxin.publicity.models import DecisionRecord, LicenseRecord, PenaltyRecord

CHART_MONTHS = 12
LATE_LIST_LIMIT = 50


@dataclass(frozen=True)
class KindFigures:
    """Month-to-date and year-to-date counts of one kind of record."""

    month: stats.TimelinessCounts
    year: stats.TimelinessCounts


@dataclass(frozen=True)
class DepartmentRow:
    """One department's line in the district table."""

    department: Department
    licenses: KindFigures
    penalties: KindFigures
    quality: stats.DataQuality

    @property
    def year(self) -> stats.TimelinessCounts:
        return self.licenses.year + self.penalties.year


@dataclass(frozen=True)
class LateRow:
    kind: str
    decision_number: str
    subject_name: str
    decision_date: datetime.date
    deadline: datetime.date
    submitted_on: datetime.date | None


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


def _sources(
    user: User,
) -> tuple[QuerySet[LicenseRecord], QuerySet[PenaltyRecord], QuerySet[Any]]:
    return (
        LicenseRecord.objects.restrict(user, VIEW),
        PenaltyRecord.objects.restrict(user, VIEW),
        hooks.import_batches(user),  # for data quality: from the imports app
    )


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """District-wide for the credit office; a reporter goes to their department's page."""
    user = _user(request)
    scope = scope_for(user, VIEW, LicenseRecord)
    if scope is Scope.DEPARTMENT and user.department_id is not None:
        return redirect("publicity_timeliness:department", pk=user.department_id)
    if scope is not Scope.ALL:
        raise PermissionDenied
    today = timezone.localdate()
    month, year = stats.Period.month_of(today), stats.Period.year_of(today)
    licenses, penalties, batches = _sources(user)
    rows = _department_rows(licenses, penalties, batches, month, year)
    context = {
        "today": today,
        "rows": rows,
        "totals": _totals(rows),
        "can_export": can(user, EXPORT, LicenseRecord),
    } | _charts(licenses, penalties, today)
    return render(request, "publicity/dashboard.html", context)


def _department_rows(
    licenses: QuerySet[LicenseRecord],
    penalties: QuerySet[PenaltyRecord],
    batches: QuerySet[Any],
    month: stats.Period,
    year: stats.Period,
) -> list[DepartmentRow]:
    by_department = {
        key: stats.timeliness_counts_by_department(records, period)
        for key, records, period in (
            ("license_month", licenses, month),
            ("license_year", licenses, year),
            ("penalty_month", penalties, month),
            ("penalty_year", penalties, year),
        )
    }
    quality = stats.data_quality_by_department(batches, year)
    empty = stats.TimelinessCounts()

    def figures(pk: int, kind: str) -> KindFigures:
        return KindFigures(
            by_department[f"{kind}_month"].get(pk, empty),
            by_department[f"{kind}_year"].get(pk, empty),
        )

    # Inactive departments only while they still have figures in the year.
    reported = set(quality).union(*(counts.keys() for counts in by_department.values()))
    return [
        DepartmentRow(
            department,
            figures(department.pk, "license"),
            figures(department.pk, "penalty"),
            quality.get(department.pk, stats.DataQuality()),
        )
        for department in Department.objects.order_by("name")
        if department.is_active or department.pk in reported
    ]


def _totals(rows: list[DepartmentRow]) -> dict[str, Any]:
    empty = stats.TimelinessCounts()
    return {
        "license_month": sum((row.licenses.month for row in rows), empty),
        "license_year": sum((row.licenses.year for row in rows), empty),
        "penalty_month": sum((row.penalties.month for row in rows), empty),
        "penalty_year": sum((row.penalties.year for row in rows), empty),
        "year": sum((row.year for row in rows), empty),
        "quality": sum((row.quality for row in rows), stats.DataQuality()),
    }


@login_required
@require_safe
def department_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """One department's timeliness, data quality and late records."""
    user = _user(request)
    department = get_object_or_404(Department, pk=pk)
    scope = scope_for(user, VIEW, LicenseRecord)
    if not (scope is Scope.ALL or (scope is Scope.DEPARTMENT and user.department_id == pk)):
        raise PermissionDenied
    today = timezone.localdate()
    month, year = stats.Period.month_of(today), stats.Period.year_of(today)
    all_licenses, all_penalties, all_batches = _sources(user)
    licenses = all_licenses.filter(department=department)
    penalties = all_penalties.filter(department=department)
    batches = all_batches.filter(department=department)
    license_figures = KindFigures(
        stats.timeliness_counts(licenses, month), stats.timeliness_counts(licenses, year)
    )
    penalty_figures = KindFigures(
        stats.timeliness_counts(penalties, month), stats.timeliness_counts(penalties, year)
    )
    context = {
        "today": today,
        "department": department,
        "licenses": license_figures,
        "penalties": penalty_figures,
        "month_total": license_figures.month + penalty_figures.month,
        "year_total": license_figures.year + penalty_figures.year,
        "quality_month": stats.data_quality(batches, month),
        "quality_year": stats.data_quality(batches, year),
        "late_rows": _late_rows(licenses, penalties, year),
        "is_district": scope is Scope.ALL,
        "can_export": can(user, EXPORT, LicenseRecord),
    } | _charts(licenses, penalties, today)
    return render(request, "publicity/department_dashboard.html", context)


def _late_rows(
    licenses: QuerySet[LicenseRecord], penalties: QuerySet[PenaltyRecord], period: stats.Period
) -> list[LateRow]:
    """The latest late records of both kinds, newest decision first."""
    records: list[DecisionRecord] = [
        *stats.late_records(licenses, period, limit=LATE_LIST_LIMIT),
        *stats.late_records(penalties, period, limit=LATE_LIST_LIMIT),
    ]
    records.sort(key=lambda record: (record.decision_date, record.pk), reverse=True)
    return [
        LateRow(
            kind=str(RecordKind(record.kind).label),
            decision_number=record.decision_number,
            subject_name=record.subject_name,
            decision_date=record.decision_date,
            deadline=record.deadline,
            submitted_on=timezone.localdate(record.submitted_at) if record.submitted_at else None,
        )
        for record in records[:LATE_LIST_LIMIT]
    ]


def _charts(
    licenses: QuerySet[LicenseRecord], penalties: QuerySet[PenaltyRecord], today: datetime.date
) -> dict[str, Any]:
    """The last 12 months: the table behind the charts, and the charts' JSON (for charts.js)."""
    license_months = stats.monthly_counts(licenses, months=CHART_MONTHS, until=today)
    penalty_months = stats.monthly_counts(penalties, months=CHART_MONTHS, until=today)
    both = stats.add_monthly(license_months, penalty_months)
    months = [
        {"month": f"{a.month:%Y-%m}", "licenses": a.counts, "penalties": b.counts, "both": c.counts}
        for a, b, c in zip(license_months, penalty_months, both, strict=True)
    ]
    rates = [item.counts.on_time_rate for item in both]
    chart_data = {
        "months": [item["month"] for item in months],
        "licenses": [item.counts.total for item in license_months],
        "penalties": [item.counts.total for item in penalty_months],
        "onTimeRate": [float(rate) if rate is not None else None for rate in rates],
        "labels": {
            "licenses": _("行政许可"),
            "penalties": _("行政处罚"),
            "onTimeRate": _("按时率（%）"),
            "records": _("记录数"),
        },
    }
    return {"months": months, "chart_data": chart_data}


@login_required
@require_safe
def export(request: HttpRequest) -> HttpResponseBase:
    """The export form; with `format` (csv, xlsx, json) in the query, the download itself."""
    user = _user(request)
    if not can(user, EXPORT, LicenseRecord) and not can(user, EXPORT, PenaltyRecord):
        raise PermissionDenied
    if "format" not in request.GET:  # the form, perhaps pre-filled from a dashboard's link
        initial = {
            key: value for key, value in request.GET.items() if key in ExportForm.base_fields
        }
        return render(request, "publicity/export.html", {"form": ExportForm(initial=initial)})
    form = ExportForm(request.GET)
    if form.is_valid() and form.cleaned_data.get("format"):
        return export_response(form.filters(), form.cleaned_data["format"], actor=user)
    return render(request, "publicity/export.html", {"form": form}, status=400)
