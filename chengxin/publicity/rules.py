"""National rules for 双公示 records, as dated rule sets with their citation.

A record follows the rule set in force on its decision date: a penalty decided before
2021-07-15 uses the categories of the 2017 行政处罚法, later ones those of the 2021 law.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from chengxin.core.dates import add_months

PUBLICATION_WORKING_DAYS = 7
"""发改办财金〔2018〕424号; 国办发〔2016〕… 双公示: within 7 working days of the decision."""

WITHDRAWAL_WORKING_DAYS = 3
"""行政处罚法 (2021) art. 48 with art. 85: withdraw within 3 working days of the revocation."""

LONG_TERM = datetime.date(2099, 12, 31)
"""有效期至 2099-12-31 is how the standard writes "long-term" (长期)."""

OTHER_PREFIX = "其他"


@dataclass(frozen=True)
class PenaltyCategoryRules:
    since: datetime.date
    citation: str
    categories: tuple[str, ...]
    fine: frozenset[str]
    confiscation: frozenset[str]
    licence_action: frozenset[str]  # 暂扣 / 吊销: the certificate's name and number are required


PENALTY_CATEGORY_RULES = (
    PenaltyCategoryRules(
        since=datetime.date(1996, 10, 1),
        citation="《中华人民共和国行政处罚法》（2017年修正）第八条",
        categories=(
            "警告",
            "罚款",
            "没收违法所得、没收非法财物",
            "没收违法所得",
            "没收非法财物",
            "责令停产停业",
            "暂扣或者吊销许可证、暂扣或者吊销执照",
            "暂扣许可证",
            "吊销许可证",
            "暂扣执照",
            "吊销执照",
            "行政拘留",
        ),
        fine=frozenset({"罚款"}),
        confiscation=frozenset({"没收违法所得、没收非法财物", "没收违法所得", "没收非法财物"}),
        licence_action=frozenset(
            {
                "暂扣或者吊销许可证、暂扣或者吊销执照",
                "暂扣许可证",
                "吊销许可证",
                "暂扣执照",
                "吊销执照",
            }
        ),
    ),
    PenaltyCategoryRules(
        since=datetime.date(2021, 7, 15),
        citation="《中华人民共和国行政处罚法》（2021年修订）第九条",
        categories=(
            "警告",
            "通报批评",
            "罚款",
            "没收违法所得",
            "没收非法财物",
            "暂扣许可证件",
            "降低资质等级",
            "吊销许可证件",
            "限制开展生产经营活动",
            "责令停产停业",
            "责令关闭",
            "限制从业",
            "行政拘留",
        ),
        fine=frozenset({"罚款"}),
        confiscation=frozenset({"没收违法所得", "没收非法财物"}),
        licence_action=frozenset({"暂扣许可证件", "吊销许可证件"}),
    ),
)


class Dated(Protocol):
    @property
    def since(self) -> datetime.date: ...


DatedT = TypeVar("DatedT", bound=Dated)


def in_force_on(rule_sets: Sequence[DatedT], day: datetime.date) -> DatedT:
    """Of dated rule sets in date order, the one in force on `day` (the earliest for older days)."""
    current = rule_sets[0]
    for rules in rule_sets:
        if rules.since <= day:
            current = rules
    return current


def penalty_rules_on(decision_date: datetime.date) -> PenaltyCategoryRules:
    """The rule set in force on `decision_date` (the earliest one for older dates)."""
    return in_force_on(PENALTY_CATEGORY_RULES, decision_date)


# --- Publicity periods of penalty records (信用修复 regimes) --------------------------------------


@dataclass(frozen=True)
class Period:
    """How long a penalty is public: repair may end it from `minimum`, it ends by itself at `maximum`.

    Months count from the decision date. `maximum` of 0 means "not published".
    """

    minimum_months: int
    maximum_months: int


@dataclass(frozen=True)
class PublicityRegime:
    since: datetime.date
    citation: str
    by_severity: dict[str, Period]  # severity → period ("" = not classified)
    special_domains: tuple[str, ...] = ()  # domains with a longer minimum
    special_minimum_months: int = 0


# Penalties in these domains have a 1-year minimum under 58号令 (特种设备, 安全生产, 消防); the
# domain is read from the violation type and legal basis.
SPECIAL_DOMAINS = ("特种设备", "安全生产", "消防")

REPAIR_MEASURE_2026 = datetime.date(2026, 4, 1)
"""《信用修复管理办法》（国家发展改革委令第36号）第三十条: in force from 2026-04-01; 58号令 repealed."""

PUBLICITY_REGIMES = (
    PublicityRegime(
        since=datetime.date(1900, 1, 1),
        citation="《国家发展改革委办公厅关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知》"
        "（发改办财金〔2019〕527号）",
        by_severity={
            "": Period(3, 12),
            "minor": Period(3, 12),
            "general": Period(3, 12),
            "serious": Period(6, 36),
        },
    ),
    PublicityRegime(
        since=datetime.date(2023, 5, 1),
        citation="《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令第58号）",
        by_severity={
            "": Period(3, 36),
            "minor": Period(3, 36),
            "general": Period(3, 36),
            "serious": Period(3, 36),
        },
        special_domains=SPECIAL_DOMAINS,
        special_minimum_months=12,
    ),
    PublicityRegime(
        since=REPAIR_MEASURE_2026,
        citation="《信用修复管理办法》（国家发展改革委令第36号）第十二条",
        # 轻微 is in principle not published; a district that publishes it does so for at most
        # 3 months (local setting publicity.publish_minor_penalties). Not yet classified: 一般,
        # unless the default class below makes it 轻微 (第八条).
        by_severity={
            "": Period(3, 12),
            "minor": Period(0, 0),
            "general": Period(3, 12),
            "serious": Period(12, 36),
        },
    ),
)

MINOR_PUBLISHED_PERIOD = Period(0, 3)


def publicity_regime_on(decision_date: datetime.date) -> PublicityRegime:
    return in_force_on(PUBLICITY_REGIMES, decision_date)


def penalty_period(
    decision_date: datetime.date,
    severity: str,
    text: str,
    *,
    publish_minor: bool = False,
    regime: PublicityRegime | None = None,
) -> tuple[Period, PublicityRegime]:
    """The publicity period of a penalty decided on `decision_date` with `severity`.

    `text` (violation type and legal basis) decides the 58号令 special domains. `regime`: the
    rule set to apply (by default the one in force on the decision date).
    """
    regime = regime or publicity_regime_on(decision_date)
    period = regime.by_severity.get(severity, regime.by_severity[""])
    if severity == "minor" and publish_minor and period.maximum_months == 0:
        period = MINOR_PUBLISHED_PERIOD
    if regime.special_domains and any(domain in text for domain in regime.special_domains):
        period = Period(
            max(period.minimum_months, regime.special_minimum_months), period.maximum_months
        )
    return period, regime


def penalty_public_until(
    decision_date: datetime.date,
    severity: str,
    text: str,
    requested_end: datetime.date | None,
    *,
    publish_minor: bool = False,
    regime: PublicityRegime | None = None,
) -> datetime.date | None:
    """The last day a penalty is public, or None when it is not published at all.

    The department's 公示截止期 (CF_GSJZQ) is honoured inside the legal range [minimum, maximum];
    without it the maximum applies (publication stops by itself then).
    """
    period, _regime = penalty_period(
        decision_date, severity, text, publish_minor=publish_minor, regime=regime
    )
    if period.maximum_months == 0:
        return None
    earliest = add_months(decision_date, period.minimum_months)
    latest = add_months(decision_date, period.maximum_months)
    if requested_end is None:
        return latest
    return min(max(requested_end, earliest), latest)


# --- 简易程序 and the default class of an unclassified penalty --------------------------------


@dataclass(frozen=True)
class SummaryProcedureLimits:
    """What a penalty decided on the spot (简易程序, 当场处罚) may be: a warning, or a fine up to a
    limit. The law says such penalties *may* be decided on the spot; the limits only refuse a
    flag beyond them, they never make a penalty 简易程序."""

    since: datetime.date
    citation: str
    categories: frozenset[str]
    person_limit_yuan: int  # 公民 (natural persons and 个体工商户: 民法典第五十四条)
    organisation_limit_yuan: int  # 法人或者其他组织


SUMMARY_PROCEDURE_LIMITS = (
    SummaryProcedureLimits(
        since=datetime.date(1996, 10, 1),
        citation="《中华人民共和国行政处罚法》（2017年修正）第三十三条",
        categories=frozenset({"警告", "罚款"}),
        person_limit_yuan=50,
        organisation_limit_yuan=1000,
    ),
    SummaryProcedureLimits(
        since=datetime.date(2021, 7, 15),
        citation="《中华人民共和国行政处罚法》（2021年修订）第五十一条",
        categories=frozenset({"警告", "罚款"}),
        person_limit_yuan=200,
        organisation_limit_yuan=3000,
    ),
)


def summary_procedure_limits_on(decision_date: datetime.date) -> SummaryProcedureLimits:
    return in_force_on(SUMMARY_PROCEDURE_LIMITS, decision_date)


@dataclass(frozen=True)
class DefaultClassRule:
    """How an unclassified penalty is classed until the credit office classifies it."""

    since: datetime.date
    citation: str
    minor_categories: frozenset[str]  # a penalty of only these is 轻微
    summary_procedure_is_minor: bool


DEFAULT_CLASS_RULES = (
    DefaultClassRule(
        since=datetime.date(1900, 1, 1),
        citation="",
        minor_categories=frozenset(),
        summary_procedure_is_minor=False,
    ),
    # 第八条: 轻微 includes (一) penalties decided by 简易程序 and (二) 警告 or 通报批评 decided by
    # 普通程序. 较小数额罚款 is 轻微 only where the department's own standard says so (第十一条):
    # that is the credit office's classification, not a default.
    DefaultClassRule(
        since=REPAIR_MEASURE_2026,
        citation="《信用修复管理办法》（国家发展改革委令第36号）第八条",
        minor_categories=frozenset({"警告", "通报批评"}),
        summary_procedure_is_minor=True,
    ),
)


def default_severity(
    decision_date: datetime.date, categories: Sequence[str], is_summary_procedure: bool
) -> str:
    """The class of a penalty the credit office has not classified: "minor" or "" (一般)."""
    rule = in_force_on(DEFAULT_CLASS_RULES, decision_date)
    if is_summary_procedure and rule.summary_procedure_is_minor:
        return "minor"
    if categories and set(categories) <= rule.minor_categories:
        return "minor"
    return ""


# --- Information already in publicity on 2026-04-01 --------------------------------------------


class Transition(StrEnum):
    """What 36号令 does to a penalty decided before 2026-04-01 and still public that day.

    The measure has no transitional article (its 附则 is arts. 29–30: interpretation and entry
    into force, repealing 58号令), so the district chooses, as a dated local setting:
    - SHORTER (default): the shorter of the old period and the new one counted from the decision
      date — the new rule where it favours the subject, as 行政处罚法 art. 37 does for penalties
      (从旧兼从轻); without it a 警告 of 2025-12-01 stays public until 2028-12-01 while a 警告
      of 2026-04-02 is not published at all;
    - OLD: the period of the rule in force on the decision date;
    - NEW: the new rule's period, counted from the decision date.
    Publication that was lawful under the old rule is never ended retroactively: the earliest
    end is 2026-03-31, the day before the measure took effect.
    """

    SHORTER = "shorter"
    OLD = "old"
    NEW = "new"


def transitional_public_until(
    old_until: datetime.date | None, new_until: datetime.date | None, transition: str
) -> datetime.date | None:
    """The last public day of a penalty decided before 2026-04-01 under `transition`.

    `old_until` is its end under the rule in force on its decision date, `new_until` its end
    had 36号令 applied from its decision date (None: not published).
    """
    eve = REPAIR_MEASURE_2026 - datetime.timedelta(days=1)
    if old_until is None or old_until <= eve or transition == Transition.OLD:
        return old_until  # ended before the measure, or the district keeps the old period
    new_end = max(new_until or eve, eve)
    if transition == Transition.NEW:
        return new_end
    return min(old_until, new_end)
