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


# A registry import runs in the request and either finished or failed (wrote nothing).
ImportStatus = RegistryImportStatus
