"""Code tables of joint reward and punishment (联合奖惩).

国发〔2016〕33号 sets up the 触发–响应–反馈 mechanism: the listing department says who is
rewarded or punished, the implementing department applies the measures and reports back. Which
measures exist is fixed by the national 基础清单 and local 补充清单 (国办发〔2020〕49号): nothing
outside the catalogue may be applied.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chengxin.imports.choices import RegistryImportStatus


class ListKind(models.TextChoices):
    DISHONESTY = "dishonesty", _("失信主体名单")
    TRUST = "trust", _("守信激励名单")


class EntryStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REMOVED = "removed", _("已移出")


class MeasureKind(models.TextChoices):
    PUNISHMENT = "punishment", _("惩戒")
    INCENTIVE = "incentive", _("激励")


class MeasureEffect(models.TextChoices):
    PROHIBIT = "prohibit", _("禁止")
    RESTRICT = "restrict", _("限制")
    STRICT_REVIEW = "strict_review", _("从严审核")
    KEY_SUPERVISION = "key_supervision", _("重点监管")
    TOLERANCE_ACCEPTANCE = "tolerance_acceptance", _("容缺受理")
    PRIORITY = "priority", _("优先办理")
    GREEN_CHANNEL = "green_channel", _("绿色通道")


class CatalogueSource(models.TextChoices):
    """Where a measure is catalogued: only these two sources may be applied (国办发〔2020〕49号)."""

    NATIONAL = "national", _("全国基础清单")
    LOCAL = "local", _("地方补充清单")


class MatchKind(models.TextChoices):
    """How an input matched a list entry. Only CODE and NAME are hits; FUZZY is a 疑似 candidate."""

    CREDIT_CODE = "credit_code", _("统一社会信用代码一致")
    ID_NUMBER = "id_number", _("证件号码一致")
    NAME = "name", _("名称一致（归一化后）")
    FUZZY = "fuzzy", _("名称相似（疑似）")


class CheckOutcome(models.TextChoices):
    CLEAR = "clear", _("未命中")
    HIT = "hit", _("命中")
    CANDIDATE = "candidate", _("疑似，需人工核实")


class CheckChannel(models.TextChoices):
    WEB = "web", _("页面核查")
    BATCH = "batch", _("批量核查")
    API = "api", _("接口核查")


class Feedback(models.TextChoices):
    """The implementing department's answer (反馈) to a check that hit a list."""

    NOT_REQUIRED = "not_required", _("无需反馈")
    PENDING = "pending", _("待反馈")
    TAKEN = "taken", _("措施已采取")
    NOT_TAKEN = "not_taken", _("措施未采取")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("核查中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


# A registry import runs in the request and either finished or failed (wrote nothing).
ImportStatus = RegistryImportStatus
