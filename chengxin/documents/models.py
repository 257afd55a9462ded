"""Normative documents (规范性文件): the bodies that may issue them, each document from its
registered draft to its clean-up, the legality review, the public's comments and the counters of
the unified numbers."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet
from chengxin.core.workflow import WorkflowEvent
from chengxin.documents import rules
from chengxin.documents.choices import (
    PUBLISHED_STATUSES,
    BodyKind,
    CleanupResult,
    CommentHandling,
    DeliberationResult,
    DocumentStatus,
    EventType,
    FilingTimeliness,
    ReviewResult,
    Validity,
)

if TYPE_CHECKING:
    from chengxin.accounts.models import Department


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


class IssuingBodyQuerySet(RestrictedQuerySet):
    def confirmed(self) -> IssuingBodyQuerySet:
        """The bodies the district confirmed as 制定主体 and still active: the public list."""
        return self.filter(is_confirmed=True, is_active=True)


class IssuingBody(ChangeLoggedModel):
    """A body confirmed to issue normative documents (制定主体), e.g. 区人民政府 (code 台政规) or
    区市场监督管理局 (台市监规). Its code starts its documents' numbers."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    code = models.CharField(
        _("文号代字"),
        max_length=20,
        unique=True,
        help_text=_("机关简称加“规”，如区政府“×政规”、区市场监管局“×市监规”。"),
    )
    kind = models.CharField(_("类型"), max_length=32, choices=BodyKind.choices)
    department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("对应部门"),
        help_text=_("该部门的法治联络员可登记和办理本主体的文件。"),
    )
    filing_authority = models.CharField(
        _("备案机关"), max_length=100, help_text=_("文件公布后报送备案的上级机关。")
    )
    number_pattern = models.CharField(
        _("编号格式"),
        max_length=60,
        blank=True,
        help_text=_("留空则使用本地设置的统一格式，如 {code}〔{year}〕{seq}号。"),
    )
    reviewing_unit = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("合法性审核机构"),
        help_text=_(
            "留空按国办发〔2018〕115号确定：区政府（含办公室）和镇街的文件由司法局审核，"
            "部门和派出机构的文件由本部门法制机构审核。"
        ),
    )
    is_confirmed = models.BooleanField(_("已确认为制定主体"), default=True)
    confirmed_on = models.DateField(_("确认日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    permission_area = "documents"
    department_field = "department"
    objects = IssuingBodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("制定主体")
        verbose_name_plural = _("制定主体")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.number_pattern:
            try:
                rules.check_pattern(self.number_pattern)
            except ValidationError as exc:
                raise ValidationError({"number_pattern": exc.messages}) from exc
        if self.reviewing_unit_id is None:
            self.reviewing_unit = self.default_reviewing_unit()

    def default_reviewing_unit(self) -> Department | None:
        """The reviewing unit 国办发〔2018〕115号 names: a government's documents (区政府 and its
        office) are reviewed by the government's 司法行政部门 (法制机构), a department's by its
        own 法制机构. A township's go to the district's justice bureau too, the usual local
        practice where a township has no legal office of its own."""
        if self.kind in (BodyKind.DEPARTMENT, BodyKind.BRANCH_OFFICE):
            return self.department
        return government_legal_office()

    def review_unit(self) -> Department | None:
        """The unit whose legal reviewers review this body's documents."""
        return self.reviewing_unit or self.default_reviewing_unit()

    def effective_pattern(self) -> str:
        """The body's own pattern, or the local setting's, checked: the setting is typed outside
        this model's `clean`, so a broken one is refused here with a message, not a crash."""
        from chengxin.core import local_settings

        pattern = self.number_pattern or str(local_settings.get(rules.NUMBER_PATTERN.key))
        try:
            rules.check_pattern(pattern)
        except ValidationError as exc:
            raise ValidationError(
                _("制定主体“%(body)s”的编号格式“%(pattern)s”不可用：%(problem)s")
                % {"body": self.name, "pattern": pattern, "problem": " ".join(exc.messages)}
            ) from exc
        return pattern


def government_legal_office() -> Department | None:
    """The district's justice bureau (司法局, the government's 法制机构): the one active
    department so named; None when there is none or more than one (then each body names its
    reviewing unit)."""
    from chengxin.accounts.models import Department

    found = list(Department.objects.filter(is_active=True, name__endswith="司法局")[:2])
    return found[0] if len(found) == 1 else None


class NumberCounter(ChangeLoggedModel):
    """The last sequence number issued by one body in one year. Incremented only by
    `numbering.next_sequence`, inside the issuing transaction, so a rolled-back issue leaves no
    gap and a committed number is never handed out again."""

    issuing_body = models.ForeignKey(
        IssuingBody, models.PROTECT, related_name="counters", verbose_name=_("制定主体")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    last_sequence = models.PositiveIntegerField(_("已用序号"), default=0)

    permission_area = "documents"

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        ordering = ["issuing_body", "year"]
        constraints = [
            models.UniqueConstraint("issuing_body", "year", name="one_counter_per_body_and_year")
        ]

    def __str__(self) -> str:
        return f"{self.issuing_body_id} {self.year}: {self.last_sequence}"


class NormativeDocumentQuerySet(RestrictedQuerySet):
    def published(self) -> NormativeDocumentQuerySet:
        """Documents the public may read (published, also when later abolished or invalid)."""
        return self.filter(status__in=PUBLISHED_STATUSES)

    def in_force(self, on: datetime.date | None = None) -> NormativeDocumentQuerySet:
        """Published, in effect and within validity on `on`: no job needs to run for a document
        to lapse, the day after its `valid_until` it is no longer here."""
        day = _today(on)
        return self.filter(
            status=DocumentStatus.PUBLISHED, effective_on__lte=day, valid_until__gte=day
        )

    def current(self, on: datetime.date | None = None) -> NormativeDocumentQuerySet:
        """In force or published and awaiting its entry into force: the public register."""
        return self.filter(status=DocumentStatus.PUBLISHED, valid_until__gte=_today(on))

    def lapsed(self, on: datetime.date | None = None) -> NormativeDocumentQuerySet:
        """失效: past validity, or declared invalid in a clean-up."""
        day = _today(on)
        return self.filter(
            Q(status=DocumentStatus.DECLARED_INVALID)
            | Q(status=DocumentStatus.PUBLISHED, valid_until__lt=day)
        )

    def expiring(self, on: datetime.date | None = None) -> NormativeDocumentQuerySet:
        """In force and at most six months from the end of validity (the reminder list)."""
        day = _today(on)
        return self.in_force(day).filter(valid_until__lte=rules.reminder_horizon(day))

    def open_for_comment(self, on: datetime.date | None = None) -> NormativeDocumentQuerySet:
        day = _today(on)
        return self.filter(
            status=DocumentStatus.COMMENTING,
            comment_starts_on__lte=day,
            comment_recorded_on__lte=day,
            comment_ends_on__gte=day,
        )

    def awaiting_filing(self) -> NormativeDocumentQuerySet:
        return self.published().filter(filed_on__isnull=True)

    def filing_overdue(self, on: datetime.date | None = None) -> NormativeDocumentQuerySet:
        """Published, not filed, and past the filing deadline (the deadline day itself is not
        overdue)."""
        return self.awaiting_filing().filter(filing_due__lt=_today(on))

    def with_validity(self, on: datetime.date | None = None) -> NormativeDocumentQuerySet:
        day = _today(on)
        annotated: NormativeDocumentQuerySet = self.annotate(
            validity=Case(
                When(status=DocumentStatus.ABOLISHED, then=Value(Validity.ABOLISHED)),
                When(status=DocumentStatus.DECLARED_INVALID, then=Value(Validity.EXPIRED)),
                When(
                    status=DocumentStatus.PUBLISHED,
                    valid_until__lt=day,
                    then=Value(Validity.EXPIRED),
                ),
                When(
                    status=DocumentStatus.PUBLISHED,
                    effective_on__gt=day,
                    then=Value(Validity.NOT_YET_EFFECTIVE),
                ),
                When(status=DocumentStatus.PUBLISHED, then=Value(Validity.IN_FORCE)),
                default=Value(Validity.NOT_PUBLISHED),
                output_field=models.CharField(),
            )
        )
        return annotated

    def with_filing_timeliness(self, on: datetime.date | None = None) -> NormativeDocumentQuerySet:
        day = _today(on)
        annotated: NormativeDocumentQuerySet = self.annotate(
            filing_timeliness=Case(
                When(published_on__isnull=True, then=Value("")),
                When(
                    filed_on__isnull=False,
                    filed_on__lte=models.F("filing_due"),
                    then=Value(FilingTimeliness.ON_TIME),
                ),
                When(filed_on__isnull=False, then=Value(FilingTimeliness.LATE)),
                When(filing_due__lt=day, then=Value(FilingTimeliness.OVERDUE)),
                default=Value(FilingTimeliness.PENDING),
                output_field=models.CharField(),
            )
        )
        return annotated


class NormativeDocument(ChangeLoggedModel):
    """One normative document (行政规范性文件), from the draft its drafting unit registers to its
    clean-up. The unified number is assigned once, at issue, and kept for good."""

    issuing_body = models.ForeignKey(
        IssuingBody, models.PROTECT, related_name="documents", verbose_name=_("制定主体")
    )
    # The issuing body's department, copied at registration: the row-level scope.
    department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属部门"),
    )
    title = models.CharField(_("文件名称"), max_length=200)
    is_provisional = models.BooleanField(
        _("暂行/试行"), default=False, help_text=_("名称含“暂行”“试行”的自动认定，有效期 2 年。")
    )
    drafting_unit = models.CharField(_("起草单位"), max_length=200)
    summary = models.TextField(_("起草说明"), blank=True)
    body = models.TextField(_("正文"))
    status = models.CharField(
        _("状态"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    registered_on = models.DateField(_("登记日期"), default=timezone.localdate)

    comment_starts_on = models.DateField(_("征求意见开始日期"), null=True, blank=True)
    comment_ends_on = models.DateField(_("征求意见截止日期"), null=True, blank=True)
    comment_shortened_reason = models.TextField(_("征求意见期限较短的理由"), blank=True)
    # The day the comment period was recorded: online comment starts no earlier (ADR 0010).
    comment_recorded_on = models.DateField(
        _("征求意见录入日期"), null=True, blank=True, editable=False
    )
    comment_backfill_reason = models.TextField(_("征求意见补录理由"), blank=True)
    comment_waiver_reason = models.TextField(_("不公开征求意见的理由"), blank=True)

    meeting = models.CharField(_("审议会议"), max_length=200, blank=True)
    deliberated_on = models.DateField(_("审议日期"), null=True, blank=True)
    deliberation_result = models.CharField(
        _("审议结果"), max_length=24, choices=DeliberationResult.choices, blank=True
    )

    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    number_year = models.PositiveSmallIntegerField(_("编号年度"), null=True, blank=True)
    number_sequence = models.PositiveIntegerField(_("编号序号"), null=True, blank=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True, db_index=True)

    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    publication_channel = models.CharField(_("公布载体"), max_length=200, blank=True)
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    early_effect_reason = models.TextField(_("提前施行的理由"), blank=True)
    validity_years = models.PositiveSmallIntegerField(_("有效期（年）"), null=True, blank=True)
    # The first day of the current validity: the 施行日期, or the day of re-publication after a
    # clean-up continued the document (the validity is counted anew from it).
    validity_starts_on = models.DateField(_("有效期起算日"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, db_index=True)
    republished_on = models.DateField(_("重新公布日期"), null=True, blank=True)
    republication_channel = models.CharField(_("重新公布载体"), max_length=200, blank=True)

    filing_due = models.DateField(_("备案期限"), null=True, blank=True, db_index=True)
    filed_on = models.DateField(_("报送备案日期"), null=True, blank=True)
    filed_with = models.CharField(_("备案机关"), max_length=100, blank=True)
    filing_reference = models.CharField(_("备案登记号"), max_length=60, blank=True)

    ended_on = models.DateField(_("废止/失效日期"), null=True, blank=True)

    permission_area = "documents"
    department_field = "department"
    objects = NormativeDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("规范性文件")
        verbose_name_plural = _("规范性文件")
        ordering = ["-registered_on", "-id"]
        constraints = [
            # The last line of defence behind numbering.next_sequence: never two documents of
            # one body with the same year and sequence.
            models.UniqueConstraint(
                "issuing_body",
                "number_year",
                "number_sequence",
                condition=Q(number_sequence__isnull=False),
                name="unique_document_number_per_body_and_year",
            ),
            models.CheckConstraint(
                condition=Q(number_sequence__isnull=True) | Q(number_year__isnull=False),
                name="document_number_has_year",
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until"], name="documents_status_valid")]

    def __str__(self) -> str:
        return self.document_number or self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if rules.is_provisional_title(self.title):
            self.is_provisional = True
        super().save(*args, **kwargs)

    def validity_on(self, on: datetime.date | None = None) -> str:
        """The document's Validity on `on` (the same rule as `with_validity`)."""
        day = _today(on)
        if self.status == DocumentStatus.ABOLISHED:
            return Validity.ABOLISHED
        if self.status == DocumentStatus.DECLARED_INVALID:
            return Validity.EXPIRED
        if self.status != DocumentStatus.PUBLISHED:
            return Validity.NOT_PUBLISHED
        assert self.valid_until is not None and self.effective_on is not None
        if self.valid_until < day:
            return Validity.EXPIRED
        if self.effective_on > day:
            return Validity.NOT_YET_EFFECTIVE
        return Validity.IN_FORCE

    def validity_label(self) -> str:
        return str(Validity(self.validity_on()).label)

    def filing_timeliness_on(self, on: datetime.date | None = None) -> str:
        if self.published_on is None or self.filing_due is None:
            return ""
        if self.filed_on is not None:
            return (
                FilingTimeliness.ON_TIME
                if self.filed_on <= self.filing_due
                else (FilingTimeliness.LATE)
            )
        return (
            FilingTimeliness.OVERDUE if self.filing_due < _today(on) else (FilingTimeliness.PENDING)
        )

    @property
    def comment_online_starts_on(self) -> datetime.date | None:
        """The first day of online comment: never before the period was recorded."""
        if self.comment_starts_on is None:
            return None
        recorded = self.comment_recorded_on or self.comment_starts_on
        return rules.online_starts_on(self.comment_starts_on, recorded)

    @property
    def is_comment_backfilled(self) -> bool:
        return (
            self.comment_starts_on is not None
            and self.comment_recorded_on is not None
            and self.comment_starts_on < self.comment_recorded_on
            and bool(self.comment_backfill_reason.strip())
        )

    @property
    def is_open_for_comment(self) -> bool:
        today = timezone.localdate()
        starts = self.comment_online_starts_on
        return (
            self.status == DocumentStatus.COMMENTING
            and starts is not None
            and self.comment_ends_on is not None
            and starts <= today <= self.comment_ends_on
        )


class LegalityReview(ChangeLoggedModel):
    """One 合法性审核 of a document by the legal office (司法局): submitted by the drafting side,
    decided by a legal reviewer with an opinion. A failed document may be revised and submitted
    again (a new review); it is issued only after its latest review passed."""

    document = models.ForeignKey(
        NormativeDocument, models.CASCADE, related_name="reviews", verbose_name=_("文件")
    )
    submitted_on = models.DateField(_("提请日期"))
    due_on = models.DateField(_("审核期限"))
    submitted_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("提请人")
    )
    # The issuing body's reviewing unit at the request (国办发〔2018〕115号); its legal
    # reviewers give the opinion. Empty only for requests made before the unit was recorded.
    reviewing_unit = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核机构"),
    )
    reviewer = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    result = models.CharField(
        _("审核结论"), max_length=10, choices=ReviewResult.choices, default=ReviewResult.PENDING
    )
    opinion = models.TextField(_("审核意见"), blank=True)
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    urgent_reason = models.TextField(
        _("紧急情况说明"),
        blank=True,
        help_text=_("审核时间少于5个工作日的，须说明紧急情况（国办发〔2018〕115号）。"),
    )

    permission_area = "legality"

    class Meta:
        verbose_name = _("合法性审核")
        verbose_name_plural = _("合法性审核")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                "document",
                condition=Q(result="pending"),
                name="one_pending_review_per_document",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} · {self.get_result_display()}"

    @property
    def is_overdue(self) -> bool:
        return self.result == ReviewResult.PENDING and self.due_on < timezone.localdate()

    @property
    def earliest_normal_review(self) -> datetime.date:
        return rules.earliest_normal_review(self.submitted_on)

    def unit(self) -> Department | None:
        """The reviewing unit: recorded at the request, else the body's (older requests)."""
        if self.reviewing_unit_id is not None:
            return self.reviewing_unit
        return self.document.issuing_body.review_unit()


class DocumentComment(ChangeLoggedModel):
    """A comment on a draft during public comment, and how the drafting unit handled it. The
    commenter's name and contact are optional and never shown publicly."""

    document = models.ForeignKey(
        NormativeDocument, models.CASCADE, related_name="comments", verbose_name=_("文件")
    )
    content = models.TextField(_("意见内容"), max_length=2000)
    commenter_name = models.CharField(_("姓名或单位"), max_length=100, blank=True)
    commenter_contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    handling = models.CharField(
        _("采纳情况"),
        max_length=20,
        choices=CommentHandling.choices,
        default=CommentHandling.PENDING,
    )
    handling_reason = models.TextField(_("处理说明"), blank=True)
    handled_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    permission_area = "documents"
    audit_exclude_fields = frozenset({"commenter_contact"})

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["document", "received_at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id} #{self.pk}"


class DocumentCleanup(ChangeLoggedModel):
    """One clean-up (清理) result for a document: continued, amended, abolished or invalid."""

    document = models.ForeignKey(
        NormativeDocument, models.CASCADE, related_name="cleanups", verbose_name=_("文件")
    )
    result = models.CharField(_("清理结果"), max_length=20, choices=CleanupResult.choices)
    decided_on = models.DateField(_("清理日期"))
    continued_until = models.DateField(
        _("继续有效至"),
        null=True,
        blank=True,
        help_text=_("继续有效并重新公布的，自重新公布之日起算的新有效期的截止日。"),
    )
    evaluation = models.TextField(_("评估情况"), blank=True)
    republished_on = models.DateField(_("重新公布日期"), null=True, blank=True)
    republication_channel = models.CharField(_("重新公布载体"), max_length=200, blank=True)
    validity_years = models.PositiveSmallIntegerField(_("新有效期（年）"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("经办人")
    )

    permission_area = "documents"

    class Meta:
        verbose_name = _("清理结果")
        verbose_name_plural = _("清理结果")
        ordering = ["document", "decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.document} · {self.get_result_display()}"


class DocumentEvent(WorkflowEvent):
    """One step of a document's procedure, written only by documents.actions."""

    document = models.ForeignKey(
        NormativeDocument, models.CASCADE, related_name="events", verbose_name=_("文件")
    )
    type = models.CharField(_("环节"), max_length=24, choices=EventType.choices)
    note = models.TextField(_("说明"), blank=True)

    permission_area = "documents"

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["document", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.type}"
