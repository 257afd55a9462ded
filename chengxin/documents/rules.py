"""The rules of the document procedure: time limits, validity and the number pattern.

Local settings (chengxin.core.local_settings), because the national texts leave them to the
locality (../shared/docs/domain-rules.md §7):
- the public comment period while drafting: at least 7 working days in many local rules;
- the legality review time limit: 5–15 working days (国办发〔2018〕115号 as applied locally);
- the filing (备案) deadline: 30 days after publication is common; one local rule says 3 working
  days, so the unit is a setting too. Days are counted from the day after publication
  (《民法典》第二百零一条: a period in days starts the next day), calendar days by default, as in the
  national rule for 法规/规章 (《法规规章备案审查条例》第四条, "公布之日起30日内");
- the number pattern of the unified document number (三统一: 统一编号).
A period "opened" in the past (ADR 0010): the public can comment online only from the day the
period is recorded in the system; the working days before it count toward the minimum only when a
backfill reason (补录理由: the draft was put to the public offline first) is recorded.
National values stay here with their source: entry into force 30 days after publication and a
validity of 5 years, 2 for 暂行 / 试行 (local Q&A on 国办发〔2018〕37号).
"""

from __future__ import annotations

import datetime
import re
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.core import calendar, local_settings
from chengxin.core.dates import add_months

COMMENT_MIN_WORKING_DAYS = local_settings.declare(
    "documents.comment_min_working_days",
    _l("规范性文件：公开征求意见最短期限（工作日）"),
    7,
    _l("起草阶段向社会公开征求意见的期限，起止日均计入；较短的须说明理由。"),
)
REVIEW_WORKING_DAYS = local_settings.declare(
    "documents.review_working_days",
    _l("规范性文件：合法性审核期限（工作日）"),
    15,
    _l("自提请审核之日起，司法局出具合法性审核意见的期限（一般为 5 至 15 个工作日）。"),
)
FILING_DAYS = local_settings.declare(
    "documents.filing_days",
    _l("规范性文件：备案期限（日）"),
    30,
    _l("自公布之日起报送备案的期限，公布当日不计入。"),
)
FILING_IN_WORKING_DAYS = local_settings.declare(
    "documents.filing_in_working_days",
    _l("规范性文件：备案期限按工作日计算"),
    False,
    _l("否：按自然日计算（默认，同《法规规章备案审查条例》第四条）；是：按工作日计算。"),
)
NUMBER_PATTERN = local_settings.declare(
    "documents.number_pattern",
    _l("规范性文件：统一编号格式"),
    "{code}〔{year}〕{seq}号",
    _l(
        "可用 {code}（制定主体代字）、{year}（年度）、{seq}（序号，如 {seq:02d} 补零）；制定主体可单独设置。"
    ),
)

# 30 days after publication unless a reason (national security, FX, monetary policy…) is given.
EFFECT_DELAY_DAYS = 30
VALIDITY_YEARS = 5
PROVISIONAL_VALIDITY_YEARS = 2
PROVISIONAL_MARKERS = ("暂行", "试行")
REMINDER_MONTHS = 6
COMMENT_MAX_MONTHS = 12
PATTERN_FIELDS = frozenset({"code", "year", "seq"})
# A format spec such as {seq:03d} pads the number; a width like {seq:0999999999d} would build a
# gigabyte string; and the number must fit its 60 characters: a width is at most 10.
MAX_PATTERN_WIDTH = 10


def is_provisional_title(title: str) -> bool:
    """A 暂行 or 试行 document (its title says so): valid for 2 years instead of 5."""
    return any(marker in title for marker in PROVISIONAL_MARKERS)


def validity_years(is_provisional: bool) -> int:
    return PROVISIONAL_VALIDITY_YEARS if is_provisional else VALIDITY_YEARS


def valid_until(effective_on: datetime.date, years: int) -> datetime.date:
    """The last day of validity: the day before the same date `years` later (a document in force
    from 2021-03-01 for 5 years is valid up to and including 2026-02-28)."""
    return add_months(effective_on, 12 * years) - datetime.timedelta(days=1)


def default_effective_on(published_on: datetime.date) -> datetime.date:
    return published_on + datetime.timedelta(days=EFFECT_DELAY_DAYS)


def reminder_horizon(today: datetime.date) -> datetime.date:
    """Documents whose validity ends on or before this day are due for a reminder."""
    return add_months(today, REMINDER_MONTHS)


def filing_due(published_on: datetime.date) -> datetime.date:
    """The last day to file a document published on `published_on` (the deadline day counts)."""
    days = int(local_settings.get(FILING_DAYS.key))
    if local_settings.get(FILING_IN_WORKING_DAYS.key):
        return calendar.add_working_days(published_on, days)
    return published_on + datetime.timedelta(days=days)


def review_due(submitted_on: datetime.date) -> datetime.date:
    return calendar.add_working_days(submitted_on, int(local_settings.get(REVIEW_WORKING_DAYS.key)))


def comment_working_days(starts_on: datetime.date, ends_on: datetime.date) -> int:
    """Working days of a comment period, both ends included."""
    return calendar.working_days_between(starts_on - datetime.timedelta(days=1), ends_on)


def online_starts_on(starts_on: datetime.date, recorded_on: datetime.date) -> datetime.date:
    """The first day the public could comment online: never before the recording day."""
    return max(starts_on, recorded_on)


def counted_starts_on(
    starts_on: datetime.date, recorded_on: datetime.date, backfill_reason: str
) -> datetime.date:
    """The first day counted toward the minimum: the days before the recording day count only
    with a backfill reason."""
    return starts_on if backfill_reason.strip() else online_starts_on(starts_on, recorded_on)


def check_comment_period(
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
    *,
    recorded_on: datetime.date,
    backfill_reason: str = "",
) -> None:
    """At least documents.comment_min_working_days working days, unless a reason is recorded;
    counted from `recorded_on` (the day the period is entered) unless a backfill reason says
    how the public could comment before."""
    if ends_on < starts_on:
        raise ValidationError({"comment_ends_on": _("征求意见截止日期不能早于开始日期。")})
    if ends_on > add_months(starts_on, COMMENT_MAX_MONTHS):
        # A typo in the year, not a period: it would also be counted day by day below.
        raise ValidationError(
            {"comment_ends_on": _("征求意见期限不能超过一年，请检查截止日期的年份。")}
        )
    minimum = int(local_settings.get(COMMENT_MIN_WORKING_DAYS.key))
    if starts_on < recorded_on and not backfill_reason.strip():
        _check_unexplained_backfill(starts_on, ends_on, reason, recorded_on, minimum)
    days = comment_working_days(counted_starts_on(starts_on, recorded_on, backfill_reason), ends_on)
    if days < minimum and not reason.strip():
        raise ValidationError(
            {
                "comment_shortened_reason": _(
                    "征求意见期限为 %(days)s 个工作日，少于 %(minimum)s 个工作日，须说明理由。"
                )
                % {"days": days, "minimum": minimum}
            }
        )


def _check_unexplained_backfill(
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
    recorded_on: datetime.date,
    minimum: int,
) -> None:
    """A start before the recording day without a backfill reason: the period counts from the
    recording day, and one over before it had no day of online comment at all."""
    recorded = f"{recorded_on:%Y-%m-%d}"
    if ends_on < recorded_on:
        raise ValidationError(
            {
                "comment_backfill_reason": _(
                    "征求意见期限在录入系统（%(recorded)s）之前已经结束，公众无法在网上提出意见："
                    "如已线下征求意见，请填写“补录理由”。"
                )
                % {"recorded": recorded}
            }
        )
    days = comment_working_days(recorded_on, ends_on)
    if days < minimum and not reason.strip():
        raise ValidationError(
            {
                "comment_backfill_reason": _(
                    "开始日期 %(start)s 早于录入系统之日 %(recorded)s，录入前的日子未填写“补录理由”"
                    "不计入期限：自录入之日起仅 %(days)s 个工作日，少于 %(minimum)s 个工作日。"
                    "已线下征求意见的请填写“补录理由”，否则请推迟截止日期或说明期限较短的理由。"
                )
                % {
                    "start": f"{starts_on:%Y-%m-%d}",
                    "recorded": recorded,
                    "days": days,
                    "minimum": minimum,
                }
            }
        )


def check_pattern(pattern: str) -> None:
    """A number pattern uses only {code}, {year} and {seq}, and both {year} and {seq}."""
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name}
    except ValueError as exc:
        raise ValidationError(_("编号格式不正确：%(error)s") % {"error": exc}) from exc
    specs = [spec or "" for _text, name, spec, _conv in string.Formatter().parse(pattern) if name]
    if any(int(digits) > MAX_PATTERN_WIDTH for digits in _numbers(specs)):
        raise ValidationError(_("编号格式的宽度不能超过 10 位。"))
    unknown = names - PATTERN_FIELDS
    if unknown:
        raise ValidationError(
            _("编号格式含未知字段：%(fields)s。") % {"fields": "、".join(sorted(unknown))}
        )
    try:
        format_number(pattern, code="X", year=2026, seq=1)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValidationError(_("编号格式不正确：%(error)s") % {"error": exc}) from exc
    if not {"year", "seq"} <= names:
        raise ValidationError(_("编号格式必须包含 {year} 和 {seq}。"))


def _numbers(specs: list[str]) -> list[str]:
    """The runs of digits in format specs (widths and precisions)."""
    return [digits for spec in specs for digits in re.findall(r"\d+", spec)]


def format_number(pattern: str, *, code: str, year: int, seq: int) -> str:
    return pattern.format(code=code, year=year, seq=seq)
