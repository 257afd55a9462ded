"""Code tables of normative documents (规范性文件).

The procedure follows the 三统一 practice (统一登记、统一编号、统一发布) and 国办发〔2018〕37号
《关于加强行政规范性文件制定和监督管理工作的通知》 as applied locally (../shared/docs/domain-rules.md §7):
public comment while drafting, a mandatory 合法性审核 by the legal office (国办发〔2018〕115号), collective
deliberation, issue with a unified number, publication, 备案 to the upper body, validity and clean-up.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    """Kinds of 制定主体 the seed district confirmed."""

    DISTRICT_GOVERNMENT = "district_government", _("区政府")
    DEPARTMENT = "department", _("部门")
    BRANCH_OFFICE = "branch_office", _("派出机构")
    TOWNSHIP = "township", _("镇街")


class DocumentStatus(models.TextChoices):
    """Where a document is in its procedure. Whether a published document is in force is not a
    status: it is computed from its dates (`NormativeDocumentQuerySet.in_force`)."""

    DRAFT = "draft", _("起草中")
    COMMENTING = "commenting", _("公开征求意见")
    UNDER_REVIEW = "under_review", _("合法性审核中")
    REVIEW_FAILED = "review_failed", _("审核未通过")
    REVIEW_PASSED = "review_passed", _("审核通过")
    DELIBERATED = "deliberated", _("已集体审议")
    ISSUED = "issued", _("已印发")
    PUBLISHED = "published", _("已公布")
    ABOLISHED = "abolished", _("已废止")
    DECLARED_INVALID = "declared_invalid", _("已宣布失效")


# Statuses whose documents the public may see (the text as issued, never a draft under review).
PUBLISHED_STATUSES = (
    DocumentStatus.PUBLISHED,
    DocumentStatus.ABOLISHED,
    DocumentStatus.DECLARED_INVALID,
)
# A number is assigned at issue and kept for good, also when the document is abolished.
NUMBERED_STATUSES = (DocumentStatus.ISSUED, *PUBLISHED_STATUSES)


class Validity(models.TextChoices):
    """A document's state on a given day, computed from its status and dates."""

    NOT_PUBLISHED = "not_published", _("未公布")
    NOT_YET_EFFECTIVE = "not_yet_effective", _("尚未施行")
    IN_FORCE = "in_force", _("现行有效")
    EXPIRED = "expired", _("失效")
    ABOLISHED = "abolished", _("废止")


class CommentHandling(models.TextChoices):
    """How a comment received during public comment was handled (采纳情况)."""

    PENDING = "pending", _("待处理")
    ADOPTED = "adopted", _("采纳")
    PARTLY_ADOPTED = "partly_adopted", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("不予采纳")


# Handling that must give its reason.
HANDLING_NEEDS_REASON = (CommentHandling.PARTLY_ADOPTED, CommentHandling.NOT_ADOPTED)


class ReviewResult(models.TextChoices):
    PENDING = "pending", _("审核中")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("不通过")


class DeliberationResult(models.TextChoices):
    APPROVED = "approved", _("审议通过")
    APPROVED_WITH_CHANGES = "approved_with_changes", _("修改后通过")
    REJECTED = "rejected", _("未通过")


class FilingTimeliness(models.TextChoices):
    """备案 against its deadline on a given day."""

    ON_TIME = "on_time", _("按时备案")
    LATE = "late", _("逾期备案")
    OVERDUE = "overdue", _("逾期未备案")
    PENDING = "pending", _("待备案")


class CleanupResult(models.TextChoices):
    """Results of a 清理 (periodic clean-up) of a document."""

    CONTINUED = "continued", _("继续有效")
    AMENDED = "amended", _("修改")
    ABOLISHED = "abolished", _("废止")
    DECLARED_INVALID = "declared_invalid", _("失效")


class EventType(models.TextChoices):
    REGISTERED = "registered", _("登记草案")
    COMMENT_OPENED = "comment_opened", _("公开征求意见")
    COMMENT_WAIVED = "comment_waived", _("不公开征求意见")
    COMMENT_RECEIVED = "comment_received", _("收到公众意见")
    COMMENT_HANDLED = "comment_handled", _("处理意见")
    SUBMITTED_FOR_REVIEW = "submitted_for_review", _("提请合法性审核")
    REVIEW_PASSED = "review_passed", _("合法性审核通过")
    REVIEW_FAILED = "review_failed", _("合法性审核不通过")
    DELIBERATED = "deliberated", _("集体审议")
    ISSUED = "issued", _("统一编号印发")
    PUBLISHED = "published", _("统一公布")
    FILED = "filed", _("报送备案")
    CLEANED_UP = "cleaned_up", _("清理")
