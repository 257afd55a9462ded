"""Timeliness and data-quality figures of 双公示 reporting, per department and district-wide.

Every function takes a queryset the caller has already restricted (`restrict(user, "view")`)
and returns plain values; each figure costs one aggregate query whatever the number of records.

- A record counts once it is reported: drafts are not reported yet and have no verdict.
- Its period is that of its decision date (the 7 working days run from it).
- On-time rate = on time / (on time + late). Provisional verdicts (the deadline falls in a year
  whose holidays are not entered yet, see `Timeliness`) are shown apart and count as neither.
- Rejected-row rate = rows rejected / rows read over the department's finished, non-dry-run
  import batches started in the period: what a department actually sent, not its trial runs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from chengxin.publicity.choices import RecordStatus, Timeliness

REPORTED = ~Q(status=RecordStatus.DRAFT)
"""The records that were submitted (and perhaps published or withdrawn since)."""


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in per cent, to one decimal; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Period:
    """A range of days, both ends included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def month_of(cls, day: datetime.date) -> Period:
        """From the first of `day`'s month to `day` (month to date)."""
        return cls(day.replace(day=1), day)

    @classmethod
    def year_of(cls, day: datetime.date) -> Period:
        """From 1 January of `day`'s year to `day` (year to date)."""
        return cls(day.replace(month=1, day=1), day)

    def first_datetime(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    def after_datetime(self) -> datetime.datetime:
        """The first moment after the period (an exclusive bound for timestamps)."""
        next_day = self.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time.min))


@dataclass(frozen=True)
class TimelinessCounts:
    """How many records were reported, and their verdicts."""

    total: int = 0
    on_time: int = 0
    late: int = 0
    provisional: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.on_time + self.late)

    def __add__(self, other: TimelinessCounts) -> TimelinessCounts:
        return TimelinessCounts(
            self.total + other.total,
            self.on_time + other.on_time,
            self.late + other.late,
            self.provisional + other.provisional,
        )


@dataclass(frozen=True)
class DataQuality:
    """Rows read and rejected by a department's imports."""

    rows_read: int = 0
    rows_rejected: int = 0

    @property
    def rejected_rate(self) -> Decimal | None:
        return percent(self.rows_rejected, self.rows_read)

    def __add__(self, other: DataQuality) -> DataQuality:
        return DataQuality(
            self.rows_read + other.rows_read, self.rows_rejected + other.rows_rejected
        )


@dataclass(frozen=True)
class MonthFigures:
    """One month of one kind of record (or of both, added up)."""

    month: datetime.date  # its first day
    counts: TimelinessCounts


def _verdict_aggregates() -> dict[str, Count]:
    return {
        "total": Count("pk"),
        "on_time": Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
        "late": Count("pk", filter=Q(timeliness=Timeliness.LATE)),
        "provisional": Count("pk", filter=Q(timeliness=Timeliness.PROVISIONAL)),
    }


def _counts(values: dict[str, Any]) -> TimelinessCounts:
    return TimelinessCounts(
        total=values["total"] or 0,
        on_time=values["on_time"] or 0,
        late=values["late"] or 0,
        provisional=values["provisional"] or 0,
    )


def _reported_in(records: QuerySet[Any], period: Period) -> QuerySet[Any]:
    return records.filter(REPORTED, decision_date__gte=period.start, decision_date__lte=period.end)


def timeliness_counts(records: QuerySet[Any], period: Period) -> TimelinessCounts:
    """The reported records decided in `period` and their verdicts (one query)."""
    return _counts(_reported_in(records, period).aggregate(**_verdict_aggregates()))


def timeliness_counts_by_department(
    records: QuerySet[Any], period: Period
) -> dict[int, TimelinessCounts]:
    """`timeliness_counts` per department id (one grouped query); departments without any
    record in the period are absent."""
    rows = (
        _reported_in(records, period)
        .order_by()
        .values("department_id")
        .annotate(**_verdict_aggregates())
    )
    return {row["department_id"]: _counts(row) for row in rows}


def monthly_counts(
    records: QuerySet[Any], *, months: int, until: datetime.date
) -> list[MonthFigures]:
    """The last `months` months up to `until`'s, oldest first, empty months included (one query)."""
    first = _months_back(until.replace(day=1), months - 1)
    rows = (
        _reported_in(records, Period(first, until))
        .order_by()
        .annotate(month=TruncMonth("decision_date"))
        .values("month")
        .annotate(**_verdict_aggregates())
    )
    found = {_as_date(row["month"]): _counts(row) for row in rows}
    return [
        MonthFigures(month, found.get(month, TimelinessCounts()))
        for month in (
            _months_back(until.replace(day=1), back) for back in range(months - 1, -1, -1)
        )
    ]


def add_monthly(*series: list[MonthFigures]) -> list[MonthFigures]:
    """Month-by-month sums of series covering the same months (e.g. licences + penalties)."""
    return [
        MonthFigures(
            figures[0].month,
            sum((item.counts for item in figures[1:]), figures[0].counts),
        )
        for figures in zip(*series, strict=True)
    ]


def late_records(records: QuerySet[Any], period: Period, *, limit: int) -> list[Any]:
    """The latest `limit` records decided in `period` that went online after their deadline."""
    late = _reported_in(records, period).filter(timeliness=Timeliness.LATE)
    fields = ("pk", "decision_number", "subject_name", "decision_date", "deadline", "submitted_at")
    return list(late.order_by("-decision_date", "-pk").only(*fields)[:limit])


def _batches_in(batches: QuerySet[Any], period: Period) -> QuerySet[Any]:
    """`batches` (those that count: `hooks.import_batches`) started in `period`."""
    return batches.filter(
        created_at__gte=period.first_datetime(), created_at__lt=period.after_datetime()
    )


def data_quality(batches: QuerySet[Any], period: Period) -> DataQuality:
    """Rows read and rejected by the import batches started in `period` (one query)."""
    totals = _batches_in(batches, period).aggregate(
        read=Sum("rows_read"), rejected=Sum("rows_rejected")
    )
    return DataQuality(totals["read"] or 0, totals["rejected"] or 0)


def data_quality_by_department(batches: QuerySet[Any], period: Period) -> dict[int, DataQuality]:
    """`data_quality` per department id (one grouped query)."""
    rows = (
        _batches_in(batches, period)
        .order_by()
        .values("department_id")
        .annotate(read=Sum("rows_read"), rejected=Sum("rows_rejected"))
    )
    return {
        row["department_id"]: DataQuality(row["read"] or 0, row["rejected"] or 0) for row in rows
    }


def _months_back(first_of_month: datetime.date, months: int) -> datetime.date:
    index = first_of_month.year * 12 + first_of_month.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    # TruncMonth of a DateField is a date on every backend; a datetime would be a backend quirk.
    return value.date() if isinstance(value, datetime.datetime) else value
