"""When a subject may apply for credit repair, as dated rule sets with their citation.

A penalty follows the regime in force on its decision date (publicity.rules.PUBLICITY_REGIMES):
- 发改办财金〔2019〕527号 (before 2023-05-01): 一般 after 3 months, 严重 after 6 months;
- 58号令 (from 2023-05-01): after 3 months, 1 year for 特种设备 / 安全生产 / 消防;
- 《信用修复管理办法》 (from 2026-04-01): 轻微 as soon as the obligation is fulfilled (no
  minimum), 一般 after 3 months, 严重 after 1 year.
Months count from the decision date. A list entry may be repaired while it is in force unless
its list type is not repairable by law (ListType.is_repairable, e.g. 失信被执行人: only the court
removes it). Deadlines of the procedure are local settings in working days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.core import local_settings
from chengxin.publicity.models import PenaltyRecord
from chengxin.publicity.rules import add_months, penalty_period
from chengxin.publicity.visibility import PUBLISH_MINOR_PENALTIES
from chengxin.screening.choices import ListKind
from chengxin.screening.models import ListEntry

ACCEPTANCE_WORKING_DAYS = local_settings.declare(
    "repair.acceptance_working_days",
    _l("信用修复：受理期限（工作日）"),
    3,
    _l("自申请提交之日起，信用办决定受理或不予受理的期限。"),
)
REVIEW_WORKING_DAYS = local_settings.declare(
    "repair.review_working_days",
    _l("信用修复：审查决定期限（工作日）"),
    10,
    _l("自受理之日起作出同意或不予修复决定的期限；要求补正材料期间暂停计算。"),
)
SYNC_WORKING_DAYS = local_settings.declare(
    "repair.sync_working_days",
    _l("信用修复：结果推送期限（工作日）"),
    3,
    _l("作出决定后，将结果推送决定部门和上级平台的期限。"),
)


@dataclass(frozen=True)
class Eligibility:
    """Whether an application may be made now; if not, why, and from when (if only early)."""

    eligible: bool
    reason: str = ""
    eligible_from: datetime.date | None = None
    citation: str = ""


def penalty_eligibility(record: PenaltyRecord, on: datetime.date) -> Eligibility:
    if not PenaltyRecord.objects.publicly_visible(on).filter(pk=record.pk).exists():
        return Eligibility(False, _("该行政处罚信息当前不在公示期内，无需申请信用修复。"))
    text = f"{record.violation_type} {record.legal_basis}"
    period, regime = penalty_period(
        record.decision_date,
        record.severity,
        text,
        publish_minor=bool(local_settings.get(PUBLISH_MINOR_PENALTIES.key)),
    )
    earliest = add_months(record.decision_date, period.minimum_months)
    if on < earliest:
        return Eligibility(
            False,
            _("未满最短公示期（%(months)d 个月，自决定日期 %(date)s 起算），%(from)s 起可申请。")
            % {
                "months": period.minimum_months,
                "date": record.decision_date.isoformat(),
                "from": earliest.isoformat(),
            },
            earliest,
            regime.citation,
        )
    return Eligibility(True, citation=regime.citation)


def entry_eligibility(entry: ListEntry, on: datetime.date) -> Eligibility:
    if entry.list_type.kind != ListKind.DISHONESTY:
        return Eligibility(False, _("守信激励名单无需信用修复。"))
    if not entry.is_in_force(on):
        return Eligibility(False, _("该名单条目已失效或已移出，无需申请信用修复。"))
    if not entry.list_type.is_repairable:
        return Eligibility(
            False,
            _("依据%(basis)s，%(list)s不适用信用修复，由认定部门依法移出。")
            % {"basis": entry.list_type.legal_basis, "list": entry.list_type.name},
            citation=entry.list_type.legal_basis,
        )
    return Eligibility(True, citation=entry.list_type.legal_basis)
