"""信用修复 figures of the annual rule-of-law report (chengxin/reports).

- 收到申请: applications submitted in the calendar year (local days).
- 同意修复 / 不予修复 / 不予受理: applications closed in the year with that result, whenever
  they were submitted (a December application decided in January counts in January's year).
- 平均办结用时: working days (official calendar, 调休 included) from the day of submission to
  the day of the decision, averaged over the applications closed in the year, to one decimal;
  无数据 when none was closed. The clock is not paused for 补正 here: this is the applicant's
  wait, not the legal time limit (`RepairApplication.decision_due` is that).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.core import calendar
from chengxin.repair.choices import ApplicationStatus, RepairKind
from chengxin.repair.models import RepairApplication
from chengxin.reports.figures import Chart, Figure, Section, list_url

CLOSED = (ApplicationStatus.APPROVED, ApplicationStatus.REFUSED, ApplicationStatus.NOT_ACCEPTED)


def _bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of `year` and of the next one, local time."""
    return (
        timezone.make_aware(datetime.datetime(year, 1, 1)),
        timezone.make_aware(datetime.datetime(year + 1, 1, 1)),
    )


def average_working_days(
    pairs: list[tuple[datetime.datetime, datetime.datetime]],
) -> Decimal | None:
    """Mean working days from submission to decision, local days, to one decimal."""
    if not pairs:
        return None
    days = [
        calendar.working_days_between(timezone.localdate(submitted), timezone.localdate(decided))
        for submitted, decided in pairs
    ]
    return (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def sections(year: int) -> list[Section]:
    first, after = _bounds(year)
    applications = RepairApplication.objects.all()
    received = applications.filter(submitted_at__gte=first, submitted_at__lt=after)
    closed = applications.filter(status__in=CLOSED, decided_at__gte=first, decided_at__lt=after)
    counts = closed.aggregate(
        approved=Count("pk", filter=Q(status=ApplicationStatus.APPROVED)),
        refused=Count("pk", filter=Q(status=ApplicationStatus.REFUSED)),
        not_accepted=Count("pk", filter=Q(status=ApplicationStatus.NOT_ACCEPTED)),
    )
    by_kind = dict(received.order_by().values_list("kind").annotate(n=Count("pk")))
    pairs = list(closed.values_list("submitted_at", "decided_at"))
    queue = "repair_staff:queue"
    note = _("修复申请列表未按年度筛选")
    figures = (
        Figure(
            "repair.received",
            _("收到信用修复申请"),
            received.count(),
            _("件"),
            list_url(queue),
            note,
        ),
        Figure(
            "repair.approved",
            _("同意修复"),
            counts["approved"],
            _("件"),
            list_url(queue, status=ApplicationStatus.APPROVED),
            note,
        ),
        Figure(
            "repair.refused",
            _("不予修复"),
            counts["refused"],
            _("件"),
            list_url(queue, status=ApplicationStatus.REFUSED),
            note,
        ),
        Figure(
            "repair.not_accepted",
            _("不予受理"),
            counts["not_accepted"],
            _("件"),
            list_url(queue, status=ApplicationStatus.NOT_ACCEPTED),
            note,
        ),
        Figure(
            "repair.average_working_days",
            _("平均办结用时"),
            average_working_days(pairs),
            _("个工作日"),
            list_url(queue),
            _("自提交至办结，按法定工作日计算"),
        ),
    )
    chart = Chart(
        "repair.received_by_kind",
        _("收到的修复申请（按修复类型）"),
        tuple(str(kind.label) for kind in RepairKind),
        tuple(by_kind.get(kind.value, 0) for kind in RepairKind),
    )
    return [Section("repair", _("信用修复"), figures, (chart,))]
