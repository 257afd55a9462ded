"""Credit repair rules, as dated rule sets with their citation.

When a subject may apply: a penalty's minimum publicity period follows the regime in force on its
decision date (publicity.rules.PUBLICITY_REGIMES):
- 发改办财金〔2019〕527号 (before 2023-05-01): 一般 after 3 months, 严重 after 6 months;
- 国家发展改革委令第58号 (from 2023-05-01): after 3 months, 1 year for 特种设备 / 安全生产 / 消防;
- 《信用修复管理办法》（国家发展改革委令第36号） (from 2026-04-01): 轻微 as soon as the obligation is
  fulfilled (no minimum), 一般 after 3 months, 严重 after 1 year.
Months count from the decision date. A list entry may be repaired while it is in force unless
its list type is not repairable by law (ListType.is_repairable, e.g. 失信被执行人: only the court
removes it).

How an application is handled and which measure it cites follow the measure in force on the
application date (REPAIR_PROCEDURES): 36号令 repealed 58号令 on 2026-04-01. Who decides a
penalty's repair is the local setting repair.decided_by (谁认定、谁修复). Deadlines of the procedure
are local settings in working days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.core import local_settings
from chengxin.core.dates import add_months
from chengxin.publicity.models import PenaltyRecord
from chengxin.publicity.rules import PublicityRegime, in_force_on, penalty_period
from chengxin.publicity.visibility import PUBLISH_MINOR_PENALTIES
from chengxin.repair.choices import DecidedBy, OpinionVerdict, RepairKind
from chengxin.repair.models import RepairApplication
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


# --- the measure in force on the application date ---------------------------------------------


@dataclass(frozen=True)
class RepairProcedure:
    """The measure governing applications made from `since` (the application date, not the
    record's decision date): what the form, the commitment, the receipt and the staff page cite."""

    since: datetime.date
    citation: str


REPAIR_PROCEDURES = (
    # Adopted 2023-01-11, in force 2023-05-01 [domain-rules §2.1]. Applications on the platform
    # start after that date; an older date gets this measure too (the earliest one).
    RepairProcedure(
        since=datetime.date(2023, 5, 1),
        citation="《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令第58号）",
    ),
    # Issued 2025-11, in force 2026-04-01, repeals 58号令 [domain-rules §11.1].
    RepairProcedure(
        since=datetime.date(2026, 4, 1),
        citation="《信用修复管理办法》（国家发展改革委令第36号）",
    ),
)


def procedure_on(day: datetime.date) -> RepairProcedure:
    """The measure in force on `day` (the earliest one for older dates)."""
    return in_force_on(REPAIR_PROCEDURES, day)


def procedure_of(application: RepairApplication) -> RepairProcedure:
    """The measure an application follows: the one in force on its submission date."""
    return procedure_on(application.submitted_on)


# --- who decides a penalty's repair (谁认定、谁修复) --------------------------------------------

DECIDED_BY_CITATION = (
    "国办发〔2025〕22号《关于进一步完善信用修复制度的实施方案》、"
    "《信用修复管理办法》（国家发展改革委令第36号）“谁认定、谁修复”"
)

DECIDED_BY = local_settings.declare(
    "repair.decided_by",
    _l("信用修复：行政处罚信息修复由谁决定"),
    DecidedBy.CREDIT_OFFICE_WITH_OPINION.value,
    _l(
        "依据国办发〔2025〕22号《关于进一步完善信用修复制度的实施方案》和《信用修复管理办法》"
        "（国家发展改革委令第36号）“谁认定、谁修复”。"
        "credit_office_with_opinion（默认）：信用办作出决定，须作出处罚决定的部门（数据来源单位）"
        "出具“同意”意见，部门“不同意”的只能不予修复；"
        "deciding_department：由作出处罚决定的部门同意或不予修复，信用办只负责受理和转办。"
        "移出失信主体名单的申请仍由信用办决定。"
    ),
    security_relevant=True,
)


def decided_by() -> DecidedBy:
    """The district's choice; an unknown stored value reads as the default (the credit office
    decides with the department's 同意), which never approves without the department."""
    value = local_settings.get(DECIDED_BY.key)
    if value in DecidedBy.values:
        return DecidedBy(value)
    return DecidedBy.CREDIT_OFFICE_WITH_OPINION


def needs_department(application: RepairApplication) -> bool:
    """Whether the deciding department has a say on the outcome: the repair of a penalty, whose
    department (数据来源单位) decided it. A list entry's department is only who entered it (the
    listing authority is free text), so list removals stay with the credit office."""
    return application.kind == RepairKind.STOP_PUBLICITY and application.department_id is not None


def department_decides(application: RepairApplication) -> bool:
    """Whether the deciding department itself approves or refuses (repair.decided_by =
    deciding_department), the credit office only accepting and forwarding."""
    return needs_department(application) and decided_by() == DecidedBy.DECIDING_DEPARTMENT


def approval_blocker(application: RepairApplication) -> str:
    """Why the credit office may not approve this application now ("" when it may).

    In credit_office_with_opinion mode a penalty's repair needs the deciding department's 同意:
    without an opinion it waits; with 不同意 it can only be refused, quoting the reason.
    """
    if not needs_department(application) or department_decides(application):
        return ""
    department = str(application.department)
    if application.department_verdict == OpinionVerdict.AGREE:
        return ""
    if application.department_verdict == OpinionVerdict.DISAGREE:
        return _(
            "决定部门（%(department)s）不同意修复，理由：%(reason)s。依据%(basis)s，"
            "信用办不能同意修复，只能决定不予修复。"
        ) % {
            "department": department,
            "reason": application.department_opinion,
            "basis": DECIDED_BY_CITATION,
        }
    return _(
        "决定部门（%(department)s）尚未出具“同意”意见。依据%(basis)s，"
        "行政处罚信息的信用修复须经作出处罚决定的部门同意，信用办方可同意修复。"
    ) % {"department": department, "basis": DECIDED_BY_CITATION}


def department_refusal_quote(application: RepairApplication) -> str:
    """The department's 不同意 and reason, as a refusal by the credit office quotes it ("" when
    the department did not disagree)."""
    if application.department_verdict != OpinionVerdict.DISAGREE:
        return ""
    return _("决定部门（%(department)s）不同意修复，理由：%(reason)s。") % {
        "department": str(application.department),
        "reason": _reason(application),
    }


def _reason(application: RepairApplication) -> str:
    return application.department_opinion.strip().rstrip("。.；;")


# --- when a subject may apply ------------------------------------------------------------------


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
            _period_citation(regime),
        )
    return Eligibility(True, citation=_period_citation(regime))


def _period_citation(regime: PublicityRegime) -> str:
    """The measure that set a penalty's period, named with its order number: from 2023-05-01 the
    repair measure in force on the regime's first day (the regime's own citation before)."""
    if regime.since < REPAIR_PROCEDURES[0].since:
        return regime.citation
    return procedure_on(regime.since).citation


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
