"""The rules of the power list's content and of its adjustment procedure, with what they rest on.

What was read (2026-12-07), and what each rule takes from it:

- 中办发〔2015〕21号《关于推行地方各级政府工作部门权力清单制度的指导意见》, as quoted in the
  literature (the full text was not found): "按照权责一致的原则，逐一厘清与行政职权相对应的
  责任事项，建立责任清单，明确责任主体，健全问责机制". 湖北省人民政府令第382号《湖北省行政权力
  清单管理办法》(2015) 第三条: a department lists each power with its 法定依据、实施主体、运行流程、
  职责权限、监督方式、救济渠道和追责情形. Hence 责任事项 (`duties`) and 追责情形
  (`accountability`) are part of an item's version, and an adjustment a department proposes
  must state both (`check_duties`).
- 鲁政办字〔2015〕81号《山东省行政权力清单动态管理办法》第三条 (revised by 鲁政字〔2016〕76号):
  the 行政机关 that exercises a power applies (提出申请) to the 机构编制部门 for its 增加、取消、
  下放或变更要素, "按照规定程序予以调整"; the 政府法制机构 reviews legality. Hence a department's
  liaison proposes and the rule-of-law office reviews (passes or returns with a reason).
- 白城市应急管理局《清单动态调整制度》第七条 and a municipal 行政权力清单管理办法 第二十二条
  (both read as published online): after the review "报请本级人民政府审定" / "报同级人民政府
  批准后方可调整权力清单". Hence an adjustment takes effect only once the government's approval
  (document number and date) is recorded. That 办法 lets a mere change of an item's content take
  effect on the review alone; this district follows the stricter rule for all three kinds.
- 濮阳市行政权力清单动态管理办法 (as reported by 河南省委编办): "行政主体未按时申请的，机构编制
  部门可以提出调整建议，按程序进行调整". Hence the rule-of-law office may propose too, and its
  proposal goes through the same review and approval.

Not from a text: the three steps are done by three different people (`check_separation`), the
same four-eyes control the system applies to decisions and settings; and the review time limit is
a local setting (`REVIEW_WORKING_DAYS`), since the Shandong text sets none.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.core import calendar, local_settings

DUTIES_CITATION = "中办发〔2015〕21号；湖北省人民政府令第382号第三条"
PROCEDURE_CITATION = "鲁政办字〔2015〕81号第三条"

REVIEW_WORKING_DAYS = local_settings.declare(
    "powers.review_working_days",
    _l("权力清单：调整申请审核期限（工作日）"),
    15,
    _l(
        "自部门提出（或重新提交）调整申请之日起，司法局（编办）审核的期限，逾期列入待办提醒。"
        "山东省行政权力清单动态管理办法（鲁政办字〔2015〕81号）未规定审核期限；默认 15 个工作日"
        "取自一地行政权力清单管理办法第二十二条（2026-12-07 核对），可按本地规定调整。"
    ),
)


def review_due(submitted_on: datetime.date) -> datetime.date:
    """The last day of the review of a proposal submitted on `submitted_on` (working days; the
    day of submission not counted)."""
    return calendar.add_working_days(submitted_on, int(local_settings.get(REVIEW_WORKING_DAYS.key)))


def check_duties(duties: str, accountability: str) -> None:
    """An item as a department proposes it states its 责任事项 and its 追责情形 (权责一致)."""
    errors = {}
    if not duties.strip():
        errors["duties"] = _("请填写责任事项（行使该项权力应当履行的责任）。")
    if not accountability.strip():
        errors["accountability"] = _("请填写追责情形（不履行或不正确履行职责应当追责的情形）。")
    if errors:
        raise ValidationError(errors)


def check_separation(actor_id: int, earlier: Iterable[int | None], step: str) -> None:
    """Who reviews did not propose; who records the approval neither proposed nor reviewed."""
    if actor_id in {pk for pk in earlier if pk is not None}:
        if step == "review":
            message = _("提出或重新提交该申请的人员不能审核本申请。")
        else:
            message = _("登记批准的人员不能是该申请的申报人或审核人。")
        raise ValidationError(message, code="same_person")


def check_approval_dates(
    approved_on: datetime.date | None,
    effective_on: datetime.date | None,
    *,
    reviewed_on: datetime.date | None,
    today: datetime.date,
) -> None:
    """The approval was given between the review and today; the adjustment takes effect on or
    after the approval (the published list is not changed retroactively)."""
    errors: dict[str, str] = {}
    if approved_on is None:
        errors["approved_on"] = _("请填写批准日期。")
    elif approved_on > today:
        errors["approved_on"] = _("批准日期不能晚于今天。")
    elif reviewed_on is not None and approved_on < reviewed_on:
        errors["approved_on"] = _("批准日期不能早于审核日期（%(day)s）。") % {
            "day": f"{reviewed_on:%Y-%m-%d}"
        }
    if effective_on is None:
        errors["effective_on"] = _("请填写生效日期。")
    elif approved_on is not None and effective_on < approved_on:
        errors["effective_on"] = _("生效日期不能早于批准日期。")
    if errors:
        raise ValidationError(errors)
