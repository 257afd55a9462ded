"""联合奖惩 figures of the annual rule-of-law report (chengxin/reports).

The checks made in the calendar year (by their time, local days) and what followed them, from
`stats` — the figures of the statistics page for the period 1 January – 31 December:

- 信用核查: checks made; 命中: those that hit a list (a 疑似 candidate is not a hit).
- 实施惩戒/激励措施: measures applied after feedback (`CheckMeasure.is_applied`).
- 逾期未反馈: hits still without feedback past their due date (working days) on the day the
  report is computed — a figure that goes down as departments catch up.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.reports.figures import Chart, Figure, Section, list_url, year_bounds
from chengxin.screening import stats
from chengxin.screening.choices import CheckOutcome, Feedback
from chengxin.screening.models import CreditCheck

TOP_DEPARTMENTS = 10


def sections(year: int) -> list[Section]:
    start, end = year_bounds(year)
    period = stats.Period(start, end)
    today = timezone.localdate()
    rows = stats.figures_by_department_and_scenario(CreditCheck.objects.all(), period, on=today)
    total = stats.total(rows)
    dates = {"date_from": start.isoformat(), "date_to": end.isoformat()}
    figures = (
        Figure(
            "screening.checks",
            _("信用核查"),
            total.checks,
            _("次"),
            list_url("screening:checks", **dates),
        ),
        Figure(
            "screening.hits",
            _("命中失信主体名单"),
            total.hits,
            _("次"),
            list_url("screening:checks", outcome=CheckOutcome.HIT, **dates),
            _("疑似（需人工核实）%(n)s 次不计为命中") % {"n": total.candidates},
        ),
        Figure(
            "screening.hit_rate",
            _("命中率"),
            total.hit_rate,
            "%",
            list_url("screening:statistics", **dates),
        ),
        Figure(
            "screening.measures_applied",
            _("依法实施惩戒措施"),
            total.measures_applied,
            _("项"),
            list_url("screening:checks", feedback=Feedback.TAKEN, **dates),
            _("核查后反馈已采取的措施（提出 %(n)s 项）") % {"n": total.measures_proposed},
        ),
        Figure(
            "screening.feedback_rate",
            _("命中后反馈率"),
            total.feedback_rate,
            "%",
            list_url("screening:statistics", **dates),
        ),
        Figure(
            "screening.overdue",
            _("逾期未反馈"),
            total.overdue,
            _("次"),
            list_url("screening:checks", feedback="overdue", **dates),
            _("截至 %(day)s") % {"day": today.isoformat()},
        ),
    )
    scenarios = stats.by_scenario(rows)
    departments = sorted(stats.by_department(rows), key=lambda item: (-item[1].checks, item[0]))
    charts = (
        Chart(
            "screening.hits_by_scenario",
            _("各业务场景命中次数"),
            tuple(name for name, _figures in scenarios),
            tuple(figures.hits for _name, figures in scenarios),
        ),
        Chart(
            "screening.checks_by_department",
            _("核查次数最多的单位"),
            tuple(name for name, _figures in departments[:TOP_DEPARTMENTS]),
            tuple(figures.checks for _name, figures in departments[:TOP_DEPARTMENTS]),
        ),
    )
    return [Section("screening", _("联合奖惩"), figures, charts)]
