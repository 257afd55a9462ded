"""Figures of joint reward and punishment (触发 → 响应 → 反馈), per department and scenario.

Every function takes a queryset of checks the caller has already restricted
(`CreditCheck.objects.restrict(user, "view")`) and a period (check dates, both ends included),
and costs one grouped query whatever the number of checks.

- Hit rate = checks that hit a list ÷ checks. A 疑似 candidate is not a hit.
- Feedback rate = hits with feedback (taken or not) ÷ hits.
- Measures proposed / applied count `CheckMeasure` rows (`is_applied` True after feedback).
- Overdue = hits still without feedback after their due date (`CreditCheck.objects.overdue`),
  due dates being working days on the official calendar.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from chengxin.publicity.stats import Period, percent
from chengxin.screening.choices import CheckOutcome, Feedback
from chengxin.screening.models import CheckMeasure, CreditCheck, CreditCheckQuerySet

__all__ = ["Figures", "Period", "Row", "figures_by_department_and_scenario", "overdue_checks"]


@dataclass(frozen=True)
class Figures:
    """Counts of checks and of what followed them."""

    checks: int = 0
    hits: int = 0
    candidates: int = 0
    feedback_given: int = 0
    overdue: int = 0
    measures_proposed: int = 0
    measures_applied: int = 0

    @property
    def hit_rate(self) -> Decimal | None:
        return percent(self.hits, self.checks)

    @property
    def feedback_rate(self) -> Decimal | None:
        return percent(self.feedback_given, self.hits)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            *(getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__)
        )


@dataclass(frozen=True)
class Row:
    """One department in one scenario."""

    department_id: int
    department: str
    scenario_id: int
    scenario: str
    figures: Figures


def in_period(checks: CreditCheckQuerySet, period: Period) -> CreditCheckQuerySet:
    return checks.filter(
        created_at__gte=period.first_datetime(), created_at__lt=period.after_datetime()
    )


def figures_by_department_and_scenario(
    checks: CreditCheckQuerySet, period: Period, *, on: datetime.date
) -> list[Row]:
    """Each (department, scenario) with checks in `period`, ordered by department and scenario
    (two grouped queries: the checks, and the measures they proposed)."""
    groups = ("department_id", "department__name", "scenario_id", "scenario__name")
    rows = (
        in_period(checks, period)
        .order_by()
        .values(*groups)
        .annotate(
            checks=Count("pk"),
            hits=Count("pk", filter=Q(outcome=CheckOutcome.HIT)),
            candidates=Count("pk", filter=Q(outcome=CheckOutcome.CANDIDATE)),
            feedback_given=Count("pk", filter=Q(feedback__in=[Feedback.TAKEN, Feedback.NOT_TAKEN])),
            overdue=Count("pk", filter=Q(feedback=Feedback.PENDING, feedback_due__lt=on)),
        )
    )
    measures = _measures(checks, period)
    result = [
        Row(
            department_id=row["department_id"],
            department=row["department__name"],
            scenario_id=row["scenario_id"],
            scenario=row["scenario__name"],
            figures=Figures(
                checks=row["checks"],
                hits=row["hits"],
                candidates=row["candidates"],
                feedback_given=row["feedback_given"],
                overdue=row["overdue"],
                **measures.get((row["department_id"], row["scenario_id"]), {}),
            ),
        )
        for row in rows
    ]
    return sorted(result, key=lambda r: (r.department, r.department_id, r.scenario_id))


def _measures(checks: CreditCheckQuerySet, period: Period) -> dict[tuple[int, int], dict[str, Any]]:
    rows = (
        CheckMeasure.objects.filter(credit_check__in=in_period(checks, period))
        .order_by()
        .values("credit_check__department_id", "credit_check__scenario_id")
        .annotate(
            measures_proposed=Count("pk"), measures_applied=Count("pk", filter=Q(is_applied=True))
        )
    )
    return {
        (row["credit_check__department_id"], row["credit_check__scenario_id"]): {
            "measures_proposed": row["measures_proposed"],
            "measures_applied": row["measures_applied"],
        }
        for row in rows
    }


def by_department(rows: list[Row]) -> list[tuple[str, Figures]]:
    """The rows added up per department (no query)."""
    totals: dict[tuple[str, int], Figures] = {}
    for row in rows:
        key = (row.department, row.department_id)
        totals[key] = totals.get(key, Figures()) + row.figures
    return [(name, figures) for (name, _pk), figures in sorted(totals.items())]


def by_scenario(rows: list[Row]) -> list[tuple[str, Figures]]:
    """The rows added up per scenario (no query)."""
    totals: dict[tuple[int, str], Figures] = {}
    for row in rows:
        key = (row.scenario_id, row.scenario)
        totals[key] = totals.get(key, Figures()) + row.figures
    return [(name, figures) for (_pk, name), figures in sorted(totals.items())]


def total(rows: list[Row]) -> Figures:
    return sum((row.figures for row in rows), Figures())


def overdue_checks(
    checks: CreditCheckQuerySet, period: Period, *, on: datetime.date, limit: int
) -> list[CreditCheck]:
    """The `limit` longest-overdue checks of `period` (one query)."""
    overdue = in_period(checks, period).overdue(on=on)
    return list(
        overdue.select_related("department", "scenario", "requested_by").order_by(
            "feedback_due", "pk"
        )[:limit]
    )
