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
National values stay here with their source: entry into force 30 days after publication
(local Q&A on 国办发〔2018〕37号) and the legality review time (国办发〔2018〕115号: 审核时间一般不少于
5个工作日，最长不超过15个工作日 — a shorter review needs its urgent reason recorded).

The validity ceiling is the province's, so it is a dated local setting (`documents.validity_
ceilings`): 37号 asks for validity periods and clean-ups but fixes no number. The default is the
common provincial rule, 5 years and 2 for 暂行 / 试行, as in 《山东省行政程序规定》第五十三条
("规范性文件有效期为3年至5年；标注'暂行'、'试行'的规范性文件，有效期为1年至2年。有效期届满的，
规范性文件自动失效。……制定机关应当于规范性文件有效期届满前6个月内进行评估，认为需要继续执行的，
按照本规定重新登记、编制登记号、公布，并自公布之日起重新计算有效期；需要修订的，按照制定程序办理"):
a document continued in a clean-up is re-evaluated and re-published, and its new validity, at
most the ceiling, runs from the re-publication.
"""

from __future__ import annotations

import datetime
import re
import string
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.core import calendar, local_settings
from chengxin.core.dates import add_months, parse_date

COMMENT_MIN_WORKING_DAYS = local_settings.declare(
    "documents.comment_min_working_days",
    _l("规范性文件：公开征求意见最短期限（工作日）"),
    7,
    _l("起草阶段向社会公开征求意见的期限，起止日均计入；较短的须说明理由。"),
)
# 国办发〔2018〕115号: "审核时间一般不少于5个工作日，最长不超过15个工作日".
REVIEW_MIN_WORKING_DAYS = 5
REVIEW_MAX_WORKING_DAYS = 15


def _check_review_days(days: int) -> None:
    if not REVIEW_MIN_WORKING_DAYS <= days <= REVIEW_MAX_WORKING_DAYS:
        raise local_settings.InvalidSetting(
            _("合法性审核期限应为 5 至 15 个工作日（国办发〔2018〕115号）。")
        )


REVIEW_WORKING_DAYS = local_settings.declare(
    "documents.review_working_days",
    _l("规范性文件：合法性审核期限（工作日）"),
    REVIEW_MAX_WORKING_DAYS,
    _l(
        "自提请审核之日起，审核机构出具合法性审核意见的期限：5 至 15 个工作日"
        "（国办发〔2018〕115号：审核时间一般不少于5个工作日，最长不超过15个工作日）。"
    ),
    validator=_check_review_days,
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
PROVISIONAL_MARKERS = ("暂行", "试行")
MAX_CEILING_YEARS = 10  # a typo guard for the setting, not a rule
REMINDER_MONTHS = 6
COMMENT_MAX_MONTHS = 12
PATTERN_FIELDS = frozenset({"code", "year", "seq"})
# A format spec such as {seq:03d} pads the number; a width like {seq:0999999999d} would build a
# gigabyte string; and the number must fit its 60 characters: a width is at most 10.
MAX_PATTERN_WIDTH = 10


def is_provisional_title(title: str) -> bool:
    """A 暂行 or 试行 document (its title says so): its own, shorter validity ceiling."""
    return any(marker in title for marker in PROVISIONAL_MARKERS)


# --- the validity ceiling (a dated local setting) ---------------------------------------------


@dataclass(frozen=True)
class ValidityCeiling:
    """The longest validity the district allows from `since` (None: from the beginning)."""

    since: datetime.date | None
    years: int
    provisional_years: int

    def for_document(self, is_provisional: bool) -> int:
        return self.provisional_years if is_provisional else self.years


_CEILING = re.compile(
    r"^(?:(?P<since>\d{4}-\d{1,2}-\d{1,2})\s*(?:起|:|：|=)\s*)?"
    r"(?P<years>\d+)\s*[/／]\s*(?P<provisional>\d+)$"
)


def parse_ceilings(text: str) -> tuple[ValidityCeiling, ...]:
    """The entries of `documents.validity_ceilings` in date order: "5/2" (years / years for 暂行
    or 试行), later rules after a semicolon with the day they apply from ("5/2；2027-01-01起3/1").
    Raises InvalidSetting with a message for the administrator."""
    entries: list[ValidityCeiling] = []
    for number, part in enumerate(re.split(r"[;；]", text), start=1):
        part = part.strip()
        if not part:
            continue
        entry = _ceiling(part, first=not entries)
        previous = entries[-1].since if entries else None
        if previous is not None and entry.since is not None and entry.since <= previous:
            raise local_settings.InvalidSetting(
                _("第 %(n)s 段的日期应晚于前一段。") % {"n": number}
            )
        entries.append(entry)
    if not entries:
        raise local_settings.InvalidSetting(_("请填写有效期上限，如 5/2。"))
    return tuple(entries)


def _ceiling(part: str, *, first: bool) -> ValidityCeiling:
    found = _CEILING.match(part)
    if found is None:
        raise local_settings.InvalidSetting(
            _("“%(part)s”格式不正确，应为“5/2”或“2027-01-01起3/1”。") % {"part": part}
        )
    try:
        since = parse_date(found["since"]) if found["since"] else None
    except ValueError as exc:
        raise local_settings.InvalidSetting(_("“%(part)s”的日期不正确。") % {"part": part}) from exc
    if since is None and not first:
        raise local_settings.InvalidSetting(
            _("只有第一段可以不写日期；以后各段写明起始日期，如“2027-01-01起3/1”。")
        )
    years, provisional = int(found["years"]), int(found["provisional"])
    if not 1 <= provisional <= years <= MAX_CEILING_YEARS:
        raise local_settings.InvalidSetting(
            _("“%(part)s”：年数应为 1 至 10，暂行、试行的不长于一般文件。") % {"part": part}
        )
    return ValidityCeiling(since, years, provisional)


def _check_ceilings(text: str) -> None:
    parse_ceilings(text)


VALIDITY_CEILINGS = local_settings.declare(
    "documents.validity_ceilings",
    _l("规范性文件：有效期上限（年）"),
    "5/2",
    _l(
        "“一般文件/暂行或试行文件”的最长有效期，如 5/2（《山东省行政程序规定》第五十三条："
        "有效期为3年至5年，标注“暂行”“试行”的为1年至2年）。规定改变的，以分号分段并写明起始日期，"
        "如“5/2；2027-01-01起3/1”：文件按其有效期起算日（施行日期，或清理后重新公布之日）适用"
        "当时的上限。"
    ),
    validator=_check_ceilings,
)


def validity_ceiling(is_provisional: bool, on: datetime.date) -> int:
    """The most years a validity starting on `on` may run (the entry in force that day; the
    first one for earlier days)."""
    entries = parse_ceilings(str(local_settings.get(VALIDITY_CEILINGS.key)))
    current = entries[0]
    for entry in entries:
        if entry.since is None or entry.since <= on:
            current = entry
    return current.for_document(is_provisional)


def check_validity_years(years: int | None, is_provisional: bool, starts_on: datetime.date) -> int:
    """The years of a validity starting on `starts_on`: the ceiling when not given, refused above
    it (the ceiling, not the document, decides: a 试行 document extended to 2045 is refused)."""
    ceiling = validity_ceiling(is_provisional, starts_on)
    if years is None:
        return ceiling
    if years < 1:
        raise ValidationError({"validity_years": _("有效期至少 1 年。")})
    if years > ceiling:
        kind = _("暂行、试行文件") if is_provisional else _("规范性文件")
        raise ValidationError(
            {
                "validity_years": _(
                    "%(kind)s的有效期不得超过 %(ceiling)s 年（本地设置“有效期上限”，"
                    "自 %(day)s 起算），现为 %(years)s 年。"
                )
                % {"kind": kind, "ceiling": ceiling, "day": f"{starts_on:%Y-%m-%d}", "years": years}
            }
        )
    return years


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


def review_working_days(submitted_on: datetime.date, reviewed_on: datetime.date) -> int:
    """Working days the reviewing unit had: after the day of the request, up to the opinion."""
    return calendar.working_days_between(submitted_on, reviewed_on)


def earliest_normal_review(submitted_on: datetime.date) -> datetime.date:
    """The first day an opinion needs no urgent reason (5 working days after the request)."""
    return calendar.add_working_days(submitted_on, REVIEW_MIN_WORKING_DAYS)


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
