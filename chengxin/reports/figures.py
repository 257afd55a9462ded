"""What a module contributes to the annual rule-of-law report.

Each app that has figures for the report has an `annual.py` with

    def sections(year: int) -> list[Section]

computing every figure from its own data for the calendar year `year` (usually one section; the
disputes app gives two). The report shows the chapters of `REPORT_SECTIONS` in order; a chapter
that no installed app provides (a module that has not landed) is shown as 无数据, never as zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Number = int | float | Decimal


@dataclass(frozen=True)
class Figure:
    """One figure of the report, e.g. 执法主体 39 个, with the staff list it was counted from."""

    key: str  # stable, e.g. "agencies.bodies_confirmed"
    label: str | Promise
    value: Number | None  # None: the data needed for this figure does not exist (无数据)
    unit: str | Promise = ""
    url: str = ""  # the list behind the figure (a staff page filtered to the year)
    note: str | Promise = ""


@dataclass(frozen=True)
class Chart:
    """A series drawn in the report (bar chart unless `kind` says otherwise)."""

    key: str
    title: str | Promise
    labels: tuple[str, ...]
    values: tuple[Number, ...]
    kind: str = "bar"  # "bar" or "pie"


@dataclass(frozen=True)
class Section:
    key: str  # a key of REPORT_SECTIONS
    title: str | Promise
    figures: tuple[Figure, ...] = ()
    charts: tuple[Chart, ...] = ()
    is_available: bool = True  # False: the module has not landed (无数据)
    notes: tuple[str | Promise, ...] = field(default=())


# The report's chapters, in order: (section key, title).
REPORT_SECTIONS: tuple[tuple[str, str | Promise], ...] = (
    ("agencies", _("执法主体与执法人员")),
    ("powers", _("行政权力清单")),
    ("cases", _("行政执法案件")),
    ("publicity", _("“双公示”信息")),
    ("screening", _("联合奖惩")),
    ("repair", _("信用修复")),
    ("documents", _("规范性文件")),
    ("decisions", _("重大行政决策")),
    ("disputes", _("行政复议、应诉与调解")),
    ("capacity", _("法治能力建设")),
)
