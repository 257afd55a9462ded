"""The numbers of the procedure: statutory ones with their citation, local ones as settings.

Statutory (《重大行政决策程序暂行条例》, 国务院令第713号):
- art. 14: a public comment period is "一般不少于30日"; a shorter one must be explained.
- art. 16: hearing materials reach the participants at least 7 days before the hearing, and the
  list of participants is published in advance.
- art. 26: the submission for legality review brings "决策草案及相关材料，包括有关法律、法规、规章
  等依据和履行决策法定程序的说明等", and para. 2 "应当保证必要的审查时间，一般不少于7个工作日".
  "一般" (normally): a shorter review is allowed only with a recorded reason, counted on the
  official calendar (core.calendar). (The article after it lists what the review covers.)
- art. 28: the legal office 应当组织法律顾问、公职律师提出法律意见 during the review.
- art. 29 (一): a draft that concerns market players' economic activity goes to the deciding body
  with 公平竞争审查的有关情况.

Local (a district's choice): which of the five procedures are mandatory for every decision
(`decisions.mandatory_steps`, default all five; 合法性审查 and 集体讨论决定 always, arts. 25, 30).

A period "opened" in the past (ADR 0011): the public can comment online only from the day the
consultation is recorded in the system. The days before it count toward the 30 only when a
backfill reason (补录理由: the draft was put to the public offline, e.g. in a newspaper) is
recorded; otherwise the period is counted from the recording day.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from chengxin.core import calendar, local_settings
from chengxin.decisions.choices import ALWAYS_MANDATORY, PROCEDURES, StepKind

COMMENT_PERIOD_MIN_DAYS = 30  # art. 14 para. 2
HEARING_NOTICE_MIN_DAYS = 7  # art. 16 para. 2 (2)
LEGALITY_REVIEW_MIN_WORKING_DAYS = 7  # art. 26 para. 2

LEGALITY_REVIEW_DUE_WORKING_DAYS = local_settings.declare(
    "decisions.legality_review_due_working_days",
    _("重大行政决策合法性审查办理期限（工作日）"),
    15,
    _("送审后法制机构出具审查意见的期限，超过即在工作台显示逾期；不少于7个工作日（第26条）。"),
)


def parse_steps(text: str) -> frozenset[str]:
    """The procedures a setting names, by Chinese name or code, separated by 、，, ; or spaces;
    合法性审查 and 集体讨论决定 must be among them (arts. 25, 30). Raises InvalidSetting."""
    names = {str(StepKind(kind).label): kind for kind in PROCEDURES}
    chosen: set[str] = set()
    for token in (t for t in re.split(r"[、，,；;\s]+", text) if t):
        kind = names.get(token, token if token in PROCEDURES else None)
        if kind is None:
            raise local_settings.InvalidSetting(
                _g("“%(token)s”不是重大行政决策的程序，可选：%(all)s。")
                % {"token": token, "all": "、".join(names)}
            )
        chosen.add(kind)
    required = {StepKind.LEGALITY_REVIEW, StepKind.COLLECTIVE_DISCUSSION}
    if not required <= chosen:
        raise local_settings.InvalidSetting(
            _g(
                "合法性审查和集体讨论决定是法定必经程序，不能取消"
                "（《重大行政决策程序暂行条例》第25条、第30条）。"
            )
        )
    return frozenset(chosen)


def _check_steps(text: str) -> None:
    parse_steps(text)


MANDATORY_STEPS = local_settings.declare(
    "decisions.mandatory_steps",
    _("重大行政决策：必经程序"),
    "公众参与、专家论证、风险评估、合法性审查、集体讨论决定",
    _(
        "每项重大行政决策都必须履行的程序，以顿号分隔。合法性审查和集体讨论决定不能取消"
        "（条例第25条、第30条）；未列入的专家论证、风险评估（第19条、第22条）或公众参与"
        "（第14条：依法不予公开的事项）经说明理由并由提出人以外的人员批准，方可不履行。"
    ),
    security_relevant=True,
    validator=_check_steps,
)


def mandatory_steps() -> frozenset[str]:
    """The steps no decision skips: the setting's procedures, and always 合法性审查, 集体讨论决定
    and 公布 (arts. 25, 30, 32)."""
    return parse_steps(str(local_settings.get(MANDATORY_STEPS.key))) | ALWAYS_MANDATORY


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
