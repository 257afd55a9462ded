"""The annual reports' items on the staff dashboard (core.attention): the reporting calendar.

The reports due are those of the reporting year (`rules.reporting_year`: last year's until the
publication deadline, then this year's): the departments' by the department deadline (default
1 March), the government's published by the publication deadline (default 1 April), both local
settings (reports.rules). Reminders start `reports.warning_days` before.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from chengxin.core import local_settings
from chengxin.core.attention import Item, Severity
from chengxin.reports import rules
from chengxin.reports.models import ReportStatus, RuleOfLawReport

# The office (every report) and a department's liaison (its own) both change reports.
PERMISSION = "reports.change_ruleoflawreport"


def _year(today: datetime.date) -> int:
    return rules.reporting_year(today)


def _warning(today: datetime.date, deadline: datetime.date) -> bool:
    days = int(local_settings.get(rules.WARNING_DAYS.key))
    return today <= deadline <= today + datetime.timedelta(days=days)


def _late_departments(user: Any, today: datetime.date) -> int:
    from chengxin.reports.views import department_states

    year = _year(today)
    if today <= rules.department_deadline(year):
        return 0
    rows = department_states(year, today)
    if not rules.is_office(user):
        rows = [row for row in rows if row["department"].pk == user.department_id]
    return sum(1 for row in rows if row["late"])


def _submitted(user: Any, today: datetime.date) -> int:
    if not rules.is_office(user):
        return 0
    return RuleOfLawReport.objects.filter(
        year=_year(today), department__isnull=False, status=ReportStatus.SUBMITTED
    ).count()


def _own_due_soon(user: Any, today: datetime.date) -> int:
    """A liaison whose department has not submitted, with the deadline near."""
    year = _year(today)
    if rules.is_office(user) or user.department_id is None:
        return 0
    if not _warning(today, rules.department_deadline(year)):
        return 0
    done = RuleOfLawReport.objects.filter(
        year=year,
        department=user.department_id,
        status__in=(ReportStatus.SUBMITTED, ReportStatus.FINALISED),
    ).exists()
    return 0 if done else 1


def _returned(user: Any, today: datetime.date) -> int:
    if user.department_id is None:
        return 0
    return RuleOfLawReport.objects.filter(
        department=user.department_id, status=ReportStatus.RETURNED
    ).count()


def _unpublished(user: Any, today: datetime.date, *, overdue: bool) -> int:
    # The government's report due to be public this calendar year (on last year): overdue from
    # the day after the deadline until it is published, whatever year is being written by then.
    year = today.year - 1
    if not rules.is_office(user):
        return 0
    deadline = rules.publication_deadline(year)
    if overdue != (today > deadline):
        return 0
    if not overdue and not _warning(today, deadline):
        return 0
    published = RuleOfLawReport.objects.filter(
        year=year, department__isnull=True, published_at__isnull=False
    ).exists()
    return 0 if published else 1


ITEMS = (
    Item(
        "reports_departments_late",
        _("部门、镇街法治政府建设年度报告逾期未报送"),
        Severity.OVERDUE,
        PERMISSION,
        _late_departments,
        "reports:annual",
    ),
    Item(
        "reports_publication_overdue",
        _("政府法治政府建设年度报告逾期未公开"),
        Severity.OVERDUE,
        PERMISSION,
        lambda user, today: _unpublished(user, today, overdue=True),
        "reports:annual",
    ),
    Item(
        "reports_departments_submitted",
        _("部门、镇街报送的年度报告待审阅"),
        Severity.DUE,
        PERMISSION,
        _submitted,
        "reports:annual",
    ),
    Item(
        "reports_returned",
        _("本单位年度报告被退回，待修改"),
        Severity.DUE,
        PERMISSION,
        _returned,
        "reports:annual",
    ),
    Item(
        "reports_own_due_soon",
        _("本单位法治政府建设年度报告报送截止日临近"),
        Severity.NOTICE,
        PERMISSION,
        _own_due_soon,
        "reports:annual",
    ),
    Item(
        "reports_publication_due_soon",
        _("政府法治政府建设年度报告公开截止日临近"),
        Severity.NOTICE,
        PERMISSION,
        lambda user, today: _unpublished(user, today, overdue=False),
        "reports:annual",
    ),
)
