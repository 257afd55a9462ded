"""The numbers of the procedure: statutory ones with their citation, local ones as settings.

Statutory (《重大行政决策程序暂行条例》, 国务院令第713号):
- art. 14: a public comment period is "一般不少于30日"; a shorter one must be explained.
- art. 16: hearing materials reach the participants at least 7 days before the hearing, and the
  list of participants is published in advance.
- art. 27: the legality review time is "一般不少于7个工作日". "一般" (normally): a shorter review
  is allowed only with a recorded reason, counted on the official calendar (core.calendar).

A period "opened" in the past (ADR 0011): the public can comment online only from the day the
consultation is recorded in the system. The days before it count toward the 30 only when a
backfill reason (补录理由: the draft was put to the public offline, e.g. in a newspaper) is
recorded; otherwise the period is counted from the recording day.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from chengxin.core import calendar, local_settings

COMMENT_PERIOD_MIN_DAYS = 30  # art. 14 para. 2
HEARING_NOTICE_MIN_DAYS = 7  # art. 16 para. 2 (2)
LEGALITY_REVIEW_MIN_WORKING_DAYS = 7  # art. 27

LEGALITY_REVIEW_DUE_WORKING_DAYS = local_settings.declare(
    "decisions.legality_review_due_working_days",
    _("重大行政决策合法性审查办理期限（工作日）"),
    15,
    _("送审后法制机构出具审查意见的期限，超过即在工作台显示逾期；不少于7个工作日（第27条）。"),
)
STEP_REMINDER_DAYS = local_settings.declare(
    "decisions.step_reminder_days",
    _("重大行政决策环节到期提醒（日）"),
    7,
    _("环节计划完成日前多少日在工作台提示即将到期。"),
)


def comment_period_days(opens_on: datetime.date, closes_on: datetime.date) -> int:
    """Days the public may comment: the opening and the closing day both count."""
    return (closes_on - opens_on).days + 1


def online_opens_on(opens_on: datetime.date, recorded_on: datetime.date) -> datetime.date:
    """The first day the public could comment online: never before the recording day."""
    return max(opens_on, recorded_on)


def counted_opens_on(
    opens_on: datetime.date, recorded_on: datetime.date, backfill_reason: str
) -> datetime.date:
    """The first day counted toward the minimum: the days before the recording day count only
    with a backfill reason (the draft was put to the public offline before)."""
    return opens_on if backfill_reason.strip() else online_opens_on(opens_on, recorded_on)


def review_working_days(submitted_on: datetime.date, concluded_on: datetime.date) -> int:
    """Working days the legal office had: after the day of submission, up to the conclusion."""
    return calendar.working_days_between(submitted_on, concluded_on)


def legality_review_due(submitted_on: datetime.date) -> datetime.date:
    days = max(
        int(local_settings.get(LEGALITY_REVIEW_DUE_WORKING_DAYS.key)),
        LEGALITY_REVIEW_MIN_WORKING_DAYS,
    )
    return calendar.add_working_days(submitted_on, days)


def earliest_normal_conclusion(submitted_on: datetime.date) -> datetime.date:
    """The first day a review concludes without needing a reason for being short."""
    return calendar.add_working_days(submitted_on, LEGALITY_REVIEW_MIN_WORKING_DAYS)
