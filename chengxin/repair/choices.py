"""Code tables of credit repair (信用修复)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RepairKind(models.TextChoices):
    """The two forms of repair the platform handles (信用中国 修复指南, 58号令 / 《信用修复管理办法》)."""

    STOP_PUBLICITY = "stop_publicity", _("终止公示行政处罚信息")
    REMOVE_FROM_LIST = "remove_from_list", _("移出失信主体名单")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("审查中")
    MATERIAL_REQUESTED = "material_requested", _("待补正材料")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    APPROVED = "approved", _("同意修复")
    REFUSED = "refused", _("不予修复")


OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.MATERIAL_REQUESTED,
)


class EventType(models.TextChoices):
    SUBMITTED = "submitted", _("提交申请")
    ACCEPTED = "accepted", _("受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    MATERIAL_REQUESTED = "material_requested", _("要求补正材料")
    MATERIAL_SUPPLIED = "material_supplied", _("补正材料")
    OPINION_GIVEN = "opinion_given", _("决定部门出具意见")
    APPROVED = "approved", _("同意修复")
    REFUSED = "refused", _("不予修复")
