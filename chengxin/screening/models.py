"""联合奖惩: the lists, the measures catalogue and every credit check with its feedback."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.core.identifiers import validate_uscc
from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet
from chengxin.core.personal_data import EncryptedIdNumberMixin
from chengxin.imports.models import RegistryImport, RejectedRow
from chengxin.screening import names
from chengxin.screening.choices import (
    BatchStatus,
    CatalogueSource,
    CheckChannel,
    CheckOutcome,
    EntryStatus,
    Feedback,
    ListKind,
    MeasureEffect,
    MeasureKind,
)
from chengxin.subjects.choices import SubjectCategory


class ListType(ChangeLoggedModel):
    """A kind of list (失信被执行人, A级纳税人 …) with who decides on it and the legal basis.

    Only law, regulation or central policy may create a dishonesty list (国办发〔2020〕49号), so
    each type carries its basis. `is_repairable` False: the law makes removal before the end date
    impossible (credit repair refuses it).
    """

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名单名称"), max_length=100, unique=True)
    kind = models.CharField(_("名单类别"), max_length=12, choices=ListKind.choices)
    listing_authority = models.CharField(_("认定部门"), max_length=200)
    legal_basis = models.TextField(_("设立依据"))
    is_repairable = models.BooleanField(_("可申请信用修复"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)

    permission_area = "lists"

    class Meta:
        verbose_name = _("名单类型")
        verbose_name_plural = _("名单类型")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class ListEntryQuerySet(RestrictedQuerySet):
    def in_force(self, on: datetime.date | None = None) -> ListEntryQuerySet:
        """Entries that trigger measures on `on` (today): listed, not removed, not ended, of an
        active list type. The one definition used by checks, the portal and credit reports."""
        day = on or timezone.localdate()
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
            status=EntryStatus.ACTIVE,
            listed_on__lte=day,
            list_type__is_active=True,
        )


class ListEntry(EncryptedIdNumberMixin, ChangeLoggedModel):
    """One subject on one list, from the 认定文书 that put it there until removal or its end date.

    Removed entries stay (status 已移出 with reason and date): the history is never deleted.
    The name keys (see `names`) are kept in step with the name on every save.
    """

    list_type = models.ForeignKey(
        ListType, models.PROTECT, related_name="entries", verbose_name=_("名单类型")
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="list_entries",
        verbose_name=_("信用主体"),
    )
    subject_name = models.CharField(_("主体名称"), max_length=200)
    subject_category = models.CharField(
        _("主体类别"), max_length=24, choices=SubjectCategory.choices
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    id_number_ciphertext = models.TextField(_("证件号码（密文）"), blank=True, editable=False)
    id_number_index = models.CharField(
        _("证件号码索引"), max_length=64, blank=True, db_index=True, editable=False
    )
    id_number_masked = models.CharField(_("证件号码"), max_length=64, blank=True, editable=False)
    name_key = models.CharField(_("名称归一化"), max_length=200, db_index=True, editable=False)
    core_key = models.CharField(_("名称主干"), max_length=200, db_index=True, editable=False)
    prefix_key = models.CharField(
        _("字号首两字及主干长度"), max_length=8, db_index=True, editable=False
    )
    listing_authority = models.CharField(_("认定部门"), max_length=200)
    document_number = models.CharField(_("认定文书号"), max_length=128)
    basis = models.TextField(_("认定依据及事由"), max_length=2000)
    listed_on = models.DateField(_("列入日期"))
    ends_on = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("空表示长期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.ACTIVE
    )
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_reason = models.TextField(_("移出原因"), blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入单位"),
    )

    permission_area = "lists"
    department_field = "department"
    audit_exclude_fields = frozenset({"id_number_ciphertext", "id_number_index"})
    objects = ListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("名单条目")
        verbose_name_plural = _("名单条目")
        ordering = ["-listed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                "list_type", "document_number", "name_key", name="unique_list_entry"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("listed_on")),
                name="list_entry_ends_after_listing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.list_type_id} {self.subject_name}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.credit_code:
            try:
                self.credit_code = validate_uscc(self.credit_code)
            except ValidationError as exc:
                errors["credit_code"] = exc.messages
        elif self.subject_category != SubjectCategory.NATURAL_PERSON:
            errors["credit_code"] = _("法人及非法人组织、个体工商户必须填写统一社会信用代码。")
        if self.subject_category == SubjectCategory.NATURAL_PERSON and not self.id_number_index:
            errors["id_number_masked"] = _("自然人必须填写证件号码。")
        if self.ends_on and self.listed_on and self.ends_on < self.listed_on:
            errors["ends_on"] = _("有效期至不能早于列入日期。")
        if self.status == EntryStatus.REMOVED and not (self.removed_on and self.removal_reason):
            errors["removal_reason"] = _("移出名单必须填写移出日期和原因。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.set_name_keys()
        super().save(*args, **kwargs)

    def set_name_keys(self) -> None:
        self.name_key = names.name_key(self.subject_name)[:200]
        self.core_key = names.core_key(self.subject_name)[:200]
        self.prefix_key = names.prefix_key(self.core_key)

    def is_in_force(self, on: datetime.date | None = None) -> bool:
        """`ListEntry.objects.in_force` for one entry (an inactive list type triggers nothing)."""
        day = on or timezone.localdate()
        return (
            self.list_type.is_active
            and self.status == EntryStatus.ACTIVE
            and self.listed_on <= day
            and (self.ends_on is None or self.ends_on >= day)
        )


class Scenario(ChangeLoggedModel):
    """A business scenario in which measures apply (行政许可, 政府采购, 招标投标 …)."""

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("业务场景"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    permission_area = "lists"

    class Meta:
        verbose_name = _("业务场景")
        verbose_name_plural = _("业务场景")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class MeasureQuerySet(RestrictedQuerySet):
    def applicable(self) -> MeasureQuerySet:
        return self.filter(is_active=True)


class Measure(ChangeLoggedModel):
    """One catalogued measure (惩戒 / 激励措施清单 entry), with its legal basis.

    Only measures of the national 基础清单 or a local 补充清单 exist here, and a check proposes
    only these. `departments` empty: every implementing department of the district.
    """

    code = models.CharField(_("措施编号"), max_length=32, unique=True)
    name = models.CharField(_("措施"), max_length=300)
    kind = models.CharField(_("类别"), max_length=12, choices=MeasureKind.choices)
    effect = models.CharField(_("效力"), max_length=24, choices=MeasureEffect.choices)
    source = models.CharField(_("清单来源"), max_length=12, choices=CatalogueSource.choices)
    edition = models.CharField(_("清单版本"), max_length=40, help_text=_("如 2024 年版"))
    legal_basis = models.TextField(_("法律依据"))
    list_types = models.ManyToManyField(
        ListType, related_name="measures", verbose_name=_("适用名单")
    )
    scenarios = models.ManyToManyField(
        Scenario, related_name="measures", verbose_name=_("业务场景")
    )
    departments = models.ManyToManyField(
        "accounts.Department",
        blank=True,
        related_name="+",
        verbose_name=_("实施部门"),
        help_text=_("不选表示全区各实施部门"),
    )
    is_active = models.BooleanField(_("有效"), default=True)

    permission_area = "lists"
    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("奖惩措施")
        verbose_name_plural = _("奖惩措施清单")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CheckBatch(ChangeLoggedModel):
    """An uploaded list of applicants or bidders, checked together in a background job."""

    department = models.ForeignKey(
        "accounts.Department", models.PROTECT, related_name="+", verbose_name=_("核查单位")
    )
    requested_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("核查人")
    )
    scenario = models.ForeignKey(
        Scenario, models.PROTECT, related_name="+", verbose_name=_("业务场景")
    )
    matter = models.CharField(_("审批事项或项目编号"), max_length=200)
    file_name = models.CharField(_("文件名"), max_length=255)
    status = models.CharField(
        _("状态"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("核查数"), default=0)
    hits = models.PositiveIntegerField(_("命中数"), default=0)
    candidates = models.PositiveIntegerField(_("疑似数"), default=0)
    rejected = models.PositiveIntegerField(_("无法核查的行"), default=0)
    rejections = models.JSONField(_("无法核查的行"), default=list, blank=True)
    error = models.TextField(_("错误"), blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The host whose process runs the batch: a RUNNING batch of this host whose lock is free was
    # left by a process that died (screening.batch.recover_abandoned, ADR 0016).
    runner_host = models.CharField(_("处理主机"), max_length=255, blank=True)

    permission_area = "checks"
    department_field = "department"

    class Meta:
        verbose_name = _("批量核查")
        verbose_name_plural = _("批量核查")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.matter} ({self.file_name})"


class CreditCheckQuerySet(RestrictedQuerySet):
    def overdue(self, on: datetime.date | None = None) -> CreditCheckQuerySet:
        """Checks that hit a list and still have no feedback after their due date."""
        day = on or timezone.localdate()
        return self.filter(feedback=Feedback.PENDING, feedback_due__lt=day)


class CreditCheckManager(models.Manager.from_queryset(CreditCheckQuerySet)):  # type: ignore[misc]
    """Checks any page, statistic or API reads: all but a batch's checks still being stored,
    which wait for the batch to finish (screening.batch, ADR 0017)."""

    def get_queryset(self) -> CreditCheckQuerySet:
        queryset: CreditCheckQuerySet = super().get_queryset()
        return queryset.filter(is_staged=False)


class CreditCheck(EncryptedIdNumberMixin, ChangeLoggedModel):
    """One credit check (信用核查): who asked, for what, about whom, what it found, and the
    feedback (触发 → 响应 → 反馈, 国发〔2016〕33号). The result is kept as it was at the time."""

    department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        db_index=False,  # the (department, created_at) index serves it
        related_name="+",
        verbose_name=_("核查单位"),
    )
    # No index on requested_by, scenario or feedback_by: nothing lists checks by them alone
    # (statistics group by department and scenario through check_department_created), and each
    # index costs every batch insert.
    requested_by = models.ForeignKey(
        "accounts.User", models.PROTECT, db_index=False, related_name="+", verbose_name=_("核查人")
    )
    channel = models.CharField(_("方式"), max_length=8, choices=CheckChannel.choices)
    batch = models.ForeignKey(
        CheckBatch,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="checks",
        verbose_name=_("批量核查"),
    )
    scenario = models.ForeignKey(
        Scenario, models.PROTECT, db_index=False, related_name="+", verbose_name=_("业务场景")
    )
    matter = models.CharField(_("审批事项或项目编号"), max_length=200)
    input_name = models.CharField(_("名称"), max_length=200, blank=True)
    input_credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    id_number_ciphertext = models.TextField(_("证件号码（密文）"), blank=True, editable=False)
    id_number_index = models.CharField(_("证件号码索引"), max_length=64, blank=True, editable=False)
    id_number_masked = models.CharField(_("证件号码"), max_length=64, blank=True, editable=False)
    subject = models.ForeignKey(
        "subjects.Subject",
        models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("信用主体"),
    )
    outcome = models.CharField(_("核查结果"), max_length=10, choices=CheckOutcome.choices)
    hit_count = models.PositiveSmallIntegerField(_("命中"), default=0)
    candidate_count = models.PositiveSmallIntegerField(_("疑似"), default=0)
    result = models.JSONField(_("核查结果明细"), default=dict)
    feedback = models.CharField(
        _("反馈"), max_length=14, choices=Feedback.choices, default=Feedback.NOT_REQUIRED
    )
    feedback_due = models.DateField(_("反馈期限"), null=True, blank=True)
    feedback_reason = models.TextField(_("反馈说明"), blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    feedback_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("反馈人"),
    )

    permission_area = "checks"
    department_field = "department"
    # A batch's check, stored in a short transaction while the batch runs; let out when the
    # whole batch is stored (screening.batch), deleted if the batch fails.
    is_staged = models.BooleanField(_("批量核查中"), default=False, editable=False)

    audit_exclude_fields = frozenset({"id_number_ciphertext", "id_number_index", "result"})
    objects = CreditCheckManager()
    # Every check, a running batch's included: for screening.batch only.
    staging = CreditCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("信用核查")
        verbose_name_plural = _("信用核查")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "created_at"], name="check_department_created"),
            models.Index(
                fields=["feedback_due"],
                condition=Q(feedback="pending"),
                name="check_feedback_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter} {self.input_name or self.input_credit_code}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.feedback == Feedback.PENDING
            and self.feedback_due is not None
            and self.feedback_due < timezone.localdate()
        )


class CheckMeasure(models.Model):
    """A measure a check proposed (for one hit entry), and whether the department applied it."""

    credit_check = models.ForeignKey(
        CreditCheck, models.CASCADE, related_name="measures", verbose_name=_("信用核查")
    )
    measure = models.ForeignKey(Measure, models.PROTECT, related_name="+", verbose_name=_("措施"))
    entry = models.ForeignKey(
        ListEntry, models.PROTECT, related_name="+", verbose_name=_("名单条目")
    )
    is_applied = models.BooleanField(_("已采取"), null=True, blank=True)

    permission_area = "checks"

    class Meta:
        verbose_name = _("核查措施")
        verbose_name_plural = _("核查措施")
        ordering = ["credit_check", "id"]

    def __str__(self) -> str:
        return f"{self.credit_check_id} {self.measure_id}"


class ClearedCandidate(ChangeLoggedModel):
    """A reviewer's decision that a fuzzy candidate is not the checked subject (排除疑似).

    `input_key` names the checked subject (its credit code, the blind index of its ID number, or
    its normalised name); the pair stops reappearing as a candidate.
    """

    entry = models.ForeignKey(
        ListEntry, models.CASCADE, related_name="clearances", verbose_name=_("名单条目")
    )
    input_key = models.CharField(_("被核查主体"), max_length=220)
    reason = models.TextField(_("排除理由"))
    cleared_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("核实人")
    )

    permission_area = "checks"

    class Meta:
        verbose_name = _("已排除的疑似")
        verbose_name_plural = _("已排除的疑似")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint("entry", "input_key", name="unique_cleared_candidate")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} ≠ {self.input_key}"


class ListImport(RegistryImport):
    """One uploaded file of list entries (名单条目导入), with its counts and rejected rows.

    The rows are imported in one transaction: valid rows are upserted on list type + 认定文书号 +
    name, invalid ones kept as `ListImportRejection`s for the report. A failed import left no
    entry behind; the row here says why it failed.
    """

    permission_area = "lists"

    class Meta(RegistryImport.Meta):
        verbose_name = _("名单导入批次")
        verbose_name_plural = _("名单导入批次")


class ListImportRejection(RejectedRow):
    """A row of a list import that was refused (imports.RejectedRow: cells encrypted, problems)."""

    batch = models.ForeignKey(
        ListImport, models.CASCADE, related_name="rejections", verbose_name=_("批次")
    )

    permission_area = "lists"

    class Meta(RejectedRow.Meta):
        verbose_name = _("名单导入拒收行")
        verbose_name_plural = _("名单导入拒收行")
