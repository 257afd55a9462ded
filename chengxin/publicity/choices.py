"""Code tables of the national 双公示 data standard, and the record workflow.

Code values follow the standard's field contents as departments fill them in (Chinese names);
the English `value` is what the database stores.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    LICENSE = "license", _("行政许可")
    PENALTY = "penalty", _("行政处罚")


class RecordStatus(models.TextChoices):
    """Where a record is in its workflow.

    STAGED: written by an import whose batch has not finished; no output shows it, and it
    becomes SUBMITTED or PUBLISHED together with the batch's other rows, once each is linked
    to its subject (publicity.importing).
    """

    STAGED = "staged", _("导入中")
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    PUBLISHED = "published", _("已公示")
    WITHDRAWN = "withdrawn", _("已撤回")


class Timeliness(models.TextChoices):
    """Whether a record went online within 7 working days of the decision (发改办财金〔2018〕424号).

    PROVISIONAL: the deadline falls in a year whose holidays are not entered yet, so the verdict
    uses the Monday–Friday fallback and may change when the State Council notice is entered.
    """

    ON_TIME = "on_time", _("按时")
    LATE = "late", _("超时")
    PROVISIONAL = "provisional", _("暂定")


class IdType(models.TextChoices):
    """证件类型 of a natural person or a legal representative; "其他-…" is free text."""

    RESIDENT_ID = "身份证", _("身份证")
    PASSPORT = "护照号", _("护照号")
    HK_MACAO_PERMIT = "港澳居民来往内地通行证", _("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "台湾居民来往大陆通行证", _("台湾居民来往大陆通行证")
    FOREIGNER_PERMANENT_ID = "外国人永久居留身份证", _("外国人永久居留身份证")


class LicenseCategory(models.TextChoices):
    """许可类别: the five kinds of 行政许可法 art. 12 (1)–(5), and 其他 with its concrete kind."""

    ORDINARY = "普通", _("普通")
    FRANCHISE = "特许", _("特许")
    RECOGNITION = "认可", _("认可")
    APPROVAL = "核准", _("核准")
    REGISTRATION = "登记", _("登记")
    OTHER = "其他", _("其他")


class LicenseState(models.TextChoices):
    """当前状态 XK_ZT of the post-2019 schema: 1 有效, 2 无效."""

    VALID = "1", _("有效")
    INVALID = "2", _("无效")


class Severity(models.TextChoices):
    """失信行为严重程度 of a penalty, set by the credit office (《信用修复管理办法》
    （国家发展改革委令第36号）, in force 2026-04-01)."""

    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")
