"""纠错率 and 出庭率 per department for one year: the dashboard's table and the report's charts.

The counting itself is in the QuerySet methods (models.py); this module only lays the per-
department results side by side, for the rows a user may see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count

from chengxin.accounts.models import Department
from chengxin.disputes.models import HearingQuerySet, ReconsiderationQuerySet
from chengxin.disputes.rates import Rate


@dataclass(frozen=True)
class DepartmentFigures:
    department: Department | None  # None: the total row
    received: int
    correction: Rate  # corrected of decided
    overdue: int
    appearance: Rate  # head appeared of hearings counted
    unrecorded: int

    @property
    def name(self) -> str:
        if self.department is None:
            return ""
        return self.department.short_name or self.department.name


def by_department(
    year: int,
    reconsiderations: ReconsiderationQuerySet,
    hearings: HearingQuerySet,
    on: datetime.date,
) -> tuple[list[DepartmentFigures], DepartmentFigures]:
    """One row per department with any reconsideration or hearing in `year`, and the total."""
    received = dict(
        reconsiderations.received_in(year)
        .order_by()
        .values_list("department")
        .annotate(n=Count("pk"))
    )
    overdue = dict(
        reconsiderations.overdue(on).order_by().values_list("department").annotate(n=Count("pk"))
    )
    correction = reconsiderations.correction_rates_by_department(year)
    appearance = hearings.appearance_rates_by_department(year, on)
    unrecorded = dict(
        hearings.in_year(year)
        .unrecorded(on)
        .order_by()
        .values_list("litigation__department")
        .annotate(n=Count("pk"))
    )
    ids = set(received) | set(overdue) | set(correction) | set(appearance) | set(unrecorded)
    departments = Department.objects.in_bulk(ids)
    empty = Rate(0, 0)
    rows = [
        DepartmentFigures(
            department=departments[pk],
            received=received.get(pk, 0),
            correction=correction.get(pk, empty),
            overdue=overdue.get(pk, 0),
            appearance=appearance.get(pk, empty),
            unrecorded=unrecorded.get(pk, 0),
        )
        for pk in ids
    ]
    rows.sort(key=lambda row: row.name)
    total = DepartmentFigures(
        department=None,
        received=sum(received.values()),
        correction=sum(correction.values(), empty),
        overdue=sum(overdue.values()),
        appearance=sum(appearance.values(), empty),
        unrecorded=sum(unrecorded.values()),
    )
    return rows, total
