"""双公示 records: administrative licensing and penalty decisions in the national standard."""

from __future__ import annotations

import datetime
import decimal
import hashlib
from collections.abc import Collection
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from chengxin.core.identifiers import mask_id_number
from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet
from chengxin.core.personal_data import blind_index, decrypt, encrypt
from chengxin.publicity import hooks, standard, visibility
from chengxin.publicity.choices import RecordKind, RecordStatus, Severity, Timeliness
from chengxin.subjects.actions import link_record, needs_linking
from chengxin.subjects.choices import SubjectCategory


class RecordQuerySet(RestrictedQuerySet):
    def published(self) -> RecordQuerySet:
        return self.filter(status=RecordStatus.PUBLISHED)

    def publicly_visible(self, on: datetime.date | None = None) -> RecordQuerySet:
        """What the public may see on `on` (today): published, not withdrawn, not expired.

        The one definition used by the portal, its API, search, exports to the public and
        credit reports.
        """
        day = on or timezone.localdate()
        return self.filter(status=RecordStatus.PUBLISHED, public_until__gte=day)

    def decided_between(self, start: datetime.date, end: datetime.date) -> RecordQuerySet:
        return self.filter(decision_date__gte=start, decision_date__lte=end)


class RecordManager(models.Manager.from_queryset(RecordQuerySet)):  # type: ignore[misc]
    """Records any output may read: all but an import's STAGED rows, which wait for their batch's
    commit point (ADR 0017). The import pipeline reads those through `DecisionRecord.staging`."""

    def get_queryset(self) -> RecordQuerySet:
        queryset: RecordQuerySet = super().get_queryset()
        return queryset.exclude(status=RecordStatus.STAGED)


def text(label: StrOrPromise, max_length: int) -> models.CharField[str, str]:
    return models.CharField(label, max_length=max_length, blank=True)


class DecisionRecord(ChangeLoggedModel):
    """Fields and workflow shared by licensing and penalty records (the 行政相对人 block etc.)."""

    kind: ClassVar[str]

    # No index of its own: the unique (department, decision_number) index serves it.
    department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        db_index=False,
        related_name="+",
        verbose_name=_("数据来源单位"),
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # the (subject, decision date) index serves it
        related_name="+",
        verbose_name=_("信用主体"),
    )
    subject_name = text(_("行政相对人名称"), 200)
    subject_category = models.CharField(
        _("行政相对人类别"), max_length=24, choices=SubjectCategory.choices
    )
    subject_credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    business_registration_number = text(_("工商注册号"), 50)
    organisation_code = text(_("组织机构代码"), 9)
    tax_registration_number = text(_("税务登记号"), 20)
    institution_certificate_number = text(_("事业单位证书号"), 12)
    social_organisation_number = text(_("社会组织登记证号"), 50)
    legal_representative = text(_("法定代表人"), 50)
    legal_representative_id_type = text(_("法定代表人证件类型"), 64)
    legal_representative_id_ciphertext = models.TextField(
        _("法定代表人证件号码（密文）"), blank=True, editable=False
    )
    legal_representative_id_masked = text(_("法定代表人证件号码"), 64)
    id_type = text(_("证件类型"), 64)
    id_number_ciphertext = models.TextField(_("证件号码（密文）"), blank=True, editable=False)
    id_number_index = models.CharField(_("证件号码索引"), max_length=64, blank=True, editable=False)
    id_number_masked = text(_("证件号码"), 64)
    decision_number = models.CharField(_("决定文书号"), max_length=128)
    decision_date = models.DateField(_("决定日期"), db_index=True)
    content = models.TextField(_("内容"), max_length=4000)
    authority = text(_("决定机关"), 200)
    authority_credit_code = text(_("决定机关统一社会信用代码"), 18)
    data_source = text(_("数据来源单位名称"), 200)
    data_source_credit_code = text(_("数据来源单位统一社会信用代码"), 18)
    remark = text(_("备注"), 512)

    status = models.CharField(
        _("状态"), max_length=12, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    deadline = models.DateField(_("公示期限"), help_text=_("决定日期后第 7 个工作日"))
    timeliness = models.CharField(
        _("及时性"), max_length=12, choices=Timeliness.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)
    revoked_on = models.DateField(_("决定被撤销等的日期"), null=True, blank=True)
    is_withdrawal_late = models.BooleanField(_("撤回超时"), default=False)
    public_until = models.DateField(
        _("公开至"), null=True, blank=True, help_text=_("按公示期规则计算；空表示不公开")
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    content_hash = models.CharField(_("内容指纹"), max_length=64, editable=False)
    # No index: batches are history and never deleted, and nothing lists records by batch.
    batch = models.ForeignKey(
        "imports.ImportBatch",
        models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("导入批次"),
    )

    department_field = "department"
    permission_area = "records"
    audit_exclude_fields = frozenset(
        {"id_number_ciphertext", "id_number_index", "legal_representative_id_ciphertext"}
    )
    objects = RecordManager()
    # Every record, STAGED ones included: for the import pipeline (publicity.release) only.
    staging = RecordQuerySet.as_manager()

    # Plaintext personal numbers, only while a record is being validated and saved.
    _plain: dict[str, str]

    class Meta:
        abstract = True
        ordering = ["-decision_date", "-id"]

    def __str__(self) -> str:
        return f"{self.decision_number} {self.subject_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.status not in UNLINKED_STATUSES and needs_linking(self):
            # Every path that saves a record (form, correction, withdrawal, case, API) links
            # it here, in the same transaction; the database refuses one left without.
            link_record(self)
        values = self.standard_values()
        self.content_hash = content_hash(self.kind, values)
        self.public_until = visibility.public_until(
            self.kind, values, getattr(self, "severity", "")
        )
        ended = getattr(self, "publicity_ended_on", None)
        if ended is not None and self.public_until is not None and self.public_until >= ended:
            # Publicity stopped early by credit repair (终止公示): public up to the day before.
            self.public_until = ended - datetime.timedelta(days=1)
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        """A record is linked to its subject by save(): validating it before then is no error.
        Django checks the unique decision number through the default manager, which leaves an
        import's staged rows out; the database would still refuse one of them, so say it here."""
        super().validate_constraints(exclude={*(exclude or ()), "subject"})
        if "decision_number" in (exclude or ()) or not self.department_id:
            return
        staged = type(self).staging.filter(
            department_id=self.department_id,
            decision_number=self.decision_number,
            status=RecordStatus.STAGED,
        )
        if staged.exclude(pk=self.pk).exists():
            raise ValidationError(
                {"decision_number": _("本单位正在导入相同决定文书号的记录，请待该批次完成后再试。")}
            )

    def clean(self) -> None:
        super().clean()
        if self.department_id and not self.data_source_credit_code:
            # The submitting department is the 数据来源单位 unless the record says otherwise.
            self.data_source, self.data_source_credit_code = (
                self.department.name,
                self.department.credit_code,
            )
        values = self.standard_values()
        department_code = self.department.credit_code if self.department_id else ""
        problems = standard.check(
            self.kind, values, today=timezone.localdate(), department_code=department_code
        )
        if problems:
            raise standard.problems_to_validation_error(problems)

    def display(self, attr: str) -> Any:
        """A field as people read it: choice labels, amounts without trailing zeros, categories
        joined with 、, dates as YYYY-MM-DD."""
        field = self._meta.get_field(attr)
        if getattr(field, "choices", None):
            return self._get_FIELD_display(field)  # type: ignore[attr-defined]
        value = getattr(self, attr)
        if isinstance(value, decimal.Decimal):
            return format(value.normalize(), "f")
        if attr == "penalty_categories" and isinstance(value, str):
            return value.replace(";", "、")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def requires_change_reason(self) -> bool:
        """A published record is only changed with a reason (a 更正 or a 撤回)."""
        return (self._loaded_values or {}).get("status") == RecordStatus.PUBLISHED

    def set_personal_numbers(
        self, *, id_number: str = "", legal_representative_id_number: str = ""
    ) -> None:
        """Store ID numbers encrypted, with a blind index and a masked copy (never in plaintext)."""
        self._plain = {
            "id_number": id_number,
            "legal_representative_id_number": legal_representative_id_number,
        }
        self.id_number_ciphertext = encrypt(id_number) if id_number else ""
        self.id_number_index = blind_index(id_number) if id_number else ""
        self.id_number_masked = mask_id_number(id_number)
        self.legal_representative_id_ciphertext = (
            encrypt(legal_representative_id_number) if legal_representative_id_number else ""
        )
        self.legal_representative_id_masked = mask_id_number(legal_representative_id_number)

    def standard_values(self) -> dict[str, Any]:
        """The record's values keyed as in `standard`, ID numbers in plaintext (for checks only)."""
        plain = getattr(self, "_plain", None) or {
            "id_number": decrypt(self.id_number_ciphertext) if self.id_number_ciphertext else "",
            "legal_representative_id_number": (
                decrypt(self.legal_representative_id_ciphertext)
                if self.legal_representative_id_ciphertext
                else ""
            ),
        }
        values = {
            field.attr: plain.get(field.attr, getattr(self, field.attr, None))
            for field in standard.FIELDS[self.kind]
        }
        if self.kind == RecordKind.PENALTY:
            values["penalty_categories"] = standard.split_categories(
                values["penalty_categories"] or ""
            )
        return values

    def compute_content_hash(self) -> str:
        return content_hash(self.kind, self.standard_values())


PERSONAL_NUMBERS = ("id_number", "legal_representative_id_number")


def content_hash(kind: str, values: dict[str, Any]) -> str:
    """SHA-256 over the standard fields: an equal hash means a re-import changes nothing.

    ID numbers enter as their keyed blind index: a plain hash of an ID number could be reversed
    by trying every possible number.
    """
    payload = []
    for attr in standard.attrs(kind):
        value = values.get(attr)
        if attr in standard.EXTENSION_ATTRS and not value:
            continue
        if value is None:
            payload.append("")
        elif type(value) is str:
            payload.append(blind_index(value) if value and attr in PERSONAL_NUMBERS else value)
        elif isinstance(value, list):
            payload.append(";".join(value))
        elif isinstance(value, decimal.Decimal):
            payload.append(format(value.normalize(), "f"))
        else:
            payload.append(str(value))
    return hashlib.sha256("\x1f".join(payload).encode()).hexdigest()


UNLINKED_STATUSES = (RecordStatus.DRAFT, RecordStatus.STAGED)
"""A draft, or an import's row before its batch links it, may lack a subject; no other record."""


def record_constraints(prefix: str, duplicate_message: StrOrPromise) -> list[models.BaseConstraint]:
    """One record per 数据来源单位 and 决定文书号 (the key re-imports update by), and no record past
    the draft without its subject: staff would see it published while the public could not."""
    return [
        models.UniqueConstraint(
            "department",
            "decision_number",
            name=f"unique_{prefix}_decision_number",
            violation_error_message=duplicate_message,
        ),
        models.CheckConstraint(
            condition=models.Q(status__in=UNLINKED_STATUSES) | models.Q(subject__isnull=False),
            name=f"{prefix}_linked_to_subject",
            violation_error_message=_("记录未关联信用主体：请检查行政相对人名称、类别和证件号码。"),
        ),
    ]


def record_indexes(prefix: str) -> list[models.Index]:
    return [
        models.Index("status", "decision_date", name=f"{prefix}_status_date"),
        # A subject's public records, newest first (subject page, credit report). With status in it,
        # SQLite (no statistics) prefers it to the status index, which would walk every record;
        # with id in it, PostgreSQL reads the order (decision date, then id) without a sort.
        models.Index(
            fields=["subject", "status", "decision_date", "id"], name=f"{prefix}_subject_date"
        ),
        # The few records not yet linked to a subject (during an import): a tiny index that
        # keeps subjects.link_subjects from scanning the table after every chunk.
        models.Index(
            fields=["id"], condition=models.Q(subject__isnull=True), name=f"{prefix}_unlinked"
        ),
    ]


class LicenseRecord(DecisionRecord):
    """An administrative licensing decision (行政许可) as published under 双公示 (行政许可法 art. 40)."""

    kind = RecordKind.LICENSE

    document_name = text(_("行政许可决定文书名称"), 128)
    license_category = text(_("许可类别"), 64)
    certificate_name = text(_("许可证书名称"), 64)
    license_number = text(_("许可编号"), 64)
    valid_from = models.DateField(_("有效期自"), null=True, blank=True)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    license_state = models.CharField(_("当前状态"), max_length=1, blank=True, default="1")
    # The power-list item (权力事项) the licence was granted under (domain rules §8).
    power_item = models.ForeignKey(
        "powers.PowerItem",
        models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # nothing lists licences by power item; imports stay lean
        related_name="+",
        verbose_name=_("权力事项"),
    )

    class Meta(DecisionRecord.Meta):
        verbose_name = _("行政许可信息")
        verbose_name_plural = _("行政许可信息")
        constraints = record_constraints("license", _("本单位已有相同行政许可决定文书号的记录。"))
        indexes = record_indexes("license")


class PenaltyRecord(DecisionRecord):
    """An administrative penalty decision (行政处罚) as published under 双公示 (行政处罚法 art. 48)."""

    kind = RecordKind.PENALTY

    violation_type = models.TextField(_("违法行为类型"), max_length=2000, blank=True)
    violation_facts = models.TextField(_("违法事实"), max_length=2000, blank=True)
    legal_basis = models.TextField(_("处罚依据"), max_length=2048, blank=True)
    penalty_categories = text(_("处罚类别"), 200)
    fine_amount = models.DecimalField(
        _("罚款金额（万元）"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    confiscation_amount = models.DecimalField(
        _("没收违法所得、没收非法财物的金额（万元）"),
        max_digits=18,
        decimal_places=6,
        null=True,
        blank=True,
    )
    suspended_licence = text(_("暂扣或吊销证照名称及编号"), 200)
    # Our extension of the standard (CF_JYCX, docs/data-standard.md): the national field set
    # has no code for it, and 《信用修复管理办法》（国家发展改革委令第36号）第八条 makes such penalties 轻微.
    is_summary_procedure = models.BooleanField(
        _("简易程序"),
        default=False,
        help_text=_(
            "当场作出的行政处罚（《行政处罚法》第五十一条：警告，或对公民 200 元以下、"
            "对法人或者其他组织 3000 元以下罚款）"
        ),
    )
    severity = models.CharField(
        _("失信行为严重程度"),
        max_length=8,
        choices=Severity.choices,
        blank=True,
        help_text=_("由信用办认定；决定日期在 2026-04-01 以后的处罚按此确定公示期"),
    )
    proposed_severity = models.CharField(
        _("部门建议的严重程度"), max_length=8, choices=Severity.choices, blank=True
    )
    penalty_valid_until = models.DateField(_("处罚有效期"), null=True, blank=True)
    publicity_end_date = models.DateField(_("公示截止期"), null=True, blank=True)
    # Credit repair (信用修复) approved: publication ends on this date, for good.
    publicity_ended_on = models.DateField(_("终止公示日期"), null=True, blank=True)
    repair_receipt_number = models.CharField(_("信用修复受理编号"), max_length=24, blank=True)
    # The power-list item and the online case (执法案件) the penalty was decided in; a record of an
    # enforcement body without a case is 网外循环 (cases.rules.check_penalty_case,
    # registered in publicity.hooks).
    power_item = models.ForeignKey(
        "powers.PowerItem",
        models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("权力事项"),
    )
    case = models.ForeignKey(
        "cases.Case",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="penalty_records",
        verbose_name=_("执法案件"),
    )

    class Meta(DecisionRecord.Meta):
        verbose_name = _("行政处罚信息")
        verbose_name_plural = _("行政处罚信息")
        constraints = record_constraints("penalty", _("本单位已有相同行政处罚决定书文号的记录。"))
        indexes = [
            *record_indexes("penalty"),
            # A body's record with a 决定书文号: linking a decided case (cases.actions) and the
            # 网外循环 report look records up by 处罚机关代码 and 文号, not by 数据来源单位.
            models.Index(
                fields=["authority_credit_code", "decision_number"], name="penalty_authority_number"
            ),
        ]

    def clean(self) -> None:
        super().clean()
        # The case rule lives with the cases app, which builds on this one (publicity.hooks).
        for check in hooks.PENALTY_CHECKS:
            check(self)


RECORD_MODELS: dict[str, type[DecisionRecord]] = {
    RecordKind.LICENSE: LicenseRecord,
    RecordKind.PENALTY: PenaltyRecord,
}


class RecordVersion(models.Model):
    """A previous version of a record, kept when a correction (更正) replaces it."""

    kind = models.CharField(_("类型"), max_length=12, choices=RecordKind.choices)
    record_id = models.BigIntegerField(_("记录编号"))
    version = models.PositiveIntegerField(_("版本"))
    data = models.JSONField(_("内容"))
    reason = models.TextField(_("更正原因"), blank=True)
    replaced_at = models.DateTimeField(_("被替换时间"), default=timezone.now)
    replaced_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("更正人"),
    )
    batch = models.ForeignKey(
        "imports.ImportBatch",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("导入批次"),
    )

    permission_area = "records"

    class Meta:
        verbose_name = _("记录历史版本")
        verbose_name_plural = _("记录历史版本")
        ordering = ["kind", "record_id", "-version"]
        constraints = [
            models.UniqueConstraint("kind", "record_id", "version", name="unique_record_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.record_id} v{self.version}"


class StagedCorrection(models.Model):
    """A correction (更正) an import read, waiting for its batch's commit point: the record's new
    column values, applied with a `RecordVersion` when the batch is released (publicity.release).
    Holds no plaintext ID number: the values carry the numbers sealed, as the record stores them.
    """

    batch = models.ForeignKey(
        "imports.ImportBatch",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("导入批次"),
    )
    kind = models.CharField(_("类型"), max_length=12, choices=RecordKind.choices)
    record_id = models.BigIntegerField(_("记录编号"))
    base_version = models.PositiveIntegerField(_("更正所依据的版本"))
    values = models.JSONField(_("更正后的内容"), encoder=DjangoJSONEncoder)
    reason = models.TextField(_("更正原因"), blank=True)

    permission_area = "records"

    class Meta:
        verbose_name = _("待入库的更正")
        verbose_name_plural = _("待入库的更正")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.record_id} ← v{self.base_version}"
