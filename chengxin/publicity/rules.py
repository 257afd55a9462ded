"""National rules for 双公示 records, as dated rule sets with their citation.

A record follows the rule set in force on its decision date: a penalty decided before
2021-07-15 uses the categories of the 2017 行政处罚法, later ones those of the 2021 law.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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


def penalty_rules_on(decision_date: datetime.date) -> PenaltyCategoryRules:
    """The rule set in force on `decision_date` (the earliest one for older dates)."""
    current = PENALTY_CATEGORY_RULES[0]
    for rules in PENALTY_CATEGORY_RULES:
        if rules.since <= decision_date:
            current = rules
    return current
