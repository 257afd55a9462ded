"""The power list: categories, items and the adjustments that version them.

A PowerItem row holds the latest version of one power (权力事项), found by its 权力编码. Every
change is a PowerAdjustment (新增 / 变更 / 取消) with reason, document and effective date, and a
snapshot of the item as it stands from that date. The list on a day is, for each item, its last
adjustment effective on or before that day, unless that adjustment is a 取消.

An adjustment comes from a PowerProposal (调整申请) that a department proposed, the rule-of-law
office reviewed and whose approval by the government was recorded (powers.actions), or from a
file of the list as the government published it (powers.registers).
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet
from chengxin.core.workflow import WorkflowEvent
from chengxin.imports.models import RegistryImport, RejectedRow
from chengxin.powers.choices import (
    OPEN_STATUSES,
    AdjustmentKind,
    ProposalEventType,
    ProposalStatus,
)


class PowerCategory(ChangeLoggedModel):
    """A category of the list (行政许可, 行政处罚 …); configurable, seeded with the ten national ones."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    ordering = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    permission_area = "powers"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("权力类别")
        verbose_name_plural = _("权力类别")
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return self.name


def _latest_adjustment(on: datetime.date, field: str) -> Subquery:
    return Subquery(
        PowerAdjustment.objects.filter(item=OuterRef("pk"), effective_on__lte=on)
        .order_by("-effective_on", "-id")
        .values(field)[:1]
    )


class PowerItemQuerySet(RestrictedQuerySet):
    def in_force(self, on: datetime.date | None = None) -> PowerItemQuerySet:
        """The items in the list on `on` (default today): added on or before it, not cancelled
        by then."""
        day = on or timezone.localdate()
        annotated = self.annotate(kind_on=_latest_adjustment(day, "kind"))
        return cast(
            PowerItemQuerySet,
            annotated.filter(kind_on__in=[AdjustmentKind.ADD, AdjustmentKind.CHANGE]),
        )

    def with_version_on(self, on: datetime.date) -> PowerItemQuerySet:
        """Annotate `version_on`: the id of the adjustment in force on `on` (None before any)."""
        return cast(PowerItemQuerySet, self.annotate(version_on=_latest_adjustment(on, "pk")))


class PowerItem(ChangeLoggedModel):
    """One power (权力事项). Its fields are the latest version; only powers.actions writes them."""

    code = models.CharField(_("权力编码"), max_length=50, unique=True)
    name = models.CharField(_("权力名称"), max_length=300)
    category = models.ForeignKey(
        PowerCategory, models.PROTECT, related_name="items", verbose_name=_("权力类别")
    )
    implementing_department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        related_name="power_items",
        verbose_name=_("实施主体"),
    )
    legal_basis = models.TextField(_("设定依据"), max_length=4000)
    counterpart_kind = models.CharField(_("行政相对人类别"), max_length=100, blank=True)
    time_limit = models.CharField(_("办理时限"), max_length=200, blank=True)
    fee_basis = models.CharField(_("收费依据和标准"), max_length=500, blank=True)
    supervision_phone = models.CharField(_("监督电话"), max_length=50, blank=True)
    # 权责清单: what the department must do when it exercises the power, and when its officials
    # are held to account (powers.rules); empty in a list loaded before they were kept.
    duties = models.TextField(_("责任事项"), max_length=4000, blank=True)
    accountability = models.TextField(_("追责情形"), max_length=4000, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0)
    is_cancelled = models.BooleanField(_("已取消"), default=False)

    permission_area = "powers"
    department_field = "implementing_department"
    objects = PowerItemQuerySet.as_manager()

    #: The fields a version (adjustment snapshot) records.
    VERSIONED_FIELDS = (
        "code",
        "name",
        "category",
        "implementing_department",
        "legal_basis",
        "counterpart_kind",
        "time_limit",
        "fee_basis",
        "supervision_phone",
        "duties",
        "accountability",
    )

    class Meta:
        verbose_name = _("权力事项")
        verbose_name_plural = _("权力事项")
        ordering = ["category__ordering", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def snapshot(self) -> dict[str, Any]:
        """The versioned fields as JSON, with the names of the category and department so the
        version reads the same after they are renamed."""
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category.code,
            "category_name": self.category.name,
            "implementing_department": self.implementing_department_id,
            "implementing_department_name": self.implementing_department.name,
            "legal_basis": self.legal_basis,
            "counterpart_kind": self.counterpart_kind,
            "time_limit": self.time_limit,
            "fee_basis": self.fee_basis,
            "supervision_phone": self.supervision_phone,
            "duties": self.duties,
            "accountability": self.accountability,
        }


class PowerAdjustment(models.Model):
    """One versioned adjustment (动态调整) of one item, written only by powers.actions."""

    item = models.ForeignKey(
        PowerItem, models.PROTECT, related_name="adjustments", verbose_name=_("权力事项")
    )
    kind = models.CharField(_("调整类型"), max_length=10, choices=AdjustmentKind.choices)
    version = models.PositiveIntegerField(_("版本"))
    reason = models.TextField(_("调整原因"), max_length=2000)
    document = models.CharField(_("文件依据"), max_length=200)
    effective_on = models.DateField(_("生效日期"), db_index=True)
    snapshot = models.JSONField(_("调整后内容"))
    changed_fields = models.JSONField(_("变更字段"), default=list, blank=True)
    actor = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    permission_area = "powers"

    class Meta:
        verbose_name = _("权力清单调整")
        verbose_name_plural = _("权力清单调整")
        ordering = ["-effective_on", "-id"]
        constraints = [
            models.UniqueConstraint("item", "version", name="one_adjustment_per_item_version"),
        ]
        indexes = [models.Index(fields=["item", "effective_on"], name="powers_adj_item_eff")]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.version} {self.get_kind_display()}"

    @property
    def changed_labels(self) -> list[str]:
        """The labels of the fields a 变更 changed (权力名称, 办理时限 …)."""
        fields = [PowerItem._meta.get_field(name) for name in self.changed_fields]
        return [str(getattr(field, "verbose_name", field.name)) for field in fields]


class PowerProposalQuerySet(RestrictedQuerySet):
    def filtered(
        self,
        today: datetime.date,
        *,
        status: str = "",
        kind: str = "",
        overdue: bool = False,
    ) -> PowerProposalQuerySet:
        """The proposals page's filter: `status` "" those under way, "all" every one; `overdue`
        those submitted whose review time limit passed before `today`."""
        proposals = self
        if status == "":
            proposals = proposals.filter(status__in=OPEN_STATUSES)
        elif status != "all":
            proposals = proposals.filter(status=status)
        if kind:
            proposals = proposals.filter(kind=kind)
        if overdue:
            proposals = proposals.filter(status=ProposalStatus.SUBMITTED, due_on__lt=today)
        return proposals


class PowerProposal(ChangeLoggedModel):
    """调整申请: a 新增, 变更 or 取消 of one item as a department proposes it, until its approval
    writes the PowerAdjustment (`adjustment`). Written only by powers.actions.

    `values` are the proposed versioned fields (category and implementing department by id),
    empty for a 取消; `base_version` the item's version the proposal was made against (0 for a
    new 权力编码): a proposal overtaken by another adjustment is not approved."""

    kind = models.CharField(_("调整类型"), max_length=10, choices=AdjustmentKind.choices)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ProposalStatus.choices,
        default=ProposalStatus.SUBMITTED,
        db_index=True,
    )
    code = models.CharField(_("权力编码"), max_length=50)
    item = models.ForeignKey(
        PowerItem,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("权力事项"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        related_name="power_proposals",
        verbose_name=_("申报单位"),
    )
    values = models.JSONField(_("申请内容"), default=dict, blank=True)
    changed_fields = models.JSONField(_("变更字段"), default=list, blank=True)
    base_version = models.PositiveIntegerField(_("申请时版本"), default=0)
    reason = models.TextField(_("调整原因"), max_length=2000)
    effective_on = models.DateField(_("拟生效日期"))
    proposed_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("申报人")
    )
    submitted_on = models.DateField(_("提交日期"))
    due_on = models.DateField(_("审核期限"))
    reviewed_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    review_opinion = models.TextField(_("审核意见"), max_length=2000, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批准登记人"),
    )
    approval_document = models.CharField(_("批准文号"), max_length=200, blank=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    adjustment = models.OneToOneField(
        PowerAdjustment,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("调整记录"),
    )

    # An area of its own: a department's liaison proposes and sees its own department's
    # proposals, while the list itself is everyone's to read (accounts.permissions).
    permission_area = "power_proposals"
    department_field = "department"
    objects = PowerProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("权力清单调整申请")
        verbose_name_plural = _("权力清单调整申请")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(status__in=[status.value for status in OPEN_STATUSES]),
                name="one_open_proposal_per_code",
                violation_error_message=_("该权力编码已有办理中的调整申请。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def name(self) -> str:
        """The item's name as proposed (as listed, for a 取消)."""
        if self.values.get("name"):
            return str(self.values["name"])
        return self.item.name if self.item is not None else ""

    @property
    def changed_labels(self) -> list[str]:
        fields = [PowerItem._meta.get_field(name) for name in self.changed_fields]
        return [str(getattr(field, "verbose_name", field.name)) for field in fields]

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == ProposalStatus.SUBMITTED and self.due_on < today


class PowerProposalEvent(WorkflowEvent):
    """One step of a proposal, written only by powers.actions."""

    proposal = models.ForeignKey(
        PowerProposal, models.CASCADE, related_name="events", verbose_name=_("调整申请")
    )
    type = models.CharField(_("环节"), max_length=16, choices=ProposalEventType.choices)
    note = models.TextField(_("说明"), blank=True)

    permission_area = "power_proposals"

    class Meta:
        verbose_name = _("调整申请办理记录")
        verbose_name_plural = _("调整申请办理记录")
        ordering = ["proposal", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.type}"


class PowerImport(RegistryImport):
    """One uploaded file of power items: each valid row is a 新增 or 变更 with the batch's reason,
    document and effective date; invalid rows are kept for the report."""

    reason = models.TextField(_("调整原因"), max_length=2000)
    document = models.CharField(_("文件依据"), max_length=200)
    effective_on = models.DateField(_("生效日期"))

    rows_updated = models.PositiveIntegerField(_("变更"), default=0)

    permission_area = "powers"

    class Meta(RegistryImport.Meta):
        verbose_name = _("权力事项导入批次")
        verbose_name_plural = _("权力事项导入批次")


class PowerImportRejection(RejectedRow):
    """A row of a power item import that was refused (imports.RejectedRow)."""

    batch = models.ForeignKey(
        PowerImport, models.CASCADE, related_name="rejections", verbose_name=_("批次")
    )

    permission_area = "powers"

    class Meta(RejectedRow.Meta):
        verbose_name = _("权力事项导入拒收行")
        verbose_name_plural = _("权力事项导入拒收行")
