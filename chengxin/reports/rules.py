"""The reporting calendar and recipients of the annual report, and who may do what to it.

厅字〔2019〕28号《法治政府建设与责任落实督察工作规定》 as read (docs/adr/0025):
- art. 24 (quoted on a county's 政务公开 page): every year before 1 April, the annual reports of
  local governments and of government departments at county level and above are made public
  through newspapers, websites and other media, except what involves state secrets.
- The calendar and the recipients are taken from a province's guidance restating the regulation
  (法治政府建设年度报告工作指引, 2023-09-14): departments report to the 本级党委和政府 and the
  department one level up before 1 March, copied to the 本级党委法治建设议事协调机构; a county
  government reports to the 同级党委 and 人大常委会 and to the government one level up, copied to
  the 上一级党委法治建设议事协调机构. The regulation's own articles on these were not found: the
  deadlines and recipients are therefore local settings, declared below (2026-12-07).

A deadline day itself is in time ("之前" read as "by": a report submitted on 1 March is on time).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.choices import Scope
from chengxin.accounts.permissions import CHANGE, REVIEW, VIEW, can, scope_for
from chengxin.core import local_settings
from chengxin.core.local_settings import InvalidSetting
from chengxin.reports.models import ReportStatus, RuleOfLawReport


def _month_day(value: str) -> None:
    try:
        datetime.date.fromisoformat(f"2024-{value.strip()}")  # a leap year: 02-29 is a day
    except ValueError as exc:
        raise InvalidSetting(_("请按“月-日”填写，例如 03-01。")) from exc


def _positive(value: int) -> None:
    if value < 1:
        raise InvalidSetting(_("天数至少为 1。"))


DEPARTMENT_DEADLINE = local_settings.declare(
    "reports.department_deadline",
    _("部门、镇街法治政府建设年度报告报送截止日（次年，月-日）"),
    "03-01",
    _(
        "默认每年3月1日（省级工作指引重申《法治政府建设与责任落实督察工作规定》的报告时间；"
        "2026-12-07 设为本地设置）。当日报送视为按时。"
    ),
    validator=_month_day,
)
PUBLICATION_DEADLINE = local_settings.declare(
    "reports.publication_deadline",
    _("政府法治政府建设年度报告公开截止日（次年，月-日）"),
    "04-01",
    _("默认每年4月1日（《法治政府建设与责任落实督察工作规定》第二十四条）。"),
    validator=_month_day,
)
RECIPIENTS = local_settings.declare(
    "reports.recipients",
    _("政府年度报告的报送机关（以“；”分隔）"),
    "区委；区人大常委会；市人民政府",
    _("县级政府向同级党委、人大常委会和上一级政府报告（省级工作指引，2026-12-07 设为本地设置）。"),
)
COPY_TO = local_settings.declare(
    "reports.copy_to",
    _("政府年度报告的抄送机关（以“；”分隔）"),
    "市委全面依法治市委员会办公室",
    _("抄送上一级党委法治建设议事协调机构（省级工作指引，2026-12-07 设为本地设置）。"),
)
ADDRESSEE = local_settings.declare(
    "reports.addressee",
    _("政府年度报告的主送机关"),
    "区委、区人大常委会：",
    _("印在标题下的主送机关，全角冒号结尾（GB/T 9704-2012 7.3.2）。"),
)
WARNING_DAYS = local_settings.declare(
    "reports.warning_days",
    _("截止日前提醒天数"),
    30,
    _("工作台在报送、公开截止日前多少天开始提醒。"),
    validator=_positive,
)


def _deadline(setting: local_settings.Declaration, year: int) -> datetime.date:
    """The deadline for the reports on `year`: a day of the next year."""
    month, day = (int(part) for part in str(local_settings.get(setting.key)).strip().split("-"))
    return datetime.date(year + 1, month, day)


def department_deadline(year: int) -> datetime.date:
    return _deadline(DEPARTMENT_DEADLINE, year)


def publication_deadline(year: int) -> datetime.date:
    return _deadline(PUBLICATION_DEADLINE, year)


def reporting_year(today: datetime.date) -> int:
    """The year whose reports are being written on `today`: last year's until the government's
    report on it is due to be public (the publication deadline), then this year's."""
    last = today.year - 1
    return last if today <= publication_deadline(last) else today.year


def split_names(text: str) -> list[str]:
    return [name.strip() for name in text.replace(";", "；").split("；") if name.strip()]


def recipients() -> list[str]:
    return split_names(str(local_settings.get(RECIPIENTS.key)))


def copy_to() -> list[str]:
    return split_names(str(local_settings.get(COPY_TO.key)))


def is_late(submitted: datetime.date | None, year: int, today: datetime.date) -> bool:
    """A department's report is late when it was submitted after the deadline, or is still not
    submitted once the deadline has passed."""
    deadline = department_deadline(year)
    if submitted is not None:
        return submitted > deadline
    return today > deadline


# --- who may do what ------------------------------------------------------------------------


def is_office(user: object) -> bool:
    """The rule-of-law office (司法局): writes the government's report, returns and finalises the
    departments', publishes and records deliveries (REVIEW on every report)."""
    return scope_for(user, REVIEW, RuleOfLawReport) is Scope.ALL


def sees_every_report(user: object) -> bool:
    """The office, and those who read every report (the credit office): the government's
    versions and every department's state on the list page."""
    return scope_for(user, VIEW, RuleOfLawReport) is Scope.ALL


def may_view(user: object, report: RuleOfLawReport) -> bool:
    return can(user, VIEW, report)


def may_edit(user: object, report: RuleOfLawReport) -> bool:
    """Edit the text: a draft (or a returned department report), by the office or, for a
    department's report, by that department's liaison."""
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        return False
    if report.is_government:
        return is_office(user)
    return can(user, CHANGE, report)


def may_submit(user: object, report: RuleOfLawReport) -> bool:
    """Send a department's report to the office: only that department's own staff who may edit
    it (the office reviews what a department submits; it does not submit for it)."""
    if report.is_government or not may_edit(user, report):
        return False
    return getattr(user, "department_id", None) == report.department_id
