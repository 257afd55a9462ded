"""Code tables of enforcement bodies (执法主体) and enforcement officers (执法人员).

Basis: 《行政处罚法》 art. 17-21 (bodies with statutory powers, organisations authorised by law or
regulation, entrusted organisations acting in the entrusting body's name); 国办发〔2018〕118号
(行政执法三项制度: 事前公开 of the bodies and of the staff list, 姓名 / 执法证号 / 执法类别).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chengxin.imports.choices import RegistryImportStatus


class BodyKind(models.TextChoices):
    """How a body holds its enforcement power (行政处罚法 art. 17, 19, 20)."""

    STATUTORY = "statutory", _("法定")
    AUTHORISED = "authorised", _("法律法规授权")
    ENTRUSTED = "entrusted", _("受委托")


class BodyStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REVOKED = "revoked", _("撤销")


class OfficerStatus(models.TextChoices):
    """在岗: may enforce; 暂停: suspended for a time; 注销: certificate cancelled; 清理: removed by
    the qualification clean-up (lacking qualifications or with an expired certificate)."""

    ON_DUTY = "on_duty", _("在岗")
    SUSPENDED = "suspended", _("暂停")
    CANCELLED = "cancelled", _("注销")
    REMOVED = "removed", _("清理")


class EventType(models.TextChoices):
    """Steps written to the journal of bodies and officers, only by agencies.actions."""

    BODY_CONFIRMED = "body_confirmed", _("确认执法主体")
    BODY_CHANGED = "body_changed", _("变更执法主体信息")
    BODY_REVOKED = "body_revoked", _("撤销执法主体")
    OFFICER_REGISTERED = "officer_registered", _("登记执法人员")
    OFFICER_CHANGED = "officer_changed", _("变更执法人员信息")
    OFFICER_IMPORTED = "officer_imported", _("导入执法人员")
    OFFICER_SUSPENDED = "officer_suspended", _("暂停执法资格")
    OFFICER_REINSTATED = "officer_reinstated", _("恢复在岗")
    OFFICER_CANCELLED = "officer_cancelled", _("注销执法证")
    OFFICER_REMOVED = "officer_removed", _("清理")


# A registry import runs in the request and either finished or failed (wrote nothing).
ImportStatus = RegistryImportStatus
