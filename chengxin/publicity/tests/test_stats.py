"""Timeliness and data-quality figures (stats.py), computed from records with known verdicts."""

from __future__ import annotations

import datetime
import itertools
import random
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department
from chengxin.imports.choices import BatchSource, BatchStatus
from chengxin.imports.models import ImportBatch
from chengxin.publicity import hooks, samples, stats
from chengxin.publicity.choices import RecordKind, RecordStatus, Timeliness
from chengxin.publicity.importing import RecordImporter
from chengxin.publicity.models import DecisionRecord, LicenseRecord, PenaltyRecord

pytestmark = pytest.mark.django_db

ON_TIME, LATE, PROVISIONAL = Timeliness.ON_TIME, Timeliness.LATE, Timeliness.PROVISIONAL
DAY = datetime.date(2026, 5, 20)
MAY, YEAR = stats.Period.month_of(DAY), stats.Period.year_of(DAY)
_serial = itertools.count(1)


def make_record(
    model: type[DecisionRecord],
    department: Department,
    decided: datetime.date,
    timeliness: str = ON_TIME,
    *,
    status: str = RecordStatus.PUBLISHED,
    **fields: Any,
) -> DecisionRecord:
    """A record saved straight through the ORM, with its deadline and verdict given."""
    serial = next(_serial)
    values: dict[str, Any] = {
        "department": department,
        "decision_number": f"测试〔{decided.year}〕{serial:05d}号",
        "decision_date": decided,
        "deadline": decided + datetime.timedelta(days=9),
        "content": "测试内容",
        "subject_name": f"测试主体{serial}",
        "status": status,
        "timeliness": "" if status == RecordStatus.DRAFT else timeliness,
        "submitted_at": None if status == RecordStatus.DRAFT else timezone.now(),
    }
    values.update(fields)
    record = model(**values)
    record.save()
    return record


def make_batch(department: Department, read: int, rejected: int, **fields: Any) -> ImportBatch:
    created_at = fields.pop("created_at", None)
    values: dict[str, Any] = {
        "kind": RecordKind.PENALTY,
        "department": department,
        "source": BatchSource.WEB,
        "status": BatchStatus.FINISHED,
        "rows_read": read,
        "rows_rejected": rejected,
    }
    batch = ImportBatch.objects.create(**(values | fields))
    if created_at is not None:  # auto_now_add ignores a given value
        ImportBatch.objects.filter(pk=batch.pk).update(created_at=created_at)
    return batch


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


# --- percentages and periods ----------------------------------------------------------------


def test_percent_rounds_half_up_to_one_decimal() -> None:
    assert stats.percent(2, 3) == Decimal("66.7")
    assert stats.percent(1, 8) == Decimal("12.5")
    assert stats.percent(3, 3) == Decimal("100.0")


def test_percent_of_nothing_is_none_not_zero() -> None:
    assert stats.percent(0, 0) is None


def test_periods_run_to_the_day_given() -> None:
    assert stats.Period(datetime.date(2026, 5, 1), DAY) == MAY
    assert stats.Period(datetime.date(2026, 1, 1), DAY) == YEAR


# --- timeliness -----------------------------------------------------------------------------


def test_counts_and_on_time_rate_exclude_provisional(make_department) -> None:
    department = make_department()
    for verdict in (ON_TIME, ON_TIME, ON_TIME, LATE, PROVISIONAL, PROVISIONAL):
        make_record(PenaltyRecord, department, datetime.date(2026, 5, 4), verdict)

    counts = stats.timeliness_counts(PenaltyRecord.objects.all(), MAY)

    assert counts == stats.TimelinessCounts(total=6, on_time=3, late=1, provisional=2)
    # 3 / (3 + 1), not 3 / 6: a provisional verdict is neither on time nor late.
    assert counts.on_time_rate == Decimal("75.0")


def test_only_provisional_verdicts_give_no_rate(make_department) -> None:
    department = make_department()
    make_record(LicenseRecord, department, datetime.date(2026, 5, 4), PROVISIONAL)

    counts = stats.timeliness_counts(LicenseRecord.objects.all(), MAY)

    assert counts.total == 1
    assert counts.on_time_rate is None


def test_counts_use_the_decision_date_period(make_department) -> None:
    department = make_department()
    make_record(PenaltyRecord, department, datetime.date(2026, 5, 1))  # first day: in
    make_record(PenaltyRecord, department, DAY)  # last day: in
    make_record(PenaltyRecord, department, datetime.date(2026, 4, 30), LATE)  # April
    make_record(PenaltyRecord, department, datetime.date(2025, 12, 31), LATE)  # last year
    make_record(PenaltyRecord, department, datetime.date(2026, 5, 21))  # after the day

    records = PenaltyRecord.objects.all()

    assert stats.timeliness_counts(records, MAY) == stats.TimelinessCounts(total=2, on_time=2)
    assert stats.timeliness_counts(records, YEAR) == stats.TimelinessCounts(
        total=3, on_time=2, late=1
    )


def test_drafts_are_not_counted_but_withdrawn_records_are(make_department) -> None:
    department = make_department()
    make_record(LicenseRecord, department, DAY, status=RecordStatus.DRAFT)
    make_record(LicenseRecord, department, DAY, LATE, status=RecordStatus.WITHDRAWN)
    make_record(LicenseRecord, department, DAY, ON_TIME, status=RecordStatus.SUBMITTED)

    counts = stats.timeliness_counts(LicenseRecord.objects.all(), MAY)

    assert counts == stats.TimelinessCounts(total=2, on_time=1, late=1)


def test_counts_by_department_keep_departments_apart(make_department) -> None:
    first, second, idle = make_department(), make_department(), make_department()
    make_record(PenaltyRecord, first, DAY, ON_TIME)
    make_record(PenaltyRecord, first, DAY, LATE)
    make_record(PenaltyRecord, second, DAY, PROVISIONAL)

    counts = stats.timeliness_counts_by_department(PenaltyRecord.objects.all(), MAY)

    assert counts == {
        first.pk: stats.TimelinessCounts(total=2, on_time=1, late=1),
        second.pk: stats.TimelinessCounts(total=1, provisional=1),
    }
    assert idle.pk not in counts


def test_counts_follow_the_queryset_given(make_department) -> None:
    mine, other = make_department(), make_department()
    make_record(PenaltyRecord, mine, DAY, LATE)
    make_record(PenaltyRecord, other, DAY, ON_TIME)

    counts = stats.timeliness_counts(PenaltyRecord.objects.filter(department=mine), MAY)

    assert counts == stats.TimelinessCounts(total=1, late=1)


def test_counts_match_imported_sample_records(make_department) -> None:
    department = make_department()
    importer = RecordImporter(RecordKind.PENALTY, department)
    importer.set_header(samples.header(RecordKind.PENALTY))
    rows = samples.sample_rows(
        random.Random(3),
        RecordKind.PENALTY,
        40,
        (department.name, department.credit_code),
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 5, 20),
    )
    result = importer.process(
        [(n, samples.as_cells(RecordKind.PENALTY, row)) for n, row in enumerate(rows, 2)]
    )
    assert result.created == 40

    counts = stats.timeliness_counts(PenaltyRecord.objects.all(), YEAR)

    verdicts = list(PenaltyRecord.objects.values_list("timeliness", flat=True))
    assert counts.total == 40
    assert counts.on_time == verdicts.count(ON_TIME)
    assert counts.late == verdicts.count(LATE)
    assert counts.provisional == verdicts.count(PROVISIONAL)
    assert counts.late > 0  # imported long after most of the decisions


# --- months ---------------------------------------------------------------------------------


def test_monthly_counts_cover_twelve_months_oldest_first(make_department) -> None:
    department = make_department()
    until = datetime.date(2026, 2, 10)
    make_record(LicenseRecord, department, datetime.date(2025, 3, 1), LATE)  # first month
    make_record(LicenseRecord, department, datetime.date(2026, 2, 10), ON_TIME)  # last day
    make_record(LicenseRecord, department, datetime.date(2026, 2, 3), PROVISIONAL)
    make_record(LicenseRecord, department, datetime.date(2025, 2, 28), LATE)  # 13 months ago

    months = stats.monthly_counts(LicenseRecord.objects.all(), months=12, until=until)

    assert [item.month for item in months][:2] == [
        datetime.date(2025, 3, 1),
        datetime.date(2025, 4, 1),
    ]
    assert months[-1].month == datetime.date(2026, 2, 1)
    assert len(months) == 12
    assert months[0].counts == stats.TimelinessCounts(total=1, late=1)
    assert months[-1].counts == stats.TimelinessCounts(total=2, on_time=1, provisional=1)
    assert all(item.counts == stats.TimelinessCounts() for item in months[1:-1])


def test_add_monthly_sums_month_by_month(make_department) -> None:
    department = make_department()
    make_record(LicenseRecord, department, datetime.date(2026, 4, 2), ON_TIME)
    make_record(PenaltyRecord, department, datetime.date(2026, 4, 9), LATE)
    make_record(PenaltyRecord, department, datetime.date(2026, 5, 9), LATE)

    licences = stats.monthly_counts(LicenseRecord.objects.all(), months=2, until=DAY)
    penalties = stats.monthly_counts(PenaltyRecord.objects.all(), months=2, until=DAY)
    both = stats.add_monthly(licences, penalties)

    assert [(item.month, item.counts) for item in both] == [
        (datetime.date(2026, 4, 1), stats.TimelinessCounts(total=2, on_time=1, late=1)),
        (datetime.date(2026, 5, 1), stats.TimelinessCounts(total=1, late=1)),
    ]
    assert both[0].counts.on_time_rate == Decimal("50.0")


def test_add_monthly_refuses_series_of_different_lengths() -> None:
    short = stats.monthly_counts(LicenseRecord.objects.all(), months=2, until=DAY)
    long = stats.monthly_counts(LicenseRecord.objects.all(), months=3, until=DAY)
    with pytest.raises(ValueError):
        stats.add_monthly(short, long)


# --- late records -------------------------------------------------------------------------


def test_late_records_lists_only_late_ones_newest_first(make_department) -> None:
    department = make_department()
    older = make_record(PenaltyRecord, department, datetime.date(2026, 2, 1), LATE)
    newer = make_record(PenaltyRecord, department, datetime.date(2026, 3, 1), LATE)
    make_record(PenaltyRecord, department, datetime.date(2026, 3, 2), ON_TIME)
    make_record(PenaltyRecord, department, datetime.date(2026, 3, 3), PROVISIONAL)
    make_record(PenaltyRecord, department, datetime.date(2025, 3, 3), LATE)  # last year

    late = stats.late_records(PenaltyRecord.objects.all(), YEAR, limit=10)

    assert [record.pk for record in late] == [newer.pk, older.pk]


def test_late_records_stops_at_the_limit(make_department) -> None:
    department = make_department()
    for day in range(1, 6):
        make_record(PenaltyRecord, department, datetime.date(2026, 3, day), LATE)

    late = stats.late_records(PenaltyRecord.objects.all(), YEAR, limit=3)

    assert [record.decision_date.day for record in late] == [5, 4, 3]


# --- data quality ---------------------------------------------------------------------------


def test_rejected_row_rate_sums_the_periods_batches(make_department) -> None:
    department = make_department()
    make_batch(department, 100, 5, created_at=at(datetime.date(2026, 5, 3)))
    make_batch(department, 300, 15, created_at=at(datetime.date(2026, 2, 3)))
    make_batch(department, 50, 50, created_at=at(datetime.date(2025, 12, 3)))  # last year

    batches = ImportBatch.objects.all()

    assert stats.data_quality(batches, MAY) == stats.DataQuality(rows_read=100, rows_rejected=5)
    year = stats.data_quality(batches, YEAR)
    assert year == stats.DataQuality(rows_read=400, rows_rejected=20)
    assert year.rejected_rate == Decimal("5.0")


def test_rejected_row_rate_ignores_dry_runs_and_unfinished_batches(
    make_department, make_user
) -> None:
    """The imports app gives publicity the batches that count (publicity.hooks.IMPORT_BATCHES)."""
    department = make_department()
    when = at(datetime.date(2026, 5, 3))
    make_batch(department, 10, 1, created_at=when)
    make_batch(department, 10, 10, created_at=when, is_dry_run=True)
    make_batch(department, 10, 10, created_at=when, status=BatchStatus.FAILED)
    make_batch(department, 10, 10, created_at=when, status=BatchStatus.RUNNING)

    counted = hooks.import_batches(make_user(Role.CREDIT_ADMIN))
    quality = stats.data_quality(counted, MAY)

    assert quality == stats.DataQuality(rows_read=10, rows_rejected=1)
    assert quality.rejected_rate == Decimal("10.0")


def test_no_imports_give_no_rejected_rate(make_department) -> None:
    quality = stats.data_quality(ImportBatch.objects.all(), MAY)

    assert quality == stats.DataQuality()
    assert quality.rejected_rate is None


def test_rejected_row_rate_by_department(make_department) -> None:
    first, second = make_department(), make_department()
    when = at(datetime.date(2026, 5, 3))
    make_batch(first, 200, 2, created_at=when)
    make_batch(first, 200, 6, created_at=when)
    make_batch(second, 10, 0, created_at=when)

    quality = stats.data_quality_by_department(ImportBatch.objects.all(), YEAR)

    assert quality[first.pk] == stats.DataQuality(400, 8)
    assert quality[first.pk].rejected_rate == Decimal("2.0")
    assert quality[second.pk].rejected_rate == Decimal("0.0")


def test_batch_period_uses_local_days(make_department) -> None:
    """A batch started at 00:30 Beijing time on 1 May is May's, though it is still April in UTC."""
    department = make_department()
    local_midnight = timezone.make_aware(datetime.datetime(2026, 5, 1, 0, 30))
    make_batch(department, 10, 3, created_at=local_midnight)

    april = stats.Period(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))

    assert stats.data_quality(ImportBatch.objects.all(), MAY).rows_read == 10
    assert stats.data_quality(ImportBatch.objects.all(), april).rows_read == 0
