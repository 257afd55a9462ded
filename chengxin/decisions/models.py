"""重大行政决策: the yearly catalogue, its decisions and the record of each decision's procedure.

Only `decisions.actions` changes statuses and stages; the rules about one record (a hearing's
notice, a head's departure from the majority) are in `clean()` so forms and actions share them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet
from chengxin.core.workflow import WorkflowEvent
from chengxin.decisions import rules
from chengxin.decisions.choices import (
    DONE_STATUSES,
    OPEN_STAGES,
    CommentHandling,
    EvaluationTrigger,
    EventType,
    HeadDecision,
    LegalityConclusion,
    MeetingType,
    RiskLevel,
    ScopeCategory,
    Stage,
    StepKind,
    StepStatus,
)


class DecisionCatalogueQuerySet(RestrictedQuerySet):
    def published(self) -> DecisionCatalogueQuerySet:
        return self.filter(is_published=True)


class DecisionCatalogue(ChangeLoggedModel):
    """决策事项目录: the list of major decision items of one year, published after the same-level
    Party committee agreed (art. 3 para. 2)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("目录名称"), max_length=200)
    approval_note = models.CharField(
        _("报批情况"),
        max_length=300,
        blank=True,
        help_text=_("如：经区委常委会第12次会议同意（第3条第2款）。"),
    )
    approved_on = models.DateField(_("同意日期"), null=True, blank=True)
    is_published = models.BooleanField(_("已向社会公布"), default=False)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)

    permission_area = "decisions"
    objects = DecisionCatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("重大行政决策事项目录")
        verbose_name_plural = _("重大行政决策事项目录")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class MajorDecisionQuerySet(RestrictedQuerySet):
    def publicly_visible(self) -> MajorDecisionQuerySet:
        """Decisions of a published catalogue: the public sees each from the catalogue on."""
        return self.filter(catalogue__is_published=True)

    def open(self) -> MajorDecisionQuerySet:
        return self.filter(stage__in=OPEN_STAGES)

    def decided_in(self, year: int) -> MajorDecisionQuerySet:
        return self.filter(decided_on__year=year)

    def awaiting_skip_approval(self) -> MajorDecisionQuerySet:
        """Decisions whose current step has a skip proposed and not yet approved or refused."""
        pending = ProcedureStep.objects.exclude(status__in=DONE_STATUSES).filter(
            skip_proposed_by__isnull=False
        )
        return self.filter(pk__in=pending.values("decision_id"))


class MajorDecision(ChangeLoggedModel):
    """One major decision item (重大行政决策事项) of a catalogue, led by its 承办单位 (art. 11)."""

    catalogue = models.ForeignKey(
        DecisionCatalogue, models.PROTECT, related_name="decisions", verbose_name=_("决策事项目录")
    )
    title = models.CharField(_("决策事项名称"), max_length=200)
    lead_unit = models.ForeignKey(
        "accounts.Department", models.PROTECT, related_name="+", verbose_name=_("承办单位")
    )
    scope_category = models.CharField(
        _("事项类别（第3条）"), max_length=20, choices=ScopeCategory.choices
    )
    summary = models.TextField(_("事项简介"), blank=True)
    planned_completion = models.DateField(_("计划完成时间"))
    stage = models.CharField(
        _("办理阶段"), max_length=24, choices=Stage.choices, default=Stage.PLANNED
    )
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    document_number = models.CharField(_("决策文件文号"), max_length=100, blank=True)
    published_text = models.TextField(_("公布的决策内容"), blank=True)
    publication_channels = models.CharField(_("公布渠道"), max_length=200, blank=True)
    party_committee_reported_on = models.DateField(
        _("向党委请示报告日期（第31条）"), null=True, blank=True
    )

    permission_area = "decisions"
    department_field = "lead_unit"
    objects = MajorDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("重大行政决策事项")
        verbose_name_plural = _("重大行政决策事项")
        ordering = ["catalogue", "planned_completion", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def year(self) -> int:
        return self.catalogue.year

    @property
    def is_overdue(self) -> bool:
        return self.stage in OPEN_STAGES and self.planned_completion < timezone.localdate()

    def step(self, kind: str) -> ProcedureStep:
        step: ProcedureStep
        for step in self.steps.all():  # uses a prefetch when there is one
            if step.kind == kind:
                return step
        raise ProcedureStep.DoesNotExist(kind)


class ProcedureStepQuerySet(RestrictedQuerySet):
    def overdue(self, on: datetime.date | None = None) -> ProcedureStepQuerySet:
        """Steps not done whose planned end has passed (decisions still open)."""
        day = on or timezone.localdate()
        return self.exclude(status__in=DONE_STATUSES).filter(
            planned_end__lt=day, decision__stage__in=OPEN_STAGES
        )


class ProcedureStep(ChangeLoggedModel):
    """One step of a decision's procedure, with its dates and the person responsible. The order
    is the regulation's (choices.STEP_ORDER); `sequence` keeps it in the database."""

    decision = models.ForeignKey(
        MajorDecision, models.CASCADE, related_name="steps", verbose_name=_("决策事项")
    )
    kind = models.CharField(_("环节"), max_length=24, choices=StepKind.choices)
    sequence = models.PositiveSmallIntegerField(_("顺序"))
    status = models.CharField(
        _("状态"), max_length=12, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    responsible_person = models.CharField(_("责任人"), max_length=100, blank=True)
    planned_end = models.DateField(_("计划完成日期"), null=True, blank=True)
    started_on = models.DateField(_("开始日期"), null=True, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    completed_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    skip_reason = models.TextField(_("不适用理由"), blank=True)
    # A skip is proposed with its reason and takes effect only when someone other than the
    # proposer approves it (decisions.actions.decide_skip).
    skip_proposed_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("不适用提出人"),
    )
    skip_proposed_on = models.DateField(_("不适用提出日期"), null=True, blank=True)
    skip_approved_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("不适用批准人"),
    )
    skip_approved_on = models.DateField(_("不适用批准日期"), null=True, blank=True)
    skip_approval_note = models.TextField(_("批准意见"), blank=True)
    note = models.TextField(_("办理情况"), blank=True)

    permission_area = "decisions"
    objects = ProcedureStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("决策程序环节")
        verbose_name_plural = _("决策程序环节")
        ordering = ["decision", "sequence"]
        constraints = [
            models.UniqueConstraint("decision", "kind", name="one_step_of_each_kind"),
            models.CheckConstraint(
                condition=~Q(status=StepStatus.SKIPPED) | ~Q(skip_reason=""),
                name="skipped_step_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} · {self.get_kind_display()}"

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    @property
    def is_skip_pending(self) -> bool:
        """A skip proposed and not yet approved or refused."""
        return not self.is_done and self.skip_proposed_by_id is not None

    def clean(self) -> None:
        super().clean()
        if self.status == StepStatus.SKIPPED and (
            self.skip_approved_by_id is None or self.skip_approved_by_id == self.skip_proposed_by_id
        ):
            raise ValidationError({"skip_approved_by": _("环节不适用须经提出人以外的人员批准。")})

    @property
    def is_overdue(self) -> bool:
        return (
            not self.is_done
            and self.planned_end is not None
            and self.planned_end < timezone.localdate()
        )


class StepDocument(ChangeLoggedModel):
    """A document of a step (征求意见稿, 论证报告, 风险评估报告, 会议纪要…); public only when marked."""

    step = models.ForeignKey(
        ProcedureStep, models.CASCADE, related_name="documents", verbose_name=_("环节")
    )
    title = models.CharField(_("材料名称"), max_length=200)
    # The file in the default storage (MEDIA_ROOT) under a generated name; the change log keeps
    # the name and digest, not the content.
    stored_name = models.CharField(_("存储名"), max_length=200, editable=False)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_public = models.BooleanField(_("向社会公开"), default=False)
    uploaded_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("上传人")
    )

    permission_area = "decisions"

    class Meta:
        verbose_name = _("环节材料")
        verbose_name_plural = _("环节材料")
        ordering = ["step", "created_at", "id"]

    def __str__(self) -> str:
        return self.title


class ConsultationQuerySet(RestrictedQuerySet):
    def publicly_visible(self, day: datetime.date | None = None) -> ConsultationQuerySet:
        """Consultations the public may read: of a published catalogue and opened by `day`. A
        draft scheduled to open later is still being prepared and stays internal."""
        on = day or timezone.localdate()
        return self.filter(
            opens_on__lte=on, recorded_on__lte=on, decision__catalogue__is_published=True
        )

    def open_on(self, day: datetime.date | None = None) -> ConsultationQuerySet:
        on = day or timezone.localdate()
        return self.publicly_visible(on).filter(closes_on__gte=on)


class Consultation(ChangeLoggedModel):
    """向社会公开征求意见 (arts. 14–15): the draft put to the public, the period, and the summary
    of adopted and rejected opinions (art. 18), which is published."""

    decision = models.OneToOneField(
        MajorDecision, models.CASCADE, related_name="consultation", verbose_name=_("决策事项")
    )
    draft_title = models.CharField(_("征求意见稿名称"), max_length=200)
    draft_text = models.TextField(_("决策草案及说明"))
    opens_on = models.DateField(_("征求意见开始日期"))
    closes_on = models.DateField(_("征求意见截止日期"))
    shortened_reason = models.TextField(_("期限少于30日的理由"), blank=True)
    # The day the consultation was recorded in the system: online comment starts no earlier.
    recorded_on = models.DateField(_("录入日期"), default=timezone.localdate, editable=False)
    backfill_reason = models.TextField(
        _("补录理由"),
        blank=True,
        help_text=_(
            "开始日期早于录入日期的（如已在报刊线下征求意见），录入前的日子须说明理由才计入期限。"
        ),
    )
    hearing_not_held_reason = models.TextField(_("未举行听证会的理由"), blank=True)
    result_summary = models.TextField(_("意见采纳情况及理由"), blank=True)

    permission_area = "decisions"
    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开征求意见")
        verbose_name_plural = _("公开征求意见")
        ordering = ["-opens_on", "id"]

    def __str__(self) -> str:
        return self.draft_title

    @property
    def period_days(self) -> int:
        """The days counted toward the 30: from the recording day unless backfilled."""
        return rules.comment_period_days(self.counted_opens_on, self.closes_on)

    @property
    def online_opens_on(self) -> datetime.date:
        """The first day of online comment: never before the consultation was recorded."""
        return rules.online_opens_on(self.opens_on, self.recorded_on)

    @property
    def counted_opens_on(self) -> datetime.date:
        return rules.counted_opens_on(self.opens_on, self.recorded_on, self.backfill_reason)

    @property
    def is_backfilled(self) -> bool:
        return self.opens_on < self.recorded_on and bool(self.backfill_reason.strip())

    def is_open(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.online_opens_on <= day <= self.closes_on

    def clean(self) -> None:
        super().clean()
        if self.opens_on and self.closes_on:
            if self.closes_on < self.opens_on:
                raise ValidationError({"closes_on": _("截止日期不能早于开始日期。")})
            self._check_backfill()
            days = self.period_days
            if days < rules.COMMENT_PERIOD_MIN_DAYS and not self.shortened_reason.strip():
                raise ValidationError(
                    {
                        "shortened_reason": _(
                            "征求意见期限为 %(days)s 日，少于30日（条例第14条），必须说明理由。"
                        )
                        % {"days": days}
                    }
                )

    def _check_backfill(self) -> None:
        """A start before the recording day counts only with a backfill reason (ADR 0011)."""
        if self.opens_on >= self.recorded_on or self.backfill_reason.strip():
            return
        recorded = f"{self.recorded_on:%Y-%m-%d}"
        if self.closes_on < self.recorded_on:
            raise ValidationError(
                {
                    "backfill_reason": _(
                        "征求意见期限在录入系统（%(recorded)s）之前已经结束，公众无法在网上提出意见："
                        "如已线下征求意见，请填写“补录理由”。"
                    )
                    % {"recorded": recorded}
                }
            )
        days = self.period_days
        if days < rules.COMMENT_PERIOD_MIN_DAYS and not self.shortened_reason.strip():
            raise ValidationError(
                {
                    "backfill_reason": _(
                        "开始日期 %(start)s 早于录入系统之日 %(recorded)s，录入前的日子未填写“补录理由”"
                        "不计入期限：自录入之日起仅 %(days)s 日，少于30日（条例第14条）。"
                        "已线下征求意见的请填写“补录理由”，否则请推迟截止日期或说明期限少于30日的理由。"
                    )
                    % {"start": f"{self.opens_on:%Y-%m-%d}", "recorded": recorded, "days": days}
                }
            )


class PublicComment(ChangeLoggedModel):
    """One opinion from the public, sent online through the portal. The commenter's name and
    contact are kept for follow-up and never shown publicly."""

    consultation = models.ForeignKey(
        Consultation, models.CASCADE, related_name="comments", verbose_name=_("征求意见")
    )
    name = models.CharField(_("姓名或单位"), max_length=100, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    content = models.TextField(_("意见建议"), max_length=5000)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    handling = models.CharField(
        _("处理情况"),
        max_length=16,
        choices=CommentHandling.choices,
        default=CommentHandling.PENDING,
    )
    handling_note = models.TextField(_("处理说明"), blank=True)

    permission_area = "decisions"
    # The contact is for the lead unit's follow-up, not for the change log (as documents).
    audit_exclude_fields = frozenset({"contact"})

    class Meta:
        verbose_name = _("公众意见")
        verbose_name_plural = _("公众意见")
        ordering = ["consultation", "submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.consultation_id} #{self.pk}"


class Hearing(ChangeLoggedModel):
    """听证会 (art. 16): materials to the participants 7 days ahead, the list published before."""

    decision = models.ForeignKey(
        MajorDecision, models.CASCADE, related_name="hearings", verbose_name=_("决策事项")
    )
    held_on = models.DateField(_("听证日期"))
    place = models.CharField(_("地点"), max_length=200)
    materials_sent_on = models.DateField(_("材料送达参加人日期"))
    participants_published_on = models.DateField(_("参加人名单公布日期"))
    participants = models.TextField(_("听证参加人"))
    record_summary = models.TextField(_("听证情况"), blank=True)

    permission_area = "decisions"

    class Meta:
        verbose_name = _("听证会")
        verbose_name_plural = _("听证会")
        ordering = ["decision", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.decision} {self.held_on:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.held_on and self.materials_sent_on:
            latest = self.held_on - datetime.timedelta(days=rules.HEARING_NOTICE_MIN_DAYS)
            if self.materials_sent_on > latest:
                errors["materials_sent_on"] = _(
                    "听证材料应当于听证会7日前送达参加人（条例第16条），最迟 %(day)s。"
                ) % {"day": f"{latest:%Y-%m-%d}"}
        if (
            self.held_on
            and self.participants_published_on
            and self.participants_published_on >= self.held_on
        ):
            errors["participants_published_on"] = _(
                "听证参加人名单应当于听证会前公布（条例第16条）。"
            )
        if errors:
            raise ValidationError(errors)


class ExpertOpinion(ChangeLoggedModel):
    """One expert's opinion (arts. 19–21); a dissenting view is kept as such."""

    decision = models.ForeignKey(
        MajorDecision, models.CASCADE, related_name="expert_opinions", verbose_name=_("决策事项")
    )
    expert_name = models.CharField(_("专家姓名"), max_length=50)
    affiliation = models.CharField(_("工作单位及专业"), max_length=200)
    agrees = models.BooleanField(_("同意决策草案"), default=True)
    opinion = models.TextField(_("论证意见"))

    permission_area = "decisions"

    class Meta:
        verbose_name = _("专家论证意见")
        verbose_name_plural = _("专家论证意见")
        ordering = ["decision", "id"]

    def __str__(self) -> str:
        return self.expert_name


class RiskAssessment(ChangeLoggedModel):
    """风险评估 (arts. 22–24): the report and its level; an uncontrollable risk requires the draft
    to be adjusted first (art. 24)."""

    decision = models.OneToOneField(
        MajorDecision, models.CASCADE, related_name="risk_assessment", verbose_name=_("决策事项")
    )
    risk_points = models.TextField(_("风险点及防范化解措施"))
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    is_controllable = models.BooleanField(_("风险可控"), default=True)
    adjustment_note = models.TextField(_("决策草案调整情况"), blank=True)

    permission_area = "decisions"

    class Meta:
        verbose_name = _("风险评估")
        verbose_name_plural = _("风险评估")
        ordering = ["decision"]

    def __str__(self) -> str:
        return f"{self.decision} {self.get_risk_level_display()}"

    def clean(self) -> None:
        super().clean()
        if not self.is_controllable and not self.adjustment_note.strip():
            raise ValidationError(
                {
                    "adjustment_note": _(
                        "风险不可控的，应当先调整决策草案、采取有效防范措施（条例第24条），"
                        "请填写调整情况。"
                    )
                }
            )


class LegalityReviewQuerySet(RestrictedQuerySet):
    def pending(self) -> LegalityReviewQuerySet:
        return self.filter(conclusion=LegalityConclusion.PENDING)

    def overdue(self, on: datetime.date | None = None) -> LegalityReviewQuerySet:
        return self.pending().filter(due_on__lt=on or timezone.localdate())


class LegalityReview(ChangeLoggedModel):
    """One submission of a draft to the legal office for 合法性审查 (arts. 25–28). A failed round
    is followed by a new one after the draft is revised; the last round decides."""

    decision = models.ForeignKey(
        MajorDecision, models.CASCADE, related_name="legality_reviews", verbose_name=_("决策事项")
    )
    round = models.PositiveSmallIntegerField(_("送审次数"))
    submitted_on = models.DateField(_("送审日期"))
    submitted_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("送审人")
    )
    due_on = models.DateField(_("审查期限"))
    conclusion = models.CharField(
        _("审查结论"),
        max_length=10,
        choices=LegalityConclusion.choices,
        default=LegalityConclusion.PENDING,
    )
    opinion = models.TextField(_("合法性审查意见"), blank=True)
    reviewer = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审查人"),
    )
    concluded_on = models.DateField(_("出具意见日期"), null=True, blank=True)
    short_review_reason = models.TextField(_("审查时间少于7个工作日的理由"), blank=True)
    # The materials of art. 26 para. 1, sent with the request.
    draft_text = models.TextField(_("决策草案"), blank=True)
    legal_basis = models.TextField(_("法律、法规、规章等依据"), blank=True)
    procedure_statement = models.TextField(_("履行决策法定程序的说明"), blank=True)
    # Art. 29 (一): a draft on market players' economic activity carries its 公平竞争审查.
    affects_market_activity = models.BooleanField(_("涉及市场主体经济活动"), default=False)
    fair_competition_review = models.TextField(_("公平竞争审查情况"), blank=True)
    # Art. 28: the legal advisers' and public-service lawyers' opinion, with the conclusion.
    counsel = models.CharField(_("提出意见的法律顾问、公职律师"), max_length=200, blank=True)
    counsel_opinion = models.TextField(_("法律顾问、公职律师的法律意见"), blank=True)

    permission_area = "legality"
    objects = LegalityReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("合法性审查")
        verbose_name_plural = _("合法性审查")
        ordering = ["decision", "round"]
        constraints = [
            models.UniqueConstraint("decision", "round", name="one_legality_review_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.decision} 第{self.round}次"

    @property
    def is_overdue(self) -> bool:
        return self.conclusion == LegalityConclusion.PENDING and self.due_on < timezone.localdate()

    @property
    def earliest_normal_conclusion(self) -> datetime.date:
        return rules.earliest_normal_conclusion(self.submitted_on)


class CollectiveDiscussion(ChangeLoggedModel):
    """集体讨论决定 (arts. 29–30): the meeting, its minutes and the head's decision."""

    decision = models.OneToOneField(
        MajorDecision,
        models.CASCADE,
        related_name="collective_discussion",
        verbose_name=_("决策事项"),
    )
    meeting_type = models.CharField(_("会议类型"), max_length=10, choices=MeetingType.choices)
    meeting_name = models.CharField(_("会议名称"), max_length=100)
    meeting_date = models.DateField(_("会议日期"))
    minutes = models.TextField(_("会议纪要"))
    head_decision = models.CharField(_("行政首长决定"), max_length=12, choices=HeadDecision.choices)
    departs_from_majority = models.BooleanField(_("与多数人意见不一致"), default=False)
    departure_reason = models.TextField(_("不一致的理由"), blank=True)
    dissent = models.TextField(_("不同意见"), blank=True)

    permission_area = "decisions"

    class Meta:
        verbose_name = _("集体讨论决定")
        verbose_name_plural = _("集体讨论决定")
        ordering = ["decision"]

    def __str__(self) -> str:
        return f"{self.decision} {self.meeting_name}"

    def clean(self) -> None:
        super().clean()
        if self.departs_from_majority and not self.departure_reason.strip():
            raise ValidationError(
                {
                    "departure_reason": _(
                        "行政首长拟作出的决定与会议组成人员多数人的意见不一致的，"
                        "应当在会上说明理由（条例第30条）。"
                    )
                }
            )


class PostEvaluation(ChangeLoggedModel):
    """决策后评估 (art. 36), with what triggered it and who evaluated."""

    decision = models.ForeignKey(
        MajorDecision, models.CASCADE, related_name="evaluations", verbose_name=_("决策事项")
    )
    trigger = models.CharField(
        _("启动情形（第36条）"), max_length=16, choices=EvaluationTrigger.choices
    )
    evaluator = models.CharField(_("评估机构"), max_length=200)
    started_on = models.DateField(_("启动日期"))
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    conclusion = models.TextField(_("评估结论"), blank=True)

    permission_area = "decisions"

    class Meta:
        verbose_name = _("决策后评估")
        verbose_name_plural = _("决策后评估")
        ordering = ["decision", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.decision} {self.started_on:%Y-%m-%d}"


class DecisionEvent(WorkflowEvent):
    """One thing done in a decision's procedure, written only by decisions.actions."""

    decision = models.ForeignKey(
        MajorDecision, models.CASCADE, related_name="events", verbose_name=_("决策事项")
    )
    type = models.CharField(_("事项"), max_length=32, choices=EventType.choices)
    step_kind = models.CharField(_("环节"), max_length=24, choices=StepKind.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)

    permission_area = "decisions"

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["decision", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.type}"
