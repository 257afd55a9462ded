"""Enforcement case figures of the annual rule-of-law report (chengxin/reports).

For the calendar year, district-wide or (`department`) one department's own cases:
- cases registered (立案) and decided in the year;
- legality reviews (法制审核) done in the year and their pass rate;
- the share of enforcement bodies' penalty records decided in the year that have an online case
  (the rest are 网外循环);
- the 事后公开 on-time rate of the year's decisions (7 / 20 working days, 国办发〔2018〕118号):
  on time ÷ (on time + late + overdue); decisions whose deadline has not come are left out.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.models import Department
from chengxin.cases import statistics
from chengxin.cases.choices import ReviewResult
from chengxin.cases.models import Case, LegalityReview
from chengxin.reports.figures import (
    Figure,
    Section,
    department_query,
    list_url,
    of_department,
    year_bounds,
)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def sections(year: int, department: Department | None = None) -> list[Section]:
    start, end = year_bounds(year)
    cases = of_department(Case.objects.all(), department)
    registered = cases.registered_between(start, end).count()
    decided_cases = cases.decided_between(start, end)
    reviews = LegalityReview.objects.done_between(start, end)
    if department is not None:
        reviews = reviews.filter(case__department=department)
    done = reviews.count()
    passed = reviews.filter(result=ReviewResult.PASSED).count()
    penalties, online = statistics.online_share(
        start, end, department_id=department.pk if department is not None else None
    )
    rows = statistics.publicity_by_body(decided_cases)
    on_time = sum(row.on_time for row in rows)
    due = sum(row.on_time + row.late + row.overdue for row in rows)
    own = department_query(department)
    period = {"start": start.isoformat(), "end": end.isoformat(), **own}
    figures = (
        Figure(
            "cases.registered",
            _("在线立案"),
            registered,
            _("件"),
            list_url(
                "cases:list",
                registered_from=start.isoformat(),
                registered_to=end.isoformat(),
                **own,
            ),
        ),
        Figure(
            "cases.decided",
            _("作出执法决定"),
            decided_cases.count(),
            _("件"),
            list_url("cases:list", decided_year=year, **own),
        ),
        Figure(
            "cases.reviews_done",
            _("完成重大执法决定法制审核"),
            done,
            _("件"),
            list_url("cases:list", reviewed_year=year, **own),
        ),
        Figure(
            "cases.review_pass_rate",
            _("法制审核通过率"),
            _rate(passed, done),
            "%",
            list_url("cases:list", reviewed_year=year, review_result=ReviewResult.PASSED, **own),
            _("通过 ÷ 已审核（含不通过、退回补充）"),
        ),
        Figure(
            "cases.online_share",
            _("执法主体行政处罚信息在线办案率"),
            _rate(online, penalties),
            "%",
            list_url("cases:off_network", **period),
            _("处罚机关为执法主体的行政处罚信息中，有在线办理案件的比例；其余为网外循环"),
        ),
        Figure(
            "cases.publicity_on_time_rate",
            _("执法决定事后公开按时率"),
            _rate(on_time, due),
            "%",
            list_url("cases:publicity", **period),
            _("行政许可、行政处罚 7 个工作日，其他 20 个工作日（国办发〔2018〕118号）"),
        ),
    )
    return [Section("cases", _("行政执法案件"), figures)]
