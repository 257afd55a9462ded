"""执法案件: enforcement cases handled online from 立案 to 结案, with their steps, full-process
records, the legality review (法制审核) of major decisions and who may do it (法制审核人员), the
heads' collective discussion (负责人集体讨论), the head's sign-off of the decision (负责人签批) and
the extensions of the handling period (行政处罚法 art. 60)."""

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
    DiscussionResult,
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

    def handling_overdue(self, on: datetime.date | None = None) -> CaseQuerySet:
        """Cases with a handling period (行政处罚法 art. 60) not decided by its last day: past
        `handling_deadline` on `on` (default today); the last day itself is in time."""
        day = on or timezone.localdate()
        return self.filter(decided_on__isnull=True, handling_deadline__lt=day)

    def handling_due_within(self, days: int, on: datetime.date | None = None) -> CaseQuerySet:
        """Undecided cases whose handling period ends within `days` days from `on` (inclusive),
        not yet overdue."""
        day = on or timezone.localdate()
        return self.filter(
            decided_on__isnull=True,
            handling_deadline__gte=day,
            handling_deadline__lte=day + datetime.timedelta(days=days),
        )

    def decided_late(self) -> CaseQuerySet:
        """Cases decided after the last day of their handling period."""
        return self.filter(decided_on__gt=models.F("handling_deadline"))

    def headed_by(self, user: Any) -> CaseQuerySet:
        """The cases of the bodies `user` heads, or whose entrusting body the user heads."""
        pk = getattr(user, "pk", None)
        if pk is None:
            return self.none()
        headed = Q(body__heads=pk) | Q(body__entrusting_body__heads=pk)
        return self.filter(pk__in=Case.objects.filter(headed).values("pk"))

    def awaiting_sign_off(self, user: Any) -> CaseQuerySet:
        """Undecided cases ready for a decision (READY_TO_DECIDE, no review pending) of the
        bodies `user` heads — or whose entrusting body the user heads — with no sign-off since
        their last step (cases.actions.approve_decision)."""
        from chengxin.cases.choices import READY_TO_DECIDE

        pk = getattr(user, "pk", None)
        if pk is None:
            return self.none()
        last_step = models.Subquery(
            CaseStep.objects.filter(case=models.OuterRef("pk"))
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        )
        signed = DecisionApproval.objects.filter(
            case=models.OuterRef("pk"), approved_at__gte=models.OuterRef("last_step")
        )
        pending = LegalityReview.objects.filter(
            case=models.OuterRef("pk"), result=ReviewResult.PENDING
        )
        waiting: CaseQuerySet = (
            self.headed_by(user)
            .filter(decided_on__isnull=True, status__in=READY_TO_DECIDE)
            .annotate(last_step=last_step)
            .exclude(models.Exists(signed))
            .exclude(models.Exists(pending))
        )
        return waiting


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
    # The power list's version of the item in force on the registration date: the case shows
    # the item as it was then (its name, its 实施主体), not as it reads today.
    power_item_version = models.ForeignKey(
        "powers.PowerAdjustment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("立案时的权力事项版本"),
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
    # 行政处罚法 art. 57 para. 2, raised by the handlers (never lowered); cases.rules also
    # derives it from is_complex and the local 重大 amount thresholds.
    is_serious_violation = models.BooleanField(
        _("情节复杂或者重大违法行为（须负责人集体讨论决定）"), default=False
    )
    # 行政处罚法 art. 60: the last day to decide a penalty case (立案 + 90 calendar days, or as
    # extended). Empty for cases under items that are not 行政处罚.
    handling_deadline = models.DateField(_("办案期限"), null=True, blank=True)
    overdue_reason = models.TextField(_("超过办案期限的说明"), max_length=2000, blank=True)
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
    # The authority the decision is made in the name of (处罚机关): the body, or the entrusting
    # body of an entrusted organisation (行政处罚法 art. 20) — cases.rules.deciding_authority.
    authority_name = models.CharField(_("决定机关"), max_length=200, blank=True)
    authority_credit_code = models.CharField(
        _("决定机关统一社会信用代码"), max_length=18, blank=True
    )
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
                "authority_credit_code",
                "decision_number",
                condition=~Q(decision_number=""),
                name="unique_case_authority_decision_number",
                violation_error_message=_("本决定机关已有相同决定书文号的案件。"),
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None

    @property
    def power_item_name(self) -> str:
        """The item's name in force on the registration date (its version), else today's."""
        if self.power_item_version is not None:
            return str(self.power_item_version.snapshot.get("name") or self.power_item.name)
        return str(self.power_item.name)

    @property
    def power_item_code(self) -> str:
        if self.power_item_version is not None:
            return str(self.power_item_version.snapshot.get("code") or self.power_item.code)
        return str(self.power_item.code)

    @property
    def is_renamed_item(self) -> bool:
        """Whether the item has been renamed since the case was registered."""
        return self.power_item_name != self.power_item.name

    def is_handling_overdue(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return (
            self.decided_on is None
            and self.handling_deadline is not None
            and self.handling_deadline < day
        )

    @property
    def is_decided_late(self) -> bool:
        return (
            self.decided_on is not None
            and self.handling_deadline is not None
            and self.decided_on > self.handling_deadline
        )


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
    # Released from the case (变更承办人员): from this day the officer no longer acts in it.
    released_on = models.DateField(_("退出日期"), null=True, blank=True)
    release_reason = models.CharField(_("退出原因"), max_length=300, blank=True)

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
        problem = self.officer.assignment_problem(self.case.body_id, self.assigned_on)
        if problem:
            raise ValidationError({"officer": problem})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            self.clean()  # a release later does not re-check the day of assignment
        super().save(*args, **kwargs)

    def acts_on(self, day: datetime.date) -> bool:
        """Whether the officer is on the case on `day` (assigned by then, not yet released)."""
        return self.assigned_on <= day and (self.released_on is None or self.released_on > day)


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

    def for_reviewer(self, user: Any) -> LegalityReviewQuerySet:
        """The reviews sent to `user`'s unit: those routed to the user's department (the body's
        法制机构, cases.rules.reviewing_department), and those routed to no unit (the
        district-wide legal reviewers of the justice bureau)."""
        department_id = getattr(user, "department_id", None)
        if department_id is None:
            return self.filter(reviewing_department__isnull=True)
        return self.filter(
            Q(reviewing_department__isnull=True) | Q(reviewing_department_id=department_id)
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
    # The unit whose legal reviewers do this review (国办发〔2018〕118号: the body's own 法制机构),
    # chosen when it is requested; empty: the district-wide legal reviewers (the justice bureau).
    reviewing_department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("法制审核机构"),
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


class LegalReviewer(ChangeLoggedModel):
    """A legal reviewer's qualification (法制审核人员), kept by the rule-of-law office.

    行政处罚法 art. 58 para. 2: 行政机关中初次从事行政处罚决定法制审核的人员，应当通过国家统一
    法律职业资格考试取得法律职业资格. `first_reviewed_on` is the day the person first reviewed
    a penalty decision: recorded by their first review here, or entered for someone who already
    reviewed before the law took effect (2021-07-15), who is then not 初次. A reviewer without
    the qualification whose first review is on or after that day is refused (cases.rules).
    """

    user = models.OneToOneField(
        "accounts.User",
        models.PROTECT,
        related_name="legal_reviewer_record",
        verbose_name=_("法制审核人员"),
    )
    has_legal_qualification = models.BooleanField(_("已取得法律职业资格"), default=False)
    qualification_number = models.CharField(_("法律职业资格证书编号"), max_length=40, blank=True)
    first_reviewed_on = models.DateField(
        _("首次从事行政处罚决定法制审核日期"), null=True, blank=True
    )
    note = models.CharField(
        _("依据或说明"),
        max_length=300,
        blank=True,
        help_text=_("2021年7月15日前已从事法制审核的，写明任职文件等依据。"),
    )

    permission_area = "agencies"  # kept by the rule-of-law office, like the officers

    class Meta:
        verbose_name = _("法制审核人员资格")
        verbose_name_plural = _("法制审核人员资格")
        ordering = ["user__full_name", "id"]

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        super().clean()
        self.qualification_number = self.qualification_number.strip()
        errors: dict[str, Any] = {}
        if self.has_legal_qualification and not self.qualification_number:
            errors["qualification_number"] = _("已取得法律职业资格的，请填写证书编号。")
        if self.first_reviewed_on and self.first_reviewed_on > timezone.localdate():
            errors["first_reviewed_on"] = _("首次审核日期不能晚于今天。")
        if errors:
            raise ValidationError(errors)


class CollectiveDiscussion(ChangeLoggedModel):
    """A 负责人集体讨论 of a case (行政处罚法 art. 57 para. 2: 对情节复杂或者重大违法行为给予行政
    处罚，行政机关负责人应当集体讨论决定): when it was held, who took part, what it concluded.
    Recorded with its 集体讨论 step by `cases.actions.record_collective_discussion`."""

    case = models.ForeignKey(
        Case, models.CASCADE, related_name="discussions", verbose_name=_("案件")
    )
    step = models.OneToOneField(
        CaseStep, models.CASCADE, related_name="discussion", verbose_name=_("环节")
    )
    held_on = models.DateField(_("讨论日期"))
    participants = models.TextField(
        _("参加人员"), max_length=2000, help_text=_("每行一人：姓名及职务。")
    )
    conclusion = models.TextField(_("讨论结论"), max_length=4000)
    result = models.CharField(_("讨论结果"), max_length=12, choices=DiscussionResult.choices)

    permission_area = "cases"

    class Meta:
        verbose_name = _("负责人集体讨论")
        verbose_name_plural = _("负责人集体讨论")
        ordering = ["case", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"

    @property
    def participant_names(self) -> list[str]:
        return [line.strip() for line in self.participants.splitlines() if line.strip()]


class DecisionApproval(ChangeLoggedModel):
    """The head's sign-off of a case's decision (负责人签批): 行政处罚法 art. 57 — the 行政机关
    负责人 decides, not the officer. Recorded by a head of the body (EnforcementBody.heads) who
    did not handle the case; the decision then may not exceed the amounts approved."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="approvals", verbose_name=_("案件"))
    approver = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("签批负责人")
    )
    approved_at = models.DateTimeField(_("签批时间"))
    opinion = models.TextField(_("签批意见"), max_length=2000)
    fine_amount = models.DecimalField(
        _("批准的罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    confiscation_amount = models.DecimalField(
        _("批准的没收金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    permission_area = "cases"

    class Meta:
        verbose_name = _("负责人签批")
        verbose_name_plural = _("负责人签批")
        ordering = ["case", "approved_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.approver_id}"


class HandlingExtension(ChangeLoggedModel):
    """An approved extension of a case's handling period (行政处罚法 art. 60: 法律、法规、规章另有
    规定的，从其规定 — a sector's procedure rule, cases.rules.extension_rule), by a head of the
    body, within the days the rule allows."""

    case = models.ForeignKey(
        Case, models.CASCADE, related_name="extensions", verbose_name=_("案件")
    )
    approver = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("批准负责人")
    )
    approved_on = models.DateField(_("批准日期"))
    days = models.PositiveSmallIntegerField(_("延长日数"))
    previous_deadline = models.DateField(_("原办案期限"))
    new_deadline = models.DateField(_("延长后的办案期限"))
    basis = models.CharField(_("依据"), max_length=300)
    reason = models.TextField(_("延长理由"), max_length=2000)

    permission_area = "cases"

    class Meta:
        verbose_name = _("延长办案期限")
        verbose_name_plural = _("延长办案期限")
        ordering = ["case", "approved_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days}"


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
