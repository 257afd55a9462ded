"""Administrative disputes (行政复议, 行政应诉), people's mediation, and legal capacity (法治能力).

Rates are QuerySet methods returning `rates.Rate`, so the dashboard, the annual report and the
tests share one definition (ADR 0012):

- 纠错率 = reconsiderations decided with a correcting result (CORRECTION_RESULTS) ÷ decided,
  by the year of the decision and the respondent department;
- 出庭率 = hearings at which the responsible head appeared ÷ hearings held that required
  appearance and whose appearance is recorded, by the year of the hearing and the defendant.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.choices import DepartmentKind
from chengxin.core import calendar, local_settings
from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet
from chengxin.core.workflow import WorkflowEvent
from chengxin.disputes.choices import (
    APPEAL_RESULTS,
    CORRECTION_RESULTS,
    AbsenceReason,
    ApplicantKind,
    DisputeType,
    EventType,
    Instance,
    LitigationResult,
    MediationResult,
    ReconsiderationProcedure,
    ReconsiderationResult,
)
from chengxin.disputes.rates import Rate

# 复议法 art. 62: 60 days from acceptance (普通程序), unless a law sets a shorter period; 30 days in
# 简易程序. Declared as local settings at the brief's request: a locality may set a shorter internal
# target; the statutory ceiling is what the default says.
RECONSIDERATION_DAYS = local_settings.declare(
    "disputes.reconsideration_days",
    _("行政复议：普通程序审理期限（日）"),
    60,
    _("《行政复议法》第六十二条：自受理申请之日起六十日内作出行政复议决定。"),
)
SIMPLIFIED_RECONSIDERATION_DAYS = local_settings.declare(
    "disputes.simplified_reconsideration_days",
    _("行政复议：简易程序审理期限（日）"),
    30,
    _("《行政复议法》第六十二条第二款：适用简易程序的，自受理申请之日起三十日内作出决定。"),
)
EXAM_PASS_MARK = local_settings.declare(
    "capacity.exam_pass_mark",
    _("任前法律知识考试：合格分数线"),
    60,
    _("考试成绩达到该分数（含）为合格。"),
)
# 复议法 art. 62: the ceiling of the time limit before any extension.
STATUTORY_DAYS = 60
# 复议法 art. 62: an extension is approved by the head of the reconsideration office and may not
# exceed 30 days. National law: kept in code.
MAX_EXTENSION_DAYS = 30
# 复议法 art. 30: the application is examined within 5 (working, art. 88) days; if no decision not
# to accept is made by then, it is deemed accepted when the examination period ends.
EXAMINATION_WORKING_DAYS = 5


def period_end(start: datetime.date, days: int) -> datetime.date:
    """The last day of a period of `days` calendar days starting the day after `start`.

    复议法 art. 88 applies the 民事诉讼法 rules on periods (art. 85): the starting day is not
    counted, and a period whose last day is a statutory rest day ends on the next working day.
    """
    end = start + datetime.timedelta(days=days)
    while not calendar.is_working_day(end):
        end += datetime.timedelta(days=1)
    return end


def _percent_rows(rows: Any, numerator: str, denominator: str) -> dict[int, Rate]:
    return {row["department"]: Rate(row[numerator], row[denominator]) for row in rows}


# --- 行政复议 -------------------------------------------------------------------------------------


class ReconsiderationQuerySet(RestrictedQuerySet):
    def received_in(self, year: int) -> ReconsiderationQuerySet:
        return self.filter(received_on__year=year)

    def decided(self) -> ReconsiderationQuerySet:
        return self.filter(decided_on__isnull=False)

    def decided_in(self, year: int) -> ReconsiderationQuerySet:
        return self.filter(decided_on__year=year)

    def corrected(self) -> ReconsiderationQuerySet:
        return self.filter(result__in=CORRECTION_RESULTS)

    def overdue(self, on: datetime.date | None = None) -> ReconsiderationQuerySet:
        """Undecided and past the due date (the due day itself is still in time)."""
        return self.filter(decided_on__isnull=True, due_on__lt=on or timezone.localdate())

    def correction_rate(self) -> Rate:
        """纠错率 of these rows: corrected ÷ decided."""
        counts = self.decided().aggregate(
            decided=Count("pk"), corrected=Count("pk", filter=Q(result__in=CORRECTION_RESULTS))
        )
        return Rate(counts["corrected"], counts["decided"])

    def correction_rates_by_department(self, year: int) -> dict[int, Rate]:
        """纠错率 per respondent department (id) of the reconsiderations decided in `year`."""
        rows = (
            self.decided_in(year)
            .order_by()
            .values("department")
            .annotate(
                decided=Count("pk"),
                corrected=Count("pk", filter=Q(result__in=CORRECTION_RESULTS)),
            )
        )
        return _percent_rows(rows, "corrected", "decided")


class Reconsideration(ChangeLoggedModel):
    """One application for administrative reconsideration (行政复议申请) against an act of a
    district department, from receipt to the decision.

    The due date is kept in the row (`due_on`) so that "overdue" is a query: 60 calendar days
    (the local setting) from acceptance, or from the day acceptance is deemed (art. 30), plus an
    approved extension, moved off a rest day (art. 88).
    """

    case_number = models.CharField(_("复议案号"), max_length=60, unique=True)
    applicant_name = models.CharField(_("申请人"), max_length=200)
    applicant_kind = models.CharField(_("申请人类别"), max_length=20, choices=ApplicantKind.choices)
    department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        related_name="+",
        verbose_name=_("被申请人（部门）"),
    )
    matter = models.TextField(_("被申请复议的行政行为"), max_length=2000)
    procedure = models.CharField(
        _("审理程序"),
        max_length=20,
        choices=ReconsiderationProcedure.choices,
        default=ReconsiderationProcedure.ORDINARY,
    )
    received_on = models.DateField(_("收到申请日期"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(
        _("审理期限（日）"),
        null=True,
        blank=True,
        help_text=_("留空按本地设置（普通程序 60 日，简易程序 30 日）。"),
    )
    extension_days = models.PositiveSmallIntegerField(
        _("延长期限（日）"), default=0, validators=[MaxValueValidator(MAX_EXTENSION_DAYS)]
    )
    extension_reason = models.CharField(_("延长理由"), max_length=500, blank=True)
    due_on = models.DateField(_("决定期限"), editable=False)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    result = models.CharField(
        _("复议结果"), max_length=24, choices=ReconsiderationResult.choices, blank=True
    )
    decision_note = models.TextField(_("决定要旨"), max_length=2000, blank=True)

    permission_area = "disputes"
    department_field = "department"
    objects = ReconsiderationQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政复议案件")
        verbose_name_plural = _("行政复议案件")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True, result="")
                | Q(decided_on__isnull=False) & ~Q(result=""),
                name="reconsideration_decided_has_result",
            ),
            models.CheckConstraint(
                condition=Q(extension_days__lte=MAX_EXTENSION_DAYS),
                name="reconsideration_extension_at_most_30_days",
            ),
        ]

    def __str__(self) -> str:
        return self.case_number

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None

    @property
    def is_corrected(self) -> bool:
        return self.result in CORRECTION_RESULTS

    @property
    def effective_accepted_on(self) -> datetime.date | None:
        """The acceptance date, or the day acceptance is deemed (art. 30) if none is entered."""
        if self.accepted_on is not None:
            return self.accepted_on
        if self.received_on is None:
            return None
        return calendar.add_working_days(self.received_on, EXAMINATION_WORKING_DAYS)

    def default_time_limit(self) -> int:
        setting = (
            SIMPLIFIED_RECONSIDERATION_DAYS
            if self.procedure == ReconsiderationProcedure.SIMPLIFIED
            else RECONSIDERATION_DAYS
        )
        return int(local_settings.get(setting.key))

    def compute_due_on(self) -> datetime.date | None:
        start = self.effective_accepted_on
        if start is None:
            return None
        days = self.time_limit_days or self.default_time_limit()
        return period_end(start, days + self.extension_days)

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        """Undecided past the due date, or decided after it."""
        if self.due_on is None:
            return False
        if self.decided_on is not None:
            return self.decided_on > self.due_on
        return (on or timezone.localdate()) > self.due_on

    def fill_derived(self) -> None:
        if self.time_limit_days is None and self.received_on is not None:
            # Fixed when the case is entered: a later change of the setting does not move it.
            self.time_limit_days = self.default_time_limit()
        due = self.compute_due_on()
        if due is not None:
            self.due_on = due

    def clean_fields(self, exclude: Any = None) -> None:
        self.fill_derived()
        super().clean_fields(exclude)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_derived()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        now = timezone.localdate()
        if self.received_on and self.received_on > now:
            errors["received_on"] = _("收到申请日期不能晚于今天。")
        if self.accepted_on and self.received_on and self.accepted_on < self.received_on:
            errors["accepted_on"] = _("受理日期不能早于收到申请日期。")
        if self.decided_on is not None:
            if self.received_on and self.decided_on < self.received_on:
                errors["decided_on"] = _("决定日期不能早于收到申请日期。")
            elif self.accepted_on and self.decided_on < self.accepted_on:
                errors["decided_on"] = _("决定日期不能早于受理日期。")
            elif self.decided_on > now:
                errors["decided_on"] = _("决定日期不能晚于今天。")
            if not self.result:
                errors["result"] = _("已填写决定日期的，须选择复议结果。")
        elif self.result:
            errors["decided_on"] = _("选择了复议结果的，须填写决定日期。")
        if self.time_limit_days is not None and not 1 <= self.time_limit_days <= STATUTORY_DAYS:
            errors["time_limit_days"] = _(
                "审理期限应在 1 至 60 日之间（《行政复议法》第六十二条）；延长请另行办理。"
            )
        if self.extension_days and not self.extension_reason.strip():
            errors["extension_reason"] = _("延长审理期限须写明理由（经行政复议机构负责人批准）。")
        if errors:
            raise ValidationError(errors)


# --- 行政应诉 -------------------------------------------------------------------------------------


class Litigation(ChangeLoggedModel):
    """One administrative lawsuit (行政诉讼案件) in which a district department is the defendant,
    at one level (一审, 二审 or 再审: each has its own case number)."""

    case_number = models.CharField(_("案号"), max_length=60, unique=True)
    court = models.CharField(_("审理法院"), max_length=100)
    instance = models.CharField(
        _("审级"), max_length=10, choices=Instance.choices, default=Instance.FIRST
    )
    department = models.ForeignKey(
        "accounts.Department", models.PROTECT, related_name="+", verbose_name=_("被告（部门）")
    )
    plaintiff_name = models.CharField(_("原告"), max_length=200)
    cause = models.CharField(_("案由"), max_length=200)
    filed_on = models.DateField(_("收到应诉通知日期"))
    concluded_on = models.DateField(_("结案日期"), null=True, blank=True)
    result = models.CharField(
        _("裁判结果"), max_length=24, choices=LitigationResult.choices, blank=True
    )
    note = models.TextField(_("备注"), max_length=2000, blank=True)

    permission_area = "disputes"
    department_field = "department"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政应诉案件")
        verbose_name_plural = _("行政应诉案件")
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return self.case_number

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.filed_on and self.filed_on > timezone.localdate():
            errors["filed_on"] = _("收到应诉通知日期不能晚于今天。")
        if self.concluded_on is not None:
            if self.filed_on and self.concluded_on < self.filed_on:
                errors["concluded_on"] = _("结案日期不能早于收到应诉通知日期。")
            if not self.result:
                errors["result"] = _("已填写结案日期的，须选择裁判结果。")
        elif self.result:
            errors["concluded_on"] = _("选择了裁判结果的，须填写结案日期。")
        if self.result in APPEAL_RESULTS and self.instance == Instance.FIRST:
            errors["result"] = _("“%(result)s”是二审或再审的裁判结果，本案为一审。") % {
                "result": self.get_result_display()
            }
        if errors:
            raise ValidationError(errors)

    def appearance_rate(self, on: datetime.date | None = None) -> Rate:
        return Hearing.objects.filter(litigation=self).appearance_rate(on)


class HearingQuerySet(RestrictedQuerySet):
    def in_year(self, year: int) -> HearingQuerySet:
        return self.filter(held_on__year=year)

    def counted(self, on: datetime.date | None = None) -> HearingQuerySet:
        """Hearings held by `on` that required the head's appearance and whose appearance is
        recorded: the denominator of 出庭率."""
        return self.filter(
            appearance_required=True,
            held_on__lte=on or timezone.localdate(),
            head_appeared__isnull=False,
        )

    def unrecorded(self, on: datetime.date | None = None) -> HearingQuerySet:
        """Held, appearance required, and nobody has recorded who appeared yet."""
        return self.filter(
            appearance_required=True,
            held_on__lte=on or timezone.localdate(),
            head_appeared__isnull=True,
        )

    def appearance_rate(self, on: datetime.date | None = None) -> Rate:
        """出庭率 of these hearings: the head appeared ÷ counted (see `counted`)."""
        counts = self.counted(on).aggregate(
            counted=Count("pk"), appeared=Count("pk", filter=Q(head_appeared=True))
        )
        return Rate(counts["appeared"], counts["counted"])

    def appearance_rates_by_department(
        self, year: int, on: datetime.date | None = None
    ) -> dict[int, Rate]:
        """出庭率 per defendant department (id) of the hearings held in `year`."""
        rows = (
            self.in_year(year)
            .counted(on)
            .order_by()
            .annotate(department=F("litigation__department"))
            .values("department")
            .annotate(counted=Count("pk"), appeared=Count("pk", filter=Q(head_appeared=True)))
        )
        return _percent_rows(rows, "appeared", "counted")


class Hearing(ChangeLoggedModel):
    """One court session (开庭) of a lawsuit, and whether the defendant's responsible head
    (负责人: 正职、副职或其他参与分管的负责人, 出庭规定 art. 2) appeared.

    诉讼法 art. 3 para. 3: the head shall appear; one who cannot must send a staff member.
    `head_appeared` is None until someone records the appearance after the hearing.
    """

    litigation = models.ForeignKey(
        Litigation, models.CASCADE, related_name="hearings", verbose_name=_("应诉案件")
    )
    held_on = models.DateField(_("开庭日期"))
    appearance_required = models.BooleanField(
        _("须负责人出庭"),
        default=True,
        help_text=_("不开庭的询问、调查等不计入出庭率的可取消勾选，并在备注中说明。"),
    )
    head_appeared = models.BooleanField(_("负责人出庭"), null=True, blank=True)
    head_name = models.CharField(_("出庭负责人"), max_length=50, blank=True)
    head_position = models.CharField(_("职务"), max_length=50, blank=True)
    attendees = models.CharField(_("出庭人员"), max_length=200, blank=True)
    absence_reason = models.CharField(
        _("未出庭原因"), max_length=24, choices=AbsenceReason.choices, blank=True
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)

    permission_area = "disputes"
    objects = HearingQuerySet.as_manager()

    class Meta:
        verbose_name = _("开庭")
        verbose_name_plural = _("开庭")
        ordering = ["litigation", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.litigation_id} {self.held_on:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        filed_on = self.litigation.filed_on if self.litigation_id else None
        if self.held_on and filed_on and self.held_on < filed_on:
            errors["held_on"] = _("开庭日期不能早于收到应诉通知日期（%(day)s）。") % {
                "day": filed_on.strftime("%Y-%m-%d")
            }
        if self.head_appeared is not None:
            if self.held_on and self.held_on > timezone.localdate():
                errors["head_appeared"] = _("开庭日期尚未到，不能登记出庭情况。")
            if not self.attendees.strip():
                errors["attendees"] = _("请填写出庭人员（负责人不能出庭的，应委托工作人员出庭）。")
        if self.head_appeared is True:
            if not self.head_name.strip():
                errors["head_name"] = _("负责人出庭的，请填写出庭负责人姓名。")
            if self.absence_reason:
                errors["absence_reason"] = _("负责人已出庭，不应填写未出庭原因。")
        if self.head_appeared is False and not self.absence_reason:
            errors["absence_reason"] = _("负责人未出庭的，须选择未出庭原因。")
        if errors:
            raise ValidationError(errors)


# --- 人民调解 -------------------------------------------------------------------------------------


class MediationRoom(ChangeLoggedModel):
    """A people's mediation room (调解室), often named after its mediator (老崔调解室), in a
    township; some take part in the cross-province 跨省邻边 "三联一共" mechanism."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    township = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": DepartmentKind.TOWNSHIP},
        verbose_name=_("所在镇（街）"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    mediators = models.TextField(
        _("调解员"), max_length=1000, help_text=_("每行一人，可注明职务或专长。")
    )
    is_branded = models.BooleanField(_("品牌调解室"), default=False)
    is_cross_province = models.BooleanField(_("跨省邻边联调"), default=False)
    partner_region = models.CharField(
        _("协作地区"), max_length=100, blank=True, help_text=_("如：江苏省邳州市")
    )
    established_on = models.DateField(_("设立日期"))
    is_active = models.BooleanField(_("在运行"), default=True)

    permission_area = "disputes"
    department_field = "township"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("调解室")
        verbose_name_plural = _("调解室")
        ordering = ["township__name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def mediator_list(self) -> list[str]:
        return [line.strip() for line in self.mediators.splitlines() if line.strip()]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.is_cross_province and not self.partner_region.strip():
            errors["partner_region"] = _("参加跨省邻边联调的，请填写协作地区。")
        if not self.is_cross_province and self.partner_region.strip():
            errors["is_cross_province"] = _("填写了协作地区的，请勾选跨省邻边联调。")
        if not self.mediator_list:
            errors["mediators"] = _("请至少填写一名调解员。")
        if self.established_on and self.established_on > timezone.localdate():
            errors["established_on"] = _("设立日期不能晚于今天。")
        if errors:
            raise ValidationError(errors)


class MediationCaseQuerySet(RestrictedQuerySet):
    def received_in(self, year: int) -> MediationCaseQuerySet:
        return self.filter(received_on__year=year)

    def closed_in(self, year: int) -> MediationCaseQuerySet:
        return self.filter(closed_on__year=year)

    def success_rate(self) -> Rate:
        """调解成功率 of these rows: succeeded ÷ closed (open cases are not counted)."""
        counts = self.filter(closed_on__isnull=False).aggregate(
            closed=Count("pk"),
            succeeded=Count("pk", filter=Q(result=MediationResult.SUCCEEDED)),
        )
        return Rate(counts["succeeded"], counts["closed"])


class MediationCase(ChangeLoggedModel):
    """One dispute brought to a mediation room, its result, agreement and follow-up visit."""

    room = models.ForeignKey(
        MediationRoom, models.PROTECT, related_name="cases", verbose_name=_("调解室")
    )
    # The room's township, copied on save, so department scoping is one column like elsewhere.
    department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("所在镇（街）"),
    )
    parties = models.CharField(_("当事人"), max_length=300)
    dispute_type = models.CharField(_("纠纷类型"), max_length=20, choices=DisputeType.choices)
    is_cross_province = models.BooleanField(_("跨省纠纷"), default=False)
    summary = models.TextField(_("纠纷简要情况"), max_length=2000, blank=True)
    received_on = models.DateField(_("受理日期"))
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    result = models.CharField(
        _("调解结果"), max_length=20, choices=MediationResult.choices, blank=True
    )
    agreement = models.TextField(_("调解协议内容"), max_length=2000, blank=True)
    agreement_amount = models.DecimalField(
        _("协议涉及金额（元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    follow_up_on = models.DateField(_("回访日期"), null=True, blank=True)
    follow_up_note = models.CharField(_("回访情况"), max_length=500, blank=True)

    permission_area = "disputes"
    department_field = "department"
    objects = MediationCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("调解案件")
        verbose_name_plural = _("调解案件")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, result="")
                | Q(closed_on__isnull=False) & ~Q(result=""),
                name="mediation_case_closed_has_result",
            )
        ]

    def __str__(self) -> str:
        return f"{self.room_id}/{self.pk} {self.parties}"

    def fill_derived(self) -> None:
        if self.room_id is not None:
            self.department_id = MediationRoom.objects.values_list("township", flat=True).get(
                pk=self.room_id
            )

    def clean_fields(self, exclude: Any = None) -> None:
        self.fill_derived()
        super().clean_fields(exclude)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_derived()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        now = timezone.localdate()
        if self.received_on and self.received_on > now:
            errors["received_on"] = _("受理日期不能晚于今天。")
        if self.closed_on is not None:
            if self.received_on and self.closed_on < self.received_on:
                errors["closed_on"] = _("结案日期不能早于受理日期。")
            elif self.closed_on > now:
                errors["closed_on"] = _("结案日期不能晚于今天。")
            if not self.result:
                errors["result"] = _("已填写结案日期的，须选择调解结果。")
        elif self.result:
            errors["closed_on"] = _("选择了调解结果的，须填写结案日期。")
        if self.result == MediationResult.SUCCEEDED and not self.agreement.strip():
            errors["agreement"] = _("调解成功的，须填写调解协议内容。")
        if self.result != MediationResult.SUCCEEDED and (
            self.agreement.strip() or self.agreement_amount is not None
        ):
            errors["agreement"] = _("只有调解成功的案件才有调解协议。")
        followed_early = self.closed_on is None or (
            self.follow_up_on is not None and self.follow_up_on < self.closed_on
        )
        if self.follow_up_on is not None and followed_early:
            errors["follow_up_on"] = _("回访日期不能早于结案日期（未结案的不能回访）。")
        if errors:
            raise ValidationError(errors)


# --- 法治能力 ---------------------------------------------------------------------------------------


class PreAppointmentExamQuerySet(RestrictedQuerySet):
    def in_year(self, year: int) -> PreAppointmentExamQuerySet:
        return self.filter(exam_on__year=year)

    def passed(self) -> PreAppointmentExamQuerySet:
        return self.filter(score__gte=F("pass_mark"))

    def pass_rate(self) -> Rate:
        counts = self.aggregate(
            sat=Count("pk"), passed=Count("pk", filter=Q(score__gte=F("pass_mark")))
        )
        return Rate(counts["passed"], counts["sat"])


class PreAppointmentExam(ChangeLoggedModel):
    """One nominee's 任前法律知识考试 (pre-appointment law exam) before appointment to a post,
    including cadres to be appointed by the district people's congress standing committee.

    The pass mark in force on the day is stored with the score, so a later change of the
    setting does not change past results.
    """

    nominee_name = models.CharField(_("拟任人员"), max_length=50)
    position = models.CharField(_("拟任职务"), max_length=100)
    department = models.ForeignKey(
        "accounts.Department", models.PROTECT, related_name="+", verbose_name=_("拟任单位")
    )
    is_congress_appointment = models.BooleanField(_("拟提请人大常委会任命"), default=False)
    exam_on = models.DateField(_("考试日期"))
    score = models.DecimalField(
        _("成绩"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    pass_mark = models.DecimalField(_("合格分数线"), max_digits=4, decimal_places=1, editable=False)

    permission_area = "capacity"
    department_field = "department"
    objects = PreAppointmentExamQuerySet.as_manager()

    class Meta:
        verbose_name = _("任前法律知识考试")
        verbose_name_plural = _("任前法律知识考试")
        ordering = ["-exam_on", "-id"]

    def __str__(self) -> str:
        return f"{self.nominee_name} {self.exam_on:%Y-%m-%d}"

    @property
    def is_passed(self) -> bool:
        return (
            self.score is not None and self.pass_mark is not None and self.score >= self.pass_mark
        )

    def fill_derived(self) -> None:
        if self.pass_mark is None:
            self.pass_mark = Decimal(str(local_settings.get(EXAM_PASS_MARK.key)))

    def clean_fields(self, exclude: Any = None) -> None:
        self.fill_derived()
        super().clean_fields(exclude)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_derived()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.exam_on and self.exam_on > timezone.localdate():
            raise ValidationError({"exam_on": _("考试日期不能晚于今天。")})


class TrainingSession(ChangeLoggedModel):
    """A training course (培训班), e.g. for administrative enforcement officers."""

    title = models.CharField(_("培训名称"), max_length=200)
    held_on = models.DateField(_("培训日期"))
    organiser = models.ForeignKey(
        "accounts.Department", models.PROTECT, related_name="+", verbose_name=_("主办单位")
    )
    hours = models.DecimalField(
        _("学时"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("200"))],
    )
    participant_count = models.PositiveIntegerField(
        _("参训人数"), validators=[MinValueValidator(1)]
    )
    participants = models.TextField(
        _("参训人员名单"), max_length=5000, blank=True, help_text=_("可选，每行一人。")
    )
    is_enforcement_training = models.BooleanField(_("行政执法人员培训"), default=False)

    permission_area = "capacity"
    department_field = "organiser"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        named = [line for line in self.participants.splitlines() if line.strip()]
        if named and self.participant_count is not None and len(named) > self.participant_count:
            errors["participant_count"] = _("参训人数少于名单中的人数（%(n)s 人）。") % {
                "n": len(named)
            }
        if self.held_on and self.held_on > timezone.localdate():
            errors["held_on"] = _("培训日期不能晚于今天（计划中的培训请在举办后登记）。")
        if errors:
            raise ValidationError(errors)


class StudyRecord(ChangeLoggedModel):
    """One person's law study in a department (学法记录), including collective study sessions
    (集体学法) of the constitution and laws in the department's study plan."""

    department = models.ForeignKey(
        "accounts.Department", models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    person_name = models.CharField(_("学习人员"), max_length=50)
    studied_on = models.DateField(_("学习日期"))
    topic = models.CharField(_("学习内容"), max_length=200)
    hours = models.DecimalField(
        _("学时"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    is_collective = models.BooleanField(_("集体学法"), default=False)

    permission_area = "capacity"
    department_field = "department"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("学法记录")
        verbose_name_plural = _("学法记录")
        ordering = ["-studied_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person_name} {self.topic}"

    def clean(self) -> None:
        super().clean()
        if self.studied_on and self.studied_on > timezone.localdate():
            raise ValidationError({"studied_on": _("学习日期不能晚于今天。")})


# --- events -----------------------------------------------------------------------------------------


class DisputeEvent(WorkflowEvent):
    """One step with consequences (a decision, an appearance, a closed mediation), written only
    by disputes.actions, beside the change log of the row it changed."""

    type = models.CharField(_("环节"), max_length=32, choices=EventType.choices)
    reconsideration = models.ForeignKey(
        Reconsideration,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("行政复议案件"),
    )
    hearing = models.ForeignKey(
        Hearing,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("开庭"),
    )
    mediation_case = models.ForeignKey(
        MediationCase,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("调解案件"),
    )
    actor = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("经办人")
    )
    payload = models.JSONField(_("内容"), default=dict, blank=True)

    permission_area = "disputes"

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reconsideration__isnull=False, hearing=None, mediation_case=None)
                | Q(reconsideration=None, hearing__isnull=False, mediation_case=None)
                | Q(reconsideration=None, hearing=None, mediation_case__isnull=False),
                name="dispute_event_has_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.created_at:%Y-%m-%d}"
