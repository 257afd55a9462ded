"""Code tables of administrative disputes (行政复议, 行政应诉, 人民调解) and legal capacity.

Citations: 《中华人民共和国行政复议法》 as revised 2023-09-01 (in force 2024-01-01), cited 复议法;
《中华人民共和国行政诉讼法》 (2017), cited 诉讼法; 《最高人民法院关于行政机关负责人出庭应诉若干问题的
规定》 法释〔2020〕3号, cited 出庭规定; 《中华人民共和国人民调解法》 (2010), cited 调解法.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantKind(models.TextChoices):
    """Who applied for reconsideration (复议法 art. 14). Only the name is stored: an ID number
    is not needed to count or follow a case, so none is kept (data minimisation)."""

    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或者其他组织")


class ReconsiderationProcedure(models.TextChoices):
    """普通程序 (复议法 arts. 49–52) or 简易程序 (arts. 53–57); their time limits differ (art. 62)."""

    ORDINARY = "ordinary", _("普通程序")
    SIMPLIFIED = "simplified", _("简易程序")


class ReconsiderationResult(models.TextChoices):
    """How a reconsideration ended (复议法 chapter 5, section 4, and art. 41)."""

    UPHELD = "upheld", _("维持")  # art. 68
    REVOKED = "revoked", _("撤销（含部分撤销）")  # arts. 64, 70
    VARIED = "varied", _("变更")  # art. 63
    CONFIRMED_ILLEGAL = "confirmed_illegal", _("确认违法")  # art. 65
    CONFIRMED_VOID = "confirmed_void", _("确认无效")  # art. 67
    ORDERED_TO_PERFORM = "ordered_to_perform", _("责令履行")  # art. 66
    DISMISSED = "dismissed", _("驳回复议请求")  # art. 69
    MEDIATED = "mediated", _("调解结案")  # art. 73 (行政复议调解书)
    TERMINATED = "terminated", _("终止")  # art. 41 (incl. withdrawal after 和解, art. 74)


# The results in which the reconsideration body corrected the administrative act: it set the act
# aside or changed it (撤销, 变更), declared it unlawful or void (确认违法, 确认无效), or ordered the
# duty to be performed (责令履行). 维持, 驳回, 调解 and 终止 are not corrections. See ADR 0012.
CORRECTION_RESULTS = frozenset(
    {
        ReconsiderationResult.REVOKED,
        ReconsiderationResult.VARIED,
        ReconsiderationResult.CONFIRMED_ILLEGAL,
        ReconsiderationResult.CONFIRMED_VOID,
        ReconsiderationResult.ORDERED_TO_PERFORM,
    }
)


class Instance(models.TextChoices):
    """The level of the proceedings; the head's duty to appear covers all of them (出庭规定 art. 1)."""

    FIRST = "first", _("一审")
    SECOND = "second", _("二审")
    RETRIAL = "retrial", _("再审")


class LitigationResult(models.TextChoices):
    """How an administrative lawsuit ended (诉讼法 arts. 60, 62, 69–78, 89)."""

    CLAIM_DISMISSED = "claim_dismissed", _("驳回诉讼请求")  # art. 69
    REVOKED = "revoked", _("撤销")  # art. 70
    ORDERED_TO_PERFORM = "ordered_to_perform", _("判决履行")  # art. 72
    ORDERED_TO_PAY = "ordered_to_pay", _("判决给付")  # art. 73
    CONFIRMED_ILLEGAL = "confirmed_illegal", _("确认违法")  # art. 74
    CONFIRMED_VOID = "confirmed_void", _("确认无效")  # art. 75
    VARIED = "varied", _("变更")  # art. 77
    MEDIATED = "mediated", _("调解结案")  # art. 60
    WITHDRAWN = "withdrawn", _("撤诉")  # art. 62
    SUIT_DISMISSED = "suit_dismissed", _("裁定驳回起诉")  # 法释〔2018〕1号 art. 69
    APPEAL_DISMISSED = "appeal_dismissed", _("驳回上诉、维持原判")  # art. 89 (1)
    AMENDED = "amended", _("二审改判")  # art. 89 (2)
    REMANDED = "remanded", _("发回重审")  # art. 89 (3)


# Results only a court of second instance (or a retrial) gives.
APPEAL_RESULTS = frozenset(
    {LitigationResult.APPEAL_DISMISSED, LitigationResult.AMENDED, LitigationResult.REMANDED}
)


class AbsenceReason(models.TextChoices):
    """Why the responsible head did not appear (出庭规定 art. 8 lists the 正当理由)."""

    FORCE_MAJEURE = "force_majeure", _("不可抗力")
    ACCIDENT = "accident", _("意外事件")
    IRREPLACEABLE_DUTY = "irreplaceable_duty", _("需要履行他人不能代替的公务")
    OTHER_JUSTIFIED = "other_justified", _("其他正当事由")
    UNJUSTIFIED = "unjustified", _("无正当理由")


class DisputeType(models.TextChoices):
    """Common kinds of civil disputes in people's mediation statistics."""

    FAMILY = "family", _("婚姻家庭")
    NEIGHBOURS = "neighbours", _("邻里纠纷")
    LAND = "land", _("土地承包、山林水利")
    CONTRACT = "contract", _("合同纠纷")
    DAMAGES = "damages", _("损害赔偿")
    LABOUR = "labour", _("劳动争议")
    TRAFFIC = "traffic", _("道路交通事故")
    MEDICAL = "medical", _("医疗纠纷")
    PROPERTY = "property", _("物业纠纷")
    OTHER = "other", _("其他")


class MediationResult(models.TextChoices):
    """调解法 arts. 26 (调解不成的，应当终止调解) and 28–33 (调解协议)."""

    SUCCEEDED = "succeeded", _("调解成功")
    FAILED = "failed", _("调解不成")
    TERMINATED = "terminated", _("终止调解")


class EventType(models.TextChoices):
    """Steps with consequences, written only by disputes.actions."""

    RECONSIDERATION_EXTENDED = "reconsideration_extended", _("延长复议期限")
    RECONSIDERATION_DECIDED = "reconsideration_decided", _("作出复议决定")
    HEARING_APPEARANCE_RECORDED = "hearing_appearance_recorded", _("登记出庭情况")
    MEDIATION_CLOSED = "mediation_closed", _("调解结案")
