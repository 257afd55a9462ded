"""What a module contributes to the annual rule-of-law report.

Each app that has figures for the report has an `annual.py` with

    def sections(year: int, department: Department | None = None) -> list[Section]

computing every figure from its own data for the calendar year `year` (usually one section; the
disputes app gives two). The report shows the chapters of `REPORT_SECTIONS` in order; a chapter
that no installed app provides (a module that has not landed) is shown as 无数据, never as zero.
With `department`, a provider counts that department's own rows only (`of_department`), and its
links carry `department_query` so each list shows the same rows (a department's own report,
docs/adr/0025); a provider without the argument leaves that department's chapters 无数据.

A figure whose data does not exist (`value=None`) is shown as 无数据 too; a count of nothing
that exists is 0. `chengxin/reports/collect.py` finds the providers, docs/adr/0013 explains.

A figure may carry its `Definition` (numerator, denominator, period): the report prints it in the
appendix of definitions. Providers that give none fall back to `reports.definitions` (docs/adr/0025).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Number = int | float | Decimal
QuerySetT = TypeVar("QuerySetT", bound=QuerySet[Any])

NO_DATA = _("无数据")


@dataclass(frozen=True)
class Definition:
    """How a figure is counted, as the report's appendix states it: what is counted (the
    numerator, or the count itself), what it is divided by (rates only) and over which period."""

    numerator: str | Promise
    denominator: str | Promise = ""
    period: str | Promise = ""


def format_number(value: Number) -> str:
    """A value as an official document prints it: 30907, 71.4, 100 (no group separators; rates
    and averages to one decimal, a whole number without it: 100%, not 100.0%)."""
    if isinstance(value, bool | int):
        return str(int(value))
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return str(int(rounded))
    return f"{rounded}"


@dataclass(frozen=True)
class Figure:
    """One figure of the report, e.g. 执法主体 39 个, with the staff list it was counted from."""

    key: str  # stable, e.g. "agencies.bodies_confirmed"
    label: str | Promise
    value: Number | None  # None: the data needed for this figure does not exist (无数据)
    unit: str | Promise = ""
    url: str = ""  # the list behind the figure (a staff page filtered to the year)
    note: str | Promise = ""  # for staff (the editing page); never printed in the report
    definition: Definition | None = None  # None: reports.definitions has it

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def text(self) -> str:
        """The value as printed: 1474 / 96.5 / 无数据 (the unit apart)."""
        if self.value is None:
            return str(NO_DATA)
        return format_number(self.value)

    @property
    def text_with_unit(self) -> str:
        """1474条 / 71.4% / 无数据: no space between a number and its unit."""
        if self.value is None:
            return str(NO_DATA)
        return f"{self.text}{self.unit}"


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


# --- helpers for providers ------------------------------------------------------------------


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """1 January and 31 December of `year`."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def of_department(queryset: QuerySetT, department: Any = None) -> QuerySetT:
    """`queryset`'s rows of `department` (by the model's `department_field`), or all of them when
    `department` is None: the filter a provider applies for one department's own report."""
    if department is None:
        return queryset
    field = getattr(queryset.model, "department_field", None) or "department"
    return queryset.filter(**{field: department})


def department_query(department: Any = None) -> dict[str, object]:
    """The query parameter that limits a staff list to `department` ({} for the district)."""
    return {} if department is None else {"department": department.pk}


def list_url(url_name: str, *args: object, **query: object) -> str:
    """The staff list `url_name` with a query string (empty values left out), e.g.
    list_url("publicity:list", "penalties", decided_from="2026-01-01")."""
    path = reverse(url_name, args=args)
    params = {key: str(value) for key, value in query.items() if value not in (None, "")}
    return f"{path}?{urlencode(params)}" if params else path
