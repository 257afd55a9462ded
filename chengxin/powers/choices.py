"""Code tables of the administrative power list (行政权力清单).

The ten national categories (中办发〔2015〕21号《关于推行地方各级政府工作部门权力清单制度的指导意见》)
are seeded as PowerCategory rows, not choices, because localities use other lists (Zibo 2014:
行政审批, 行政监督; a Hunan catalogue adds 行政征用).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chengxin.imports.choices import RegistryImportStatus

#: The national categories (code, name), in the order of 中办发〔2015〕21号, seeded by migration.
NATIONAL_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("license", "行政许可"),
    ("penalty", "行政处罚"),
    ("coercion", "行政强制"),
    ("levy", "行政征收"),
    ("payment", "行政给付"),
    ("inspection", "行政检查"),
    ("confirmation", "行政确认"),
    ("reward", "行政奖励"),
    ("adjudication", "行政裁决"),
    ("other", "其他行政权力"),
)


class AdjustmentKind(models.TextChoices):
    """动态调整: every change of the list is one of these, with reason, document and date."""

    ADD = "add", _("新增")
    CHANGE = "change", _("变更")
    CANCEL = "cancel", _("取消")


class ProposalStatus(models.TextChoices):
    """Where an adjustment proposal (调整申请) stands (powers.actions, PROPOSAL_ACTIONS):

    submitted → passed → approved (the adjustment is written)
              ↘ returned → submitted again (revised) | withdrawn
    """

    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    PASSED = "passed", _("审核通过，待批准")
    APPROVED = "approved", _("已批准")
    WITHDRAWN = "withdrawn", _("已撤回")


#: The statuses of a proposal still under way: one of these per 权力编码 at a time.
OPEN_STATUSES = (ProposalStatus.SUBMITTED, ProposalStatus.RETURNED, ProposalStatus.PASSED)


class ProposalEventType(models.TextChoices):
    """One step of a proposal (PowerProposalEvent)."""

    SUBMITTED = "submitted", _("提出调整申请")
    RESUBMITTED = "resubmitted", _("修改后重新提交")
    PASSED = "passed", _("审核通过")
    RETURNED = "returned", _("审核退回")
    APPROVED = "approved", _("登记政府批准")
    WITHDRAWN = "withdrawn", _("撤回申请")


# A registry import runs in the request and either finished or failed (wrote nothing).
ImportStatus = RegistryImportStatus
