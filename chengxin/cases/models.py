"""执法案件: enforcement cases handled online from 立案 to 结案, with their steps, full-process
records and the legality review (法制审核) of major decisions."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.agencies.models import EnforcementOfficer
from chengxin.cases.choices import (
    CaseStatus,
    EventType,
    MediaKind,
    ReviewResult,
    StepKind,
)
from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet
from chengxin.core.personal_data import EncryptedIdNumberMixin
from chengxin.core.workflow import WorkflowEvent
from chengxin.subjects.choices import SubjectCategory


class CaseQuerySet(RestrictedQuerySet):
    def registered_between(self, start: datetime.date, end: datetime.date) -> CaseQuerySet:
        return self.filter(registered_on__gte=start, registered_on__lte=end)

    def decided_between(self, start: datetime.date, end: datetime.date) -> CaseQuerySet:
        return self.filter(decided_on__gte=start, decided_on__lte=end)

    def publicity_overdue(self, on: datetime.date | None = None) -> CaseQuerySet:
        """Decided cases not made public by their 事后公开 deadline (on `on`, default today)."""
        day = on or timezone.localdate()
        return self.filter(
            decided_on__isnull=False, published_on__isnull=True, publicity_deadline__lt=day
        )


class Case(ChangeLoggedModel):
    """One enforcement case (执法案件) of an enforcement body, handled online.

    Registered (立案) with its power item, body, parties and at least two officers who may enforce
    on the registration date; each later step is a CaseStep recorded by `cases.actions`, which
    also keep `status` (views never set it). The decision is refused while the case meets a
    行政处罚法 art. 58 trigger or a local amount threshold and has no passed legality review.
    Amounts are in yuan (the 双公示 record stores 万元).
    """

    number = models.CharField(_("案件编号"), max_length=32, unique=True)
    body = models.ForeignKey(
        "agencies.EnforcementBody", models.PROTECT, related_name="cases", verbose_name=_("执法主体")
    )
    power_item = models.ForeignKey(
        "powers.PowerItem", models.PROTECT, related_name="cases", verbose_name=_("权力事项")
    )
    department = models.ForeignKey(
        "accounts.Department", models.PROTECT, related_name="+", verbose_name=_("所属部门")
    )
    registered_on = models.DateField(_("立案日期"))
    summary = models.TextField(_("案情摘要"), max_length=4000)
    status = models.CharField(
        _("办理阶段"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REGISTERED
    )
    # 行政处罚法 art. 58 triggers, set at registration or later by `mark_major` (never unset).
    is_major_public_interest = models.BooleanField(_("涉及重大公共利益"), default=False)
    is_major_rights = models.BooleanField(_("直接关系当事人或者第三人重大权益"), default=False)
    is_complex = models.BooleanField(_("案件情况疑难复杂、涉及多个法律关系"), default=False)
    is_other_by_law = models.BooleanField(_("法律、法规规定的其他情形"), default=False)
    other_by_law_basis = models.CharField(_("其他情形的依据"), max_length=200, blank=True)
    is_hearing_requested = models.BooleanField(_("当事人要求听证"), default=False)
    is_hearing_held = models.BooleanField(_("已举行听证"), default=False)
    fine_amount = models.DecimalField(
        _("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    confiscation_amount = models.DecimalField(
        _("没收违法所得、没收非法财物金额（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    decision_number = models.CharField(_("决定书文号"), max_length=128, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_summary = models.TextField(_("决定内容"), blank=True)
    publicity_deadline = models.DateField(_("事后公开期限"), null=True, blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    officers: models.ManyToManyField[EnforcementOfficer, CaseOfficer] = models.ManyToManyField(
        "agencies.EnforcementOfficer",
        through="CaseOfficer",
        related_name="cases",
        verbose_name=_("承办执法人员"),
    )

    permission_area = "cases"
    department_field = "department"
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法案件")
        verbose_name_plural = _("执法案件")
        ordering = ["-registered_on", "-id"]
        indexes = [
            models.Index(fields=["department", "registered_on"], name="case_department_registered"),
            models.Index(fields=["decided_on"], name="case_decided_on"),
        ]
        constraints = [
            models.UniqueConstraint(
                "body",
                "decision_number",
                condition=~Q(decision_number=""),
                name="unique_case_decision_number",
                violation_error_message=_("本执法主体已有相同决定书文号的案件。"),
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None


class CaseParty(EncryptedIdNumberMixin, ChangeLoggedModel):
    """A party (当事人) of a case: linked to the credit subject when one is known. A natural
    person's ID number is stored only encrypted, with a blind index and a masked copy."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="parties", verbose_name=_("案件"))
    subject = models.ForeignKey(
        "subjects.Subject",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("信用主体"),
    )
    name = models.CharField(_("当事人名称"), max_length=200)
    category = models.CharField(_("当事人类别"), max_length=24, choices=SubjectCategory.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    id_number_ciphertext = models.TextField(_("证件号码（密文）"), blank=True, editable=False)
    id_number_index = models.CharField(
        _("证件号码索引"), max_length=64, blank=True, db_index=True, editable=False
    )
    id_number_masked = models.CharField(_("证件号码"), max_length=64, blank=True, editable=False)

    permission_area = "cases"
    audit_exclude_fields = frozenset({"id_number_ciphertext", "id_number_index"})

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_natural_person(self) -> bool:
        """自然人 and 个体工商户 (民法典 art. 54: a natural person registered for business) take
        the thresholds for 公民."""
        return self.category in (
            SubjectCategory.NATURAL_PERSON,
            SubjectCategory.INDIVIDUAL_BUSINESS,
        )


class CaseOfficer(ChangeLoggedModel):
    """An officer assigned to a case (承办执法人员), on the registration date.

    The officer must belong to the case's body and be assignable that day (在岗, certificate valid
    including its last day). Checked on every save, so neither a form, the admin nor code that
    forgets the action can assign an officer who may not enforce.
    """

    case = models.ForeignKey(
        Case, models.CASCADE, related_name="assignments", verbose_name=_("案件")
    )
    officer = models.ForeignKey(
        "agencies.EnforcementOfficer",
        models.PROTECT,
        related_name="assignments",
        verbose_name=_("执法人员"),
    )
    assigned_on = models.DateField(_("指派日期"))

    permission_area = "cases"

    class Meta:
        verbose_name = _("承办执法人员")
        verbose_name_plural = _("承办执法人员")
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint("case", "officer", name="unique_case_officer"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.officer_id}"

    def clean(self) -> None:
        super().clean()
        from chengxin.cases.rules import officer_problem

        problem = officer_problem(self.officer, self.case.body_id, self.assigned_on)
        if problem:
            raise ValidationError({"officer": problem})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.clean()
        super().save(*args, **kwargs)


class CaseStep(ChangeLoggedModel):
    """One step of a case (立案, 调查取证, …) with its time, who recorded it and notes; attachments
    and audio-visual records (全过程记录) hang off it. Written only by `cases.actions`."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="steps", verbose_name=_("案件"))
    kind = models.CharField(_("环节"), max_length=20, choices=StepKind.choices)
    occurred_at = models.DateTimeField(_("发生时间"))
    actor = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    notes = models.TextField(_("说明"), max_length=4000, blank=True)

    permission_area = "cases"

    class Meta:
        verbose_name = _("办案环节")
        verbose_name_plural = _("办案环节")
        ordering = ["case", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"


class CaseAttachment(models.Model):
    """A document of a step (PDF, JPG or PNG, type read from the content), kept off the web root."""

    step = models.ForeignKey(
        CaseStep, models.CASCADE, related_name="attachments", verbose_name=_("环节")
    )
    original_name = models.CharField(_("文件名"), max_length=200)
    stored_name = models.CharField(_("存储名"), max_length=100, editable=False)
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    permission_area = "cases"

    class Meta:
        verbose_name = _("环节附件")
        verbose_name_plural = _("环节附件")
        ordering = ["step", "id"]

    def __str__(self) -> str:
        return self.original_name


class RecordingReference(ChangeLoggedModel):
    """A reference to an audio-visual record of a step (全过程记录): where the law-enforcement
    recorder's file is archived, the device and the time span. The media stay in the archive."""

    step = models.ForeignKey(
        CaseStep, models.CASCADE, related_name="recordings", verbose_name=_("环节")
    )
    media_kind = models.CharField(_("记录类型"), max_length=8, choices=MediaKind.choices)
    reference = models.CharField(_("存储编号或位置"), max_length=200)
    device = models.CharField(_("执法记录仪编号"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    permission_area = "cases"

    class Meta:
        verbose_name = _("音视频记录")
        verbose_name_plural = _("音视频记录")
        ordering = ["step", "started_at", "id"]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        super().clean()
        if self.ended_at is not None and self.ended_at < self.started_at:
            raise ValidationError({"ended_at": _("结束时间不能早于开始时间。")})


class LegalityReviewQuerySet(RestrictedQuerySet):
    def pending(self) -> LegalityReviewQuerySet:
        return self.filter(result=ReviewResult.PENDING)

    def overdue(self, on: datetime.date | None = None) -> LegalityReviewQuerySet:
        return self.pending().filter(due_on__lt=on or timezone.localdate())

    def done_between(self, start: datetime.date, end: datetime.date) -> LegalityReviewQuerySet:
        return self.exclude(result=ReviewResult.PENDING).filter(
            reviewed_at__date__gte=start, reviewed_at__date__lte=end
        )


# The review content of 重大执法决定法制审核 (domain rules §5): (field, label).
CHECKLIST: tuple[tuple[str, Any], ...] = (
    ("checked_authority", _("执法主体合法，未超越法定权限，执法人员具备执法资格")),
    ("checked_procedure", _("执法程序合法")),
    ("checked_facts", _("案件事实清楚，证据确实充分")),
    ("checked_law", _("适用法律正确，裁量基准运用适当")),
    ("checked_documents", _("执法文书完备、规范")),
    ("checked_no_crime", _("不涉嫌犯罪，无须移送司法机关")),
)


class LegalityReview(ChangeLoggedModel):
    """A 法制审核 of a case's proposed decision by the legal office (法制审核员).

    Requested by the case handlers after 告知 (and the hearing, if one was requested); due in
    local working days (cases.review_working_days, once extendable by
    cases.review_extension_working_days). A passed review needs every checklist item confirmed.
    """

    case = models.ForeignKey(Case, models.PROTECT, related_name="reviews", verbose_name=_("案件"))
    department = models.ForeignKey(
        "accounts.Department", models.PROTECT, related_name="+", verbose_name=_("送审部门")
    )
    requested_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("送审人")
    )
    requested_at = models.DateTimeField(_("送审时间"), default=timezone.now)
    submission = models.TextField(_("拟作出的决定及理由"), max_length=4000)
    # The proposed amounts the review saw (from 告知): a decision may not exceed them.
    fine_amount = models.DecimalField(
        _("送审拟罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    confiscation_amount = models.DecimalField(
        _("送审拟没收金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    due_on = models.DateField(_("审核期限"))
    is_extended = models.BooleanField(_("已延长期限"), default=False)
    result = models.CharField(
        _("审核结果"), max_length=10, choices=ReviewResult.choices, default=ReviewResult.PENDING
    )
    reviewer = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("法制审核员"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    opinion = models.TextField(_("审核意见"), max_length=4000, blank=True)
    checked_authority = models.BooleanField(CHECKLIST[0][1], default=False)
    checked_procedure = models.BooleanField(CHECKLIST[1][1], default=False)
    checked_facts = models.BooleanField(CHECKLIST[2][1], default=False)
    checked_law = models.BooleanField(CHECKLIST[3][1], default=False)
    checked_documents = models.BooleanField(CHECKLIST[4][1], default=False)
    checked_no_crime = models.BooleanField(CHECKLIST[5][1], default=False)
    other_findings = models.TextField(_("其他需要审核的内容"), blank=True)

    permission_area = "legality"
    department_field = "department"
    objects = LegalityReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("法制审核")
        verbose_name_plural = _("法制审核")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "case", condition=Q(result="pending"), name="one_pending_review_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_result_display()}"

    @property
    def is_overdue(self) -> bool:
        return self.result == ReviewResult.PENDING and self.due_on < timezone.localdate()


class CaseEvent(WorkflowEvent):
    """One thing that happened to a case, written only by `cases.actions` in their transaction."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="events", verbose_name=_("案件"))
    type = models.CharField(_("事项"), max_length=20, choices=EventType.choices)
    note = models.TextField(_("说明"), blank=True)

    permission_area = "cases"

    class Meta:
        verbose_name = _("案件办理记录")
        verbose_name_plural = _("案件办理记录")
        ordering = ["case", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.type}"
