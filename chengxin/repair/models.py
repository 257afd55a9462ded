"""信用修复: applications to stop publishing a penalty or to leave a dishonesty list."""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet
from chengxin.core.workflow import WorkflowEvent
from chengxin.repair.choices import (
    OPEN_STATUSES,
    ApplicationStatus,
    EventType,
    OpinionVerdict,
    RepairKind,
)


def code_digest(code: str) -> str:
    """A keyed digest of a verification code: without the key (the secret key), the digest in
    the database does not let anyone try the 32⁸ codes offline."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, code.strip().upper().encode(), hashlib.sha256).hexdigest()


class RepairApplicationQuerySet(RestrictedQuerySet):
    def open(self) -> RepairApplicationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, on: datetime.date | None = None) -> RepairApplicationQuerySet:
        """Open applications past their acceptance or decision due date (the clock is paused
        while material is requested)."""
        day = on or timezone.localdate()
        return self.filter(
            Q(status=ApplicationStatus.SUBMITTED, acceptance_due__lt=day)
            | Q(status=ApplicationStatus.ACCEPTED, decision_due__lt=day)
        )


class RepairApplication(ChangeLoggedModel):
    """One application (申请) by a subject to repair one penalty record or one list entry.

    The receipt number and a verification code (stored as a digest) let the applicant follow it
    without an account. `department` is the deciding department of the record (a penalty's
    数据来源单位), which gives its opinion (同意 / 不同意 with a reason, its author and time); who
    decides follows repair.rules.DECIDED_BY (谁认定、谁修复). Due dates are working days on the
    official calendar.
    """

    receipt_number = models.CharField(_("受理编号"), max_length=24, unique=True)
    verification_digest = models.CharField(_("查询码摘要"), max_length=64, editable=False)
    kind = models.CharField(_("修复类型"), max_length=20, choices=RepairKind.choices)
    subject = models.ForeignKey(
        "subjects.Subject", models.PROTECT, related_name="+", verbose_name=_("信用主体")
    )
    penalty = models.ForeignKey(
        "publicity.PenaltyRecord",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("行政处罚信息"),
    )
    list_entry = models.ForeignKey(
        "screening.ListEntry",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("名单条目"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("决定部门"),
    )
    contact_person = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    statement = models.TextField(_("纠正失信行为情况说明"), max_length=2000)
    commitment_text = models.TextField(_("信用修复承诺书"))
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    acceptance_due = models.DateField(_("受理期限"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    decision_due = models.DateField(_("审查期限"), null=True, blank=True)
    paused_on = models.DateField(_("补正起算日"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decision_reason = models.TextField(_("办理意见"), blank=True)
    department_verdict = models.CharField(
        _("决定部门意见"), max_length=10, choices=OpinionVerdict.choices, blank=True
    )
    department_opinion = models.TextField(
        _("决定部门意见理由"), blank=True, help_text=_("不同意修复的必须说明理由。")
    )
    department_opinion_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("意见出具人"),
    )
    department_opinion_at = models.DateTimeField(_("意见出具时间"), null=True, blank=True)
    sync_due = models.DateField(_("结果推送期限"), null=True, blank=True)

    permission_area = "repair"
    department_field = "department"
    audit_exclude_fields = frozenset({"verification_digest"})
    objects = RepairApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="stop_publicity") & Q(penalty__isnull=False))
                | (Q(kind="remove_from_list") & Q(list_entry__isnull=False)),
                name="repair_application_has_target",
            ),
            # One open application per item, also when two arrive at the same moment.
            models.UniqueConstraint(
                "penalty",
                condition=Q(status__in=OPEN_STATUSES, penalty__isnull=False),
                name="one_open_repair_per_penalty",
            ),
            models.UniqueConstraint(
                "list_entry",
                condition=Q(status__in=OPEN_STATUSES, list_entry__isnull=False),
                name="one_open_repair_per_list_entry",
            ),
            # 不同意 blocks the repair, so the applicant and the credit office must learn why.
            models.CheckConstraint(
                condition=~Q(department_verdict="disagree", department_opinion=""),
                name="repair_disagreement_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_number

    def clean(self) -> None:
        super().clean()
        if (
            self.department_verdict == OpinionVerdict.DISAGREE
            and not self.department_opinion.strip()
        ):
            raise ValidationError({"department_opinion": _("决定部门不同意修复的，必须说明理由。")})

    def code_matches(self, code: str) -> bool:
        return hmac.compare_digest(self.verification_digest, code_digest(code))

    @property
    def current_due(self) -> datetime.date | None:
        if self.status == ApplicationStatus.SUBMITTED:
            return self.acceptance_due
        if self.status == ApplicationStatus.ACCEPTED:
            return self.decision_due
        return None

    @property
    def is_overdue(self) -> bool:
        due = self.current_due
        return due is not None and due < timezone.localdate()

    @property
    def submitted_on(self) -> datetime.date:
        """The application date (in the site's time zone): it chooses the procedure in force."""
        return timezone.localdate(self.submitted_at)

    @property
    def target(self) -> models.Model | None:
        return self.penalty if self.kind == RepairKind.STOP_PUBLICITY else self.list_entry


class RepairEvidence(models.Model):
    """An evidence file (PDF, JPG or PNG, type read from the content) of an application."""

    application = models.ForeignKey(
        RepairApplication, models.CASCADE, related_name="evidence", verbose_name=_("申请")
    )
    original_name = models.CharField(_("文件名"), max_length=200)
    stored_name = models.CharField(_("存储名"), max_length=100, editable=False)
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    permission_area = "repair"

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["application", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class RepairEvent(WorkflowEvent):
    """One step of an application's workflow, written only by repair.actions."""

    application = models.ForeignKey(
        RepairApplication, models.CASCADE, related_name="events", verbose_name=_("申请")
    )
    type = models.CharField(_("环节"), max_length=24, choices=EventType.choices)
    note = models.TextField(_("说明"), blank=True)

    permission_area = "repair"

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["application", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.type}"
