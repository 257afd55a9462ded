"""双公示 figures of the annual rule-of-law report (chengxin/reports).

For the calendar year, from the same computations as the timeliness dashboard (`stats`):

- 上传行政许可/行政处罚信息: records reported (submitted, so not drafts; published or withdrawn
  since) whose decision date falls in the year — the seed's "上传行政许可信息30907条".
- 按时公示率: on time ÷ (on time + late), 7 working days from the decision
  (发改办财金〔2018〕424号); provisional verdicts count as neither and are stated apart.
- 报送上级平台: exports for the upper platform in the year (each one a SENSITIVE_READ entry of
  the audit chain, `export._audit`), and the rows they carried.

District-wide whoever looks: the report is the district's, not a department's view; with
`department`, that department's own records (its own annual report, docs/adr/0025). The exports
are the district's (an export is not one department's), so a department's report leaves them out.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.models import Department
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.publicity import stats
from chengxin.publicity.choices import Timeliness
from chengxin.publicity.models import LicenseRecord, PenaltyRecord
from chengxin.reports.figures import (
    Chart,
    Figure,
    Section,
    department_query,
    list_url,
    of_department,
    year_bounds,
)

EXPORT_OBJECT_TYPE = "publicity.export"  # export._audit
TOP_DEPARTMENTS = 10


def sections(year: int, department: Department | None = None) -> list[Section]:
    start, end = year_bounds(year)
    period = stats.Period(start, end)
    license_rows = of_department(LicenseRecord.objects.all(), department)
    penalty_rows = of_department(PenaltyRecord.objects.all(), department)
    licenses = stats.timeliness_counts(license_rows, period)
    penalties = stats.timeliness_counts(penalty_rows, period)
    both = licenses + penalties
    dates = {
        "decided_from": start.isoformat(),
        "decided_to": end.isoformat(),
        **department_query(department),
    }
    # The timeliness dashboard is the district's: a department's figures link to no page there.
    dashboard = _dashboard_url() if department is None else ""
    figures: tuple[Figure, ...] = (
        Figure(
            "publicity.licenses",
            _("上传行政许可信息"),
            licenses.total,
            _("条"),
            list_url("publicity:list", "licenses", **dates),
            _("决定日期在本年度、已提交的记录（不含草稿）"),
        ),
        Figure(
            "publicity.penalties",
            _("上传行政处罚信息"),
            penalties.total,
            _("条"),
            list_url("publicity:list", "penalties", **dates),
            _("决定日期在本年度、已提交的记录（不含草稿）"),
        ),
        Figure("publicity.total", _("共计信用信息"), both.total, _("条"), dashboard),
        Figure(
            "publicity.on_time_rate",
            _("7 个工作日内按时公示率"),
            both.on_time_rate,
            "%",
            dashboard,
            _("按时 ÷（按时 + 超时）；暂定 %(n)s 条不计入") % {"n": both.provisional},
        ),
        Figure(
            "publicity.licenses_late",
            _("超时公示的行政许可信息"),
            licenses.late,
            _("条"),
            list_url("publicity:list", "licenses", timeliness=Timeliness.LATE, **dates),
        ),
        Figure(
            "publicity.penalties_late",
            _("超时公示的行政处罚信息"),
            penalties.late,
            _("条"),
            list_url("publicity:list", "penalties", timeliness=Timeliness.LATE, **dates),
        ),
    )
    if department is not None:
        # A department's own report: the exports are the district's, not its own.
        charts: tuple[Chart, ...] = (_monthly_chart(year, license_rows, penalty_rows),)
        return [Section("publicity", _("“双公示”信息"), figures, charts)]
    exports, exported_rows = _exports(year)
    audit_url = list_url(
        "admin:audit_auditentry_changelist", object_type=EXPORT_OBJECT_TYPE, created_at__year=year
    )
    figures = (
        *figures,
        Figure("publicity.exports", _("向上级平台报送（导出）"), exports, _("次"), audit_url),
        Figure(
            "publicity.exported_rows", _("报送上级平台的信息"), exported_rows, _("条"), audit_url
        ),
    )
    charts = (_monthly_chart(year, license_rows, penalty_rows), _department_chart(period))
    return [Section("publicity", _("“双公示”信息"), figures, charts)]


def _dashboard_url() -> str:
    return list_url("publicity_timeliness:dashboard")


def _exports(year: int) -> tuple[int, int]:
    """Exports for the upper platform in `year` and the rows they carried (one query)."""
    entries: QuerySet[AuditEntry] = AuditEntry.objects.filter(
        action=AuditAction.SENSITIVE_READ, object_type=EXPORT_OBJECT_TYPE, created_at__year=year
    )
    payloads = list(entries.values_list("after", flat=True))
    rows = sum(int((after or {}).get("count") or 0) for after in payloads)
    return len(payloads), rows


def _monthly_chart(
    year: int, licenses: QuerySet[LicenseRecord], penalties: QuerySet[PenaltyRecord]
) -> Chart:
    _start, end = year_bounds(year)
    months = stats.add_monthly(
        stats.monthly_counts(licenses, months=12, until=end),
        stats.monthly_counts(penalties, months=12, until=end),
    )
    return Chart(
        "publicity.by_month",
        _("各月上传的行政许可、行政处罚信息（条）"),
        tuple(gettext("%(month)s月") % {"month": item.month.month} for item in months),
        tuple(item.counts.total for item in months),
    )


def _department_chart(period: stats.Period) -> Chart:
    counts = stats.timeliness_counts_by_department(LicenseRecord.objects.all(), period)
    for pk, more in stats.timeliness_counts_by_department(
        PenaltyRecord.objects.all(), period
    ).items():
        counts[pk] = counts.get(pk, stats.TimelinessCounts()) + more
    names = {
        pk: short or name
        for pk, short, name in Department.objects.filter(pk__in=counts).values_list(
            "pk", "short_name", "name"
        )
    }
    top = sorted(counts.items(), key=lambda item: (-item[1].total, names.get(item[0], "")))
    top = top[:TOP_DEPARTMENTS]
    return Chart(
        "publicity.by_department",
        _("上传信息最多的单位（条）"),
        tuple(names.get(pk, "") for pk, _counts in top),
        tuple(item.total for _pk, item in top),
    )
