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


class Staffing(models.TextChoices):
    """编制身份 of an officer. Only established staff (在编人员) may hold an enforcement
    certificate; which of the three established kinds a district accepts is the local setting
    agencies.certificate_staffing (agencies.rules). 工勤 and 劳务派遣 staff never may: they are
    not 在编 (行政处罚法 art. 42: 具有行政执法资格的执法人员; the provincial certificate rules
    require 在编在岗 staff — see agencies.rules)."""

    ADMINISTRATIVE = "administrative", _("行政编制")
    CIVIL_SERVICE_MANAGED = "civil_service_managed", _("参照公务员法管理事业编制")
    PUBLIC_INSTITUTION = "public_institution", _("事业编制")
    SUPPORT_STAFF = "support_staff", _("工勤")
    LABOUR_DISPATCH = "labour_dispatch", _("劳务派遣")
    OTHER = "other", _("其他")


#: 编制身份 that can never hold a certificate, whatever the local setting says.
NON_ESTABLISHED = frozenset({Staffing.SUPPORT_STAFF, Staffing.LABOUR_DISPATCH, Staffing.OTHER})


class RemovalReason(models.TextChoices):
    """Why the clean-up (清理) removed an officer. The first four are found by the rules
    (agencies.rules.cleanup_reasons); 调离 and 退休 are facts the rule-of-law office records."""

    NO_EXAM = "no_exam", _("执法资格考试未通过")
    TRAINING = "training", _("年度培训学时不足")
    EXPIRED = "expired", _("执法证已过期")
    NOT_ESTABLISHED = "not_established", _("非在编人员（工勤、劳务派遣等）")
    TRANSFERRED = "transferred", _("调离执法岗位")
    RETIRED = "retired", _("退休")


#: The clean-up reasons an administrator declares (the others are found by the rules).
DECLARED_REMOVAL_REASONS = (RemovalReason.TRANSFERRED, RemovalReason.RETIRED)


class Sector(models.TextChoices):
    """The enforcement field (执法领域) of a body, whose own procedure rules may set a case
    handling period other than 行政处罚法 art. 60's ninety days (cases.rules: one local setting
    per field). The fields are those of 行政处罚法 art. 18 (综合行政执法), public security,
    and the rest."""

    MARKET_REGULATION = "market_regulation", _("市场监管")
    ECOLOGY = "ecology", _("生态环境")
    TRANSPORT = "transport", _("交通运输")
    AGRICULTURE = "agriculture", _("农业农村")
    URBAN = "urban", _("城市管理")
    CULTURE = "culture", _("文化市场")
    EMERGENCY = "emergency", _("应急管理")
    PUBLIC_SECURITY = "public_security", _("公安")
    OTHER = "other", _("其他")


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
