"""The open statistics (公开统计): figures on published 双公示 records, for everyone.

What counts:

- Published records only (status PUBLISHED), whether or not their publicity period has ended:
  the page is a history of what was published, and a count shows nothing of any one record.
  Drafts, records awaiting publication and withdrawn records (撤回) are never counted.
- A record belongs to the month and year of its decision date, as in the staff statistics.
- Monthly series: the last 12 months up to today, empty months included.
- Departments and categories: the current year up to today. A department appears once it has
  a published record in the year.
- Penalty categories: a decision with two categories (e.g. "警告;罚款") counts in both, so the
  category counts add up to more than the number of decisions.
- On-time rate = on time / (on time + late); provisional verdicts count as neither
  (see `publicity.stats`).

The figures are computed with `publicity.stats` where it fits, one aggregate query each, and
cached for ten minutes: the page costs the same whatever the number of records.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import cast

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from chengxin.accounts.models import Department
from chengxin.publicity import standard, stats
from chengxin.publicity.models import LicenseRecord, PenaltyRecord, RecordQuerySet

MONTHS = 12
CACHE_SECONDS = 600
# Bump the version when the dataclasses below change: the cache holds pickled instances.
CACHE_KEY = "portal:statistics:v1:{day}"


@dataclass(frozen=True)
class MonthRow:
    """One month of the series: its records of each kind and their verdicts."""

    month: str  # "YYYY-MM"
    licenses: stats.TimelinessCounts
    penalties: stats.TimelinessCounts

    @property
    def both(self) -> stats.TimelinessCounts:
        return self.licenses + self.penalties


@dataclass(frozen=True)
class DepartmentRow:
    """A department's published records decided in the year."""

    name: str
    short_name: str
    licenses: int
    penalties: int

    @property
    def total(self) -> int:
        return self.licenses + self.penalties


@dataclass(frozen=True)
class CategoryRow:
    """How many published decisions of the year have this category ("" when none is given)."""

    category: str
    count: int


@dataclass(frozen=True)
class Statistics:
    as_of: datetime.date
    months: list[MonthRow]
    departments: list[DepartmentRow]
    license_categories: list[CategoryRow]
    penalty_categories: list[CategoryRow]

    @property
    def year(self) -> int:
        return self.as_of.year


def current() -> Statistics:
    """Today's figures, computed at most every ten minutes."""
    today = timezone.localdate()
    key = CACHE_KEY.format(day=today.isoformat())
    return cast(Statistics, cache.get_or_set(key, lambda: compute(today), CACHE_SECONDS))


def compute(today: datetime.date) -> Statistics:
    """The figures as of `today` (seven queries, whatever the number of records)."""
    licenses, penalties = LicenseRecord.objects.published(), PenaltyRecord.objects.published()
    year = stats.Period.year_of(today)
    return Statistics(
        as_of=today,
        months=monthly(licenses, penalties, today),
        departments=by_department(licenses, penalties, year),
        license_categories=license_categories(licenses, year),
        penalty_categories=penalty_categories(penalties, year),
    )


def monthly(
    licenses: RecordQuerySet, penalties: RecordQuerySet, today: datetime.date
) -> list[MonthRow]:
    """The last `MONTHS` months, oldest first (one query per kind)."""
    license_months = stats.monthly_counts(licenses, months=MONTHS, until=today)
    penalty_months = stats.monthly_counts(penalties, months=MONTHS, until=today)
    return [
        MonthRow(f"{a.month:%Y-%m}", a.counts, b.counts)
        for a, b in zip(license_months, penalty_months, strict=True)
    ]


def by_department(
    licenses: RecordQuerySet, penalties: RecordQuerySet, period: stats.Period
) -> list[DepartmentRow]:
    """Departments with records in `period`, most records first (one query per kind, one for
    the departments' names)."""
    license_counts = stats.timeliness_counts_by_department(licenses, period)
    penalty_counts = stats.timeliness_counts_by_department(penalties, period)
    ids = license_counts.keys() | penalty_counts.keys()
    empty = stats.TimelinessCounts()
    rows = [
        DepartmentRow(
            name=name,
            short_name=short_name,
            licenses=license_counts.get(pk, empty).total,
            penalties=penalty_counts.get(pk, empty).total,
        )
        for pk, name, short_name in Department.objects.filter(pk__in=ids).values_list(
            "pk", "name", "short_name"
        )
    ]
    return sorted(rows, key=lambda row: (-row.total, row.name))


def license_categories(licenses: RecordQuerySet, period: stats.Period) -> list[CategoryRow]:
    """Licences of `period` per 许可类别 (one grouped query)."""
    rows = (
        _decided_in(licenses, period)
        .values("license_category")
        .annotate(count=Count("pk"))
        .values_list("license_category", "count")
    )
    return _category_rows(Counter(dict(rows)))


def penalty_categories(penalties: RecordQuerySet, period: stats.Period) -> list[CategoryRow]:
    """Penalties of `period` per 处罚类别; a decision counts once in each of its categories.

    One query grouped by the stored text: the split runs over the distinct texts (a few dozen
    combinations of the categories in law), not over the records.
    """
    rows = (
        _decided_in(penalties, period)
        .values("penalty_categories")
        .annotate(count=Count("pk"))
        .values_list("penalty_categories", "count")
    )
    counts: Counter[str] = Counter()
    for text, count in rows:
        # dict.fromkeys: a category written twice in one decision still counts once.
        for category in dict.fromkeys(standard.split_categories(text)) or [""]:
            counts[category] += count
    return _category_rows(counts)


def _decided_in(records: RecordQuerySet, period: stats.Period) -> RecordQuerySet:
    # order_by(): the model's default ordering would otherwise join the GROUP BY.
    return records.decided_between(period.start, period.end).order_by()


def _category_rows(counts: Counter[str]) -> list[CategoryRow]:
    """Most frequent first; categories left blank last."""
    ordered = sorted(counts.items(), key=lambda item: (item[0] == "", -item[1], item[0]))
    return [CategoryRow(category, count) for category, count in ordered if count]
