"""The message a repair result sends to the upper platform, in standard field codes.

The record is named by the national 双公示 codes it was published under (CF_WSH, CF_XDR_MC,
CF_XDR_SHXYM …); the repair result uses the platform's XYXF_ codes below (the national exchange
specification for repair results was not available; the names follow the same pattern):

    XYXF_SLBH   受理编号            XYXF_LX    修复类型 (1 终止公示 / 2 移出名单)
    XYXF_JG     办理结果 (1 同意修复 / 2 不予修复 / 3 不予受理)
    XYXF_RQ     办结日期            XYXF_YJ    办理意见
    XYXF_JGMC   办理机关            XYXF_BMYJ  决定部门意见理由
    XYXF_BMJL   决定部门意见 (1 同意 / 2 不同意 / empty: none given)
"""

from __future__ import annotations

from typing import Any

from chengxin.core import regions
from chengxin.repair.choices import ApplicationStatus, OpinionVerdict, RepairKind
from chengxin.repair.models import RepairApplication

RESULT_CODES = {
    ApplicationStatus.APPROVED: "1",
    ApplicationStatus.REFUSED: "2",
    ApplicationStatus.NOT_ACCEPTED: "3",
}
KIND_CODES = {RepairKind.STOP_PUBLICITY: "1", RepairKind.REMOVE_FROM_LIST: "2"}
VERDICT_CODES = {OpinionVerdict.AGREE: "1", OpinionVerdict.DISAGREE: "2"}


def result_payload(application: RepairApplication) -> dict[str, Any]:
    """Only public identifiers: a natural person's ID number is sent masked (the upper platform
    matches by the decision number)."""
    decided = application.decided_at
    data: dict[str, Any] = {
        "XYXF_SLBH": application.receipt_number,
        "XYXF_LX": KIND_CODES[RepairKind(application.kind)],
        "XYXF_JG": RESULT_CODES[ApplicationStatus(application.status)],
        "XYXF_RQ": decided.date().isoformat() if decided else "",
        "XYXF_YJ": application.decision_reason,
        "XYXF_BMYJ": application.department_opinion,
        "XYXF_BMJL": VERDICT_CODES.get(OpinionVerdict(application.department_verdict), "")
        if application.department_verdict
        else "",
        "XYXF_JGMC": regions.credit_office(),
    }
    if application.penalty is not None:
        record = application.penalty
        data.update(
            {
                "CF_WSH": record.decision_number,
                "CF_XDR_MC": record.subject_name,
                "CF_XDR_SHXYM": record.subject_credit_code,
                "CF_ZJHM": record.id_number_masked,
                "CF_XZJG": record.authority,
                "CF_JDRQ": record.decision_date.isoformat(),
                "CF_SJLY": record.data_source,
            }
        )
    if application.list_entry is not None:
        entry = application.list_entry
        data.update(
            {
                "MD_LX": entry.list_type.name,
                "MD_WSH": entry.document_number,
                "MD_ZTMC": entry.subject_name,
                "MD_SHXYM": entry.credit_code,
                "MD_ZJHM": entry.id_number_masked,
                "MD_RDBM": entry.listing_authority,
            }
        )
    return data
