"""Code tables of credit repair (信用修复)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RepairKind(models.TextChoices):
    """The two forms of repair the platform handles (信用中国 修复指南; 国家发展改革委令第58号 until
    2026-03-31, 《信用修复管理办法》（国家发展改革委令第36号） from 2026-04-01)."""

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


class OpinionVerdict(models.TextChoices):
    """The deciding department's opinion on repairing its own record (谁认定、谁修复:
    国办发〔2025〕22号; 《信用修复管理办法》（国家发展改革委令第36号））. 不同意 needs a reason."""

    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")


class DecidedBy(models.TextChoices):
    """Who decides a penalty repair (local setting repair.decided_by, repair.rules.DECIDED_BY).

    "谁认定、谁修复" (国办发〔2025〕22号; 《信用修复管理办法》（国家发展改革委令第36号））: either the
    credit office decides and needs the deciding department's 同意, or the deciding department
    decides itself and the credit office only accepts and forwards the application.
    """

    CREDIT_OFFICE_WITH_OPINION = "credit_office_with_opinion", _("信用办决定，须决定部门同意")
    DECIDING_DEPARTMENT = "deciding_department", _("决定部门决定，信用办受理转办")
