"""The open statistics page (公开统计) and its CSV downloads; no login.

The page and the CSV files show the same `Table`s, built from the cached figures of
`portal.statistics`: a download never queries the records either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_safe

from chengxin.core import spreadsheets
from chengxin.portal import statistics
from chengxin.portal.cache import cached_page

Cell = str | int | Decimal | None  # None: nothing to compute (shown as "—", empty in CSV)
# Public figures, no personal data.
STATISTICS_EXPORT = spreadsheets.Export("portal.statistics", _l("公开统计"))


@dataclass(frozen=True)
class Table:
    """One table of figures; the first cell of each row names the row."""

    name: str  # the CSV's ?table= value
    caption: str
    header: list[str]
    rows: list[list[Cell]]
    footer: list[Cell] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """A part of the page: a heading, its charts (drawn by JS) and the table behind them."""

    title: str
    table: Table
    charts: list[tuple[str, str]]  # (data-chart, description for screen readers)
    note: str = ""


def _category(value: str) -> str:
    return value or _("未注明")


def months_table(figures: statistics.Statistics) -> Table:
    return Table(
        name="months",
        caption=_("近 12 个月每月公示的记录数及按时率（按决定日期）"),
        header=[
            _("月份"),
            _("行政许可"),
            _("行政处罚"),
            _("按时"),
            _("超时"),
            _("暂定"),
            _("按时率（%）"),
        ],
        rows=[
            [
                row.month,
                row.licenses.total,
                row.penalties.total,
                row.both.on_time,
                row.both.late,
                row.both.provisional,
                row.both.on_time_rate,
            ]
            for row in figures.months
        ],
    )


def departments_table(figures: statistics.Statistics) -> Table:
    rows = figures.departments
    return Table(
        name="departments",
        caption=_("%(year)s 年各单位公示的记录数") % {"year": figures.year},
        header=[_("单位"), _("行政许可"), _("行政处罚"), _("合计")],
        rows=[[row.name, row.licenses, row.penalties, row.total] for row in rows],
        footer=[
            _("合计"),
            sum(row.licenses for row in rows),
            sum(row.penalties for row in rows),
            sum(row.total for row in rows),
        ],
    )


def license_categories_table(figures: statistics.Statistics) -> Table:
    return Table(
        name="license_categories",
        caption=_("%(year)s 年按许可类别的行政许可数") % {"year": figures.year},
        header=[_("许可类别"), _("行政许可")],
        rows=[[_category(row.category), row.count] for row in figures.license_categories],
    )


def penalty_categories_table(figures: statistics.Statistics) -> Table:
    return Table(
        name="penalty_categories",
        caption=_("%(year)s 年按处罚类别的行政处罚数") % {"year": figures.year},
        header=[_("处罚类别"), _("行政处罚")],
        rows=[[_category(row.category), row.count] for row in figures.penalty_categories],
    )


TABLES = {
    "months": months_table,
    "departments": departments_table,
    "license_categories": license_categories_table,
    "penalty_categories": penalty_categories_table,
}


def sections(figures: statistics.Statistics) -> list[Section]:
    return [
        Section(
            _("近 12 个月"),
            months_table(figures),
            [
                ("records", _("每月公示的记录数柱状图（行政许可、行政处罚），数据见下表")),
                ("on-time-rate", _("每月按时率折线图，数据见下表")),
            ],
            _("按时率 = 按时 ÷（按时 + 超时）；“暂定”不计入；没有可计算数据的月份显示“—”。"),
        ),
        Section(
            _("%(year)s 年各单位") % {"year": figures.year},
            departments_table(figures),
            [("departments", _("各单位公示的记录数条形图，数据见下表"))],
        ),
        Section(
            _("%(year)s 年行政许可类别") % {"year": figures.year},
            license_categories_table(figures),
            [("license-categories", _("按许可类别的行政许可数条形图，数据见下表"))],
        ),
        Section(
            _("%(year)s 年行政处罚类别") % {"year": figures.year},
            penalty_categories_table(figures),
            [("penalty-categories", _("按处罚类别的行政处罚数条形图，数据见下表"))],
            _("一项处罚决定有多个处罚类别的，在每个类别中各计一次，各类别之和可能大于决定数。"),
        ),
    ]


def chart_data(figures: statistics.Statistics) -> dict[str, Any]:
    """The JSON for publicity/charts.js (the monthly charts, same keys as the staff dashboards)
    and for portal/statistics.js (departments and categories)."""
    rates = [row.both.on_time_rate for row in figures.months]
    return {
        "months": [row.month for row in figures.months],
        "licenses": [row.licenses.total for row in figures.months],
        "penalties": [row.penalties.total for row in figures.months],
        "onTimeRate": [float(rate) if rate is not None else None for rate in rates],
        "departments": {
            "names": [row.short_name or row.name for row in figures.departments],
            "licenses": [row.licenses for row in figures.departments],
            "penalties": [row.penalties for row in figures.departments],
        },
        "licenseCategories": {
            "names": [_category(row.category) for row in figures.license_categories],
            "counts": [row.count for row in figures.license_categories],
        },
        "penaltyCategories": {
            "names": [_category(row.category) for row in figures.penalty_categories],
            "counts": [row.count for row in figures.penalty_categories],
        },
        "labels": {
            "licenses": _("行政许可"),
            "penalties": _("行政处罚"),
            "onTimeRate": _("按时率（%）"),
            "records": _("记录数"),
        },
    }


@require_safe
def page(request: HttpRequest) -> HttpResponse:
    def render_page(extra: dict[str, object]) -> HttpResponse:
        figures = statistics.current()
        context = {
            "figures": figures,
            "sections": sections(figures),
            "chart_data": chart_data(figures),
            **extra,
        }
        return render(request, "portal/statistics.html", context)

    return cached_page(request, "statistics", render_page)


@require_safe
def download(request: HttpRequest) -> FileResponse:
    """One table as CSV: UTF-8 with a byte-order mark (for Excel), through core.spreadsheets."""
    make_table = TABLES.get(request.GET.get("table", ""))
    if make_table is None:
        raise Http404
    figures = statistics.current()
    table = make_table(figures)
    rows = [*table.rows, *([table.footer] if table.footer else [])]
    return spreadsheets.download(
        STATISTICS_EXPORT,
        spreadsheets.CSV,
        spreadsheets.Sheet(table.header, rows),
        filename=f"statistics-{table.name}-{figures.as_of.isoformat()}",
    )
