"""Code tables of enforcement cases (执法案件), with their legal basis.

The steps follow 行政执法全过程记录 (国办发〔2018〕118号): 立案, 调查取证, 告知 (行政处罚法 art. 44),
听证 when the party requests it (art. 63–65), 法制审核 (art. 58), 负责人集体讨论 for 情节复杂或者
重大违法行为 (art. 57 para. 2), 决定 (art. 57, signed off by the body's head), 送达 (art. 61),
执行 and 结案.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StepKind(models.TextChoices):
    REGISTRATION = "registration", _("立案")
    INVESTIGATION = "investigation", _("调查取证")
    NOTIFICATION = "notification", _("告知")
    HEARING = "hearing", _("听证")
    LEGALITY_REVIEW = "legality_review", _("法制审核")
    DISCUSSION = "discussion", _("负责人集体讨论")
    DECISION = "decision", _("决定")
    SERVICE = "service", _("送达")
    EXECUTION = "execution", _("执行")
    CLOSING = "closing", _("结案")


class CaseStatus(models.TextChoices):
    """The furthest step a case has reached (a review in progress is shown from the review)."""

    REGISTERED = "registered", _("已立案")
    INVESTIGATING = "investigating", _("调查取证中")
    NOTIFIED = "notified", _("已告知")
    HEARD = "heard", _("已听证")
    REVIEWED = "reviewed", _("法制审核通过")
    DISCUSSED = "discussed", _("已集体讨论")
    DECIDED = "decided", _("已作出决定")
    SERVED = "served", _("已送达")
    EXECUTED = "executed", _("已执行")
    CLOSED = "closed", _("已结案")


# The status a case reaches when a step is recorded.
STATUS_AFTER_STEP: dict[str, str] = {
    StepKind.REGISTRATION: CaseStatus.REGISTERED,
    StepKind.INVESTIGATION: CaseStatus.INVESTIGATING,
    StepKind.NOTIFICATION: CaseStatus.NOTIFIED,
    StepKind.HEARING: CaseStatus.HEARD,
    StepKind.LEGALITY_REVIEW: CaseStatus.REVIEWED,
    StepKind.DISCUSSION: CaseStatus.DISCUSSED,
    StepKind.DECISION: CaseStatus.DECIDED,
    StepKind.SERVICE: CaseStatus.SERVED,
    StepKind.EXECUTION: CaseStatus.EXECUTED,
    StepKind.CLOSING: CaseStatus.CLOSED,
}

DECIDED_STATUSES = (
    CaseStatus.DECIDED,
    CaseStatus.SERVED,
    CaseStatus.EXECUTED,
    CaseStatus.CLOSED,
)

# The statuses in which a decision may be made (and signed off): after 告知, the hearing, a
# passed review or the collective discussion.
READY_TO_DECIDE = (
    CaseStatus.NOTIFIED,
    CaseStatus.HEARD,
    CaseStatus.REVIEWED,
    CaseStatus.DISCUSSED,
)

# Steps recorded with `record_step`; 立案, 法制审核, 集体讨论 and 决定 have their own actions.
PLAIN_STEPS = (
    StepKind.INVESTIGATION,
    StepKind.NOTIFICATION,
    StepKind.HEARING,
    StepKind.SERVICE,
    StepKind.EXECUTION,
    StepKind.CLOSING,
)


class ReviewResult(models.TextChoices):
    PENDING = "pending", _("待审核")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("不通过")
    RETURNED = "returned", _("退回补充")


class MajorTrigger(models.TextChoices):
    """Why a case needs a passed 法制审核 before its decision.

    行政处罚法 art. 58 (1)–(4), and the local amount thresholds (较大数额罚款、没收), which are
    local settings (cases.major_fine_person / cases.major_fine_organisation).
    """

    PUBLIC_INTEREST = "public_interest", _("涉及重大公共利益")
    RIGHTS_AND_HEARING = "rights_and_hearing", _("直接关系当事人或者第三人重大权益，经过听证程序")
    COMPLEX = "complex", _("案件情况疑难复杂、涉及多个法律关系")
    OTHER_BY_LAW = "other_by_law", _("法律、法规规定应当进行法制审核的其他情形")
    FINE_AMOUNT = "fine_amount", _("罚款数额达到本地重大执法决定标准")
    CONFISCATION_AMOUNT = (
        "confiscation_amount",
        _("没收违法所得、非法财物数额达到本地重大执法决定标准"),
    )


class DiscussionResult(models.TextChoices):
    """The conclusion of a 负责人集体讨论 (行政处罚法 art. 57 para. 2): the proposed penalty is
    agreed, or the case goes back for further investigation or other handling."""

    AGREED = "agreed", _("同意给予拟定的行政处罚")
    NOT_AGREED = "not_agreed", _("不同意，补充调查或另行处理")


class MediaKind(models.TextChoices):
    """全过程记录: audio-visual records of a step (国办发〔2018〕118号)."""

    VIDEO = "video", _("音视频")
    AUDIO = "audio", _("录音")
    PHOTO = "photo", _("照片")


class EventType(models.TextChoices):
    REGISTERED = "registered", _("立案")
    STEP_RECORDED = "step_recorded", _("记录办案环节")
    HEARING_REQUESTED = "hearing_requested", _("当事人要求听证")
    MARKED_MAJOR = "marked_major", _("认定法制审核情形")
    REVIEW_REQUESTED = "review_requested", _("提请法制审核")
    REVIEW_EXTENDED = "review_extended", _("延长法制审核期限")
    REVIEW_PASSED = "review_passed", _("法制审核通过")
    REVIEW_FAILED = "review_failed", _("法制审核不通过")
    REVIEW_RETURNED = "review_returned", _("法制审核退回补充")
    DECIDED = "decided", _("作出决定")
    PUBLISHED = "published", _("事后公开")
    PENALTY_LINKED = "penalty_linked", _("关联行政处罚信息")
    PENALTY_DRAFTED = "penalty_drafted", _("生成行政处罚信息")
    DISCUSSED = "discussed", _("负责人集体讨论")
    DECISION_APPROVED = "decision_approved", _("负责人签批决定")
    DEADLINE_EXTENDED = "deadline_extended", _("延长办案期限")
    OFFICERS_CHANGED = "officers_changed", _("变更承办执法人员")
    DECIDED_LATE = "decided_late", _("超过办案期限作出决定")


REVIEW_EVENTS: dict[str, str] = {
    ReviewResult.PASSED: EventType.REVIEW_PASSED,
    ReviewResult.FAILED: EventType.REVIEW_FAILED,
    ReviewResult.RETURNED: EventType.REVIEW_RETURNED,
}


class PublicityTimeliness(models.TextChoices):
    """事后公开 of a decision against its deadline (国办发〔2018〕118号)."""

    ON_TIME = "on_time", _("按时公开")
    LATE = "late", _("逾期公开")
    OVERDUE = "overdue", _("逾期未公开")
    PENDING = "pending", _("未到期限")


class MissingCasePolicy(models.TextChoices):
    """What happens to a penalty record of an enforcement body that references no case."""

    WARNING = "warning", _("提示（列入网外循环报表）")
    ERROR = "error", _("拒收")
