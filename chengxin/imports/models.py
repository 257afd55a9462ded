"""Import batches: one uploaded file (or API call), its progress, and the rows it rejected."""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet
from chengxin.core.personal_data import decrypt, encrypt
from chengxin.imports.choices import BatchSource, BatchStatus, RegistryImportStatus
from chengxin.publicity.choices import RecordKind

ACTIVE_STATUSES = (BatchStatus.RUNNING, BatchStatus.RELEASING)


class ImportBatch(ChangeLoggedModel):
    """One import of 双公示 records for one department.

    Rows are validated one by one; valid rows are stored and invalid ones kept as
    `ImportRejection`s for the error report. Rows are written a chunk per short transaction as
    STAGED records (and staged corrections), which no output shows; the batch's commit point is
    the one update that makes it RELEASING, after which its rows are let out in bounded steps
    (imports.pipeline). A batch failed before that point leaves no record behind. One batch per
    department and kind is active at a time. A web upload is stored in `stored_file` until the
    batch ends (finished or failed), then deleted.
    """

    kind = models.CharField(_("类型"), max_length=12, choices=RecordKind.choices)
    department = models.ForeignKey(
        "accounts.Department", models.PROTECT, related_name="+", verbose_name=_("数据来源单位")
    )
    uploaded_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    source = models.CharField(_("来源"), max_length=12, choices=BatchSource.choices)
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("文件 SHA-256"), max_length=64, blank=True)
    stored_file = models.CharField(_("存储路径"), max_length=500, blank=True)
    is_dry_run = models.BooleanField(_("仅校验"), default=False)
    header = models.JSONField(_("表头"), default=list, blank=True)
    encoding = models.CharField(_("编码"), max_length=20, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("总行数（估计）"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("已读行数"), default=0)
    rows_created = models.PositiveIntegerField(_("新增"), default=0)
    rows_updated = models.PositiveIntegerField(_("更正"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    rows_rejected = models.PositiveIntegerField(_("拒收"), default=0)
    error_message = models.TextField(_("错误信息"), blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The process running the batch: a batch left RUNNING by a process that died is failed by
    # the next recovery on that host (imports.pipeline.recover_abandoned, ADR 0016).
    runner_host = models.CharField(_("处理主机"), max_length=255, blank=True)
    runner_pid = models.PositiveIntegerField(_("处理进程号"), null=True, blank=True)

    department_field = "department"
    permission_area = "records"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]
        constraints = [
            # Two batches of one department's records at once would both take a decision
            # number the other staged for a record to correct; the second waits (pipeline._claim).
            models.UniqueConstraint(
                fields=["department", "kind"],
                condition=models.Q(status__in=ACTIVE_STATUSES),
                name="one_active_import_per_department",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.file_name}"

    @property
    def rows_accepted(self) -> int:
        return self.rows_created + self.rows_updated + self.rows_unchanged


class RegistryImport(ChangeLoggedModel):
    """One uploaded file of a register (`core.registers`: officers, power items, list entries,
    the district's set-up files): who sent it, its counts and how it ended. A concrete batch
    model carries its register's permission area, and a `RejectedRow` subclass with the foreign
    key to it (`related_name="rejections"`); `imports.registers.upload_file` fills both. A model
    shared by several registers names the field holding the register's key (`register_field`).
    """

    uploaded_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("文件 SHA-256"), max_length=64, blank=True)
    header = models.JSONField(_("表头"), default=list, blank=True)
    encoding = models.CharField(_("编码"), max_length=20, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=RegistryImportStatus.choices,
        default=RegistryImportStatus.RUNNING,
    )
    rows_read = models.PositiveIntegerField(_("已读行数"), default=0)
    rows_created = models.PositiveIntegerField(_("新增"), default=0)
    rows_updated = models.PositiveIntegerField(_("更新"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    rows_rejected = models.PositiveIntegerField(_("拒收"), default=0)
    error_message = models.TextField(_("错误信息"), blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    register_field = ""
    rejections: Any  # the `RejectedRow` subclass's reverse accessor

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"


class RejectedRow(models.Model):
    """A row an import refused: its original cells and every problem found, for the report.

    Shared by the 双公示 import (`ImportRejection`) and every register's batches
    (`OrganisationImportRejection`, `screening.ListImportRejection` …); each adds the foreign
    key to its own batch.
    """

    row_number = models.PositiveIntegerField(_("行号"))
    # The original cells hold ID numbers: stored encrypted, like every personal number at rest.
    cells_ciphertext = models.TextField(_("原始内容（密文）"))
    errors = models.JSONField(_("问题"))

    batch_id: int

    class Meta:
        abstract = True
        ordering = ["batch", "row_number"]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number}"

    @property
    def cells(self) -> list[str]:
        return list(json.loads(decrypt(self.cells_ciphertext)))

    @staticmethod
    def seal(cells: list[str]) -> str:
        return encrypt(json.dumps(cells, ensure_ascii=False))


class ImportRejection(RejectedRow):
    """A row of a 双公示 import that was refused."""

    batch = models.ForeignKey(
        ImportBatch, models.CASCADE, related_name="rejections", verbose_name=_("批次")
    )

    permission_area = "records"

    class Meta(RejectedRow.Meta):
        verbose_name = _("拒收行")
        verbose_name_plural = _("拒收行")


class OrganisationImport(RegistryImport):
    """A file of the district's set-up (departments, townships, enforcement and issuing bodies,
    list types: `core.registers.Register.setup`) uploaded by the system administrator."""

    register = models.CharField(_("导入内容"), max_length=40)

    permission_area = "departments"
    register_field = "register"

    class Meta(RegistryImport.Meta):
        verbose_name = _("组织机构导入批次")
        verbose_name_plural = _("组织机构导入批次")


class OrganisationImportRejection(RejectedRow):
    """A row of a set-up file that was refused."""

    batch = models.ForeignKey(
        OrganisationImport, models.CASCADE, related_name="rejections", verbose_name=_("批次")
    )

    permission_area = "departments"

    class Meta(RejectedRow.Meta):
        verbose_name = _("组织机构导入拒收行")
        verbose_name_plural = _("组织机构导入拒收行")
