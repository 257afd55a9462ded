"""执法主体 and 执法人员: the two registries behind 事前公开 and case assignment.

A body is 法定, 法律法规授权 or 受委托 (then it acts in the name of its entrusting body, which must
be recorded: 行政处罚法 art. 20). Its heads (负责人) sign its enforcement decisions off; its
legality reviews go to its own department's 法制机构 unless another reviewing unit is set
(国办发〔2018〕118号, cases.rules.reviewing_department). An officer may be assigned to a case on a
day when on duty (在岗), the certificate valid that day (both ends inclusive) and the body
active; only established staff (在编) who passed the qualification exam hold a certificate.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chengxin.agencies.choices import (
    NON_ESTABLISHED,
    BodyKind,
    BodyStatus,
    EventType,
    OfficerStatus,
    RemovalReason,
    Sector,
    Staffing,
)
from chengxin.core.identifiers import validate_uscc
from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet
from chengxin.imports.models import RegistryImport, RejectedRow


class EnforcementBodyQuerySet(RestrictedQuerySet):
    def active(self) -> EnforcementBodyQuerySet:
        return self.filter(status=BodyStatus.ACTIVE)


class EnforcementBody(ChangeLoggedModel):
    """One enforcement body (执法主体) confirmed by the district government."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    kind = models.CharField(_("主体类型"), max_length=20, choices=BodyKind.choices)
    entrusting_body = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="entrusted_bodies",
        verbose_name=_("委托机关"),
    )
    legal_basis = models.TextField(_("执法依据"), max_length=2000)
    domains = models.CharField(_("执法领域"), max_length=200)
    territory = models.CharField(_("执法地域"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=10, choices=BodyStatus.choices, default=BodyStatus.ACTIVE
    )
    confirming_document = models.CharField(_("确认文件"), max_length=200)
    confirmed_on = models.DateField(_("确认日期"))
    revoking_document = models.CharField(_("撤销文件"), max_length=200, blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="enforcement_bodies",
        verbose_name=_("对应部门"),
        help_text=_("以该主体名义办案的工作人员所在部门。"),
    )
    sector = models.CharField(
        _("执法领域类别"),
        max_length=20,
        choices=Sector.choices,
        default=Sector.OTHER,
        help_text=_("决定适用哪一领域的办案期限延长规定（本地设置）。"),
    )
    legal_review_department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("法制审核机构"),
        help_text=_(
            "留空：由对应部门的法制机构（本部门法制审核员）审核；本部门没有法制审核员的，"
            "由全区法制审核员（司法局）审核。"
        ),
    )
    heads = models.ManyToManyField(
        "accounts.User",
        blank=True,
        related_name="headed_bodies",
        verbose_name=_("负责人"),
        help_text=_("签批本主体执法决定、批准延长办案期限的负责人（系统账号）。"),
    )

    permission_area = "agencies"
    department_field = "department"
    objects = EnforcementBodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法主体")
        verbose_name_plural = _("执法主体")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="entrusted") | Q(entrusting_body__isnull=False),
                name="entrusted_body_has_entrusting_body",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(revoked_on__isnull=False),
                name="revoked_body_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == BodyStatus.ACTIVE

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.credit_code:
            try:
                self.credit_code = validate_uscc(self.credit_code, allow_placeholder=False)
            except ValidationError as exc:
                errors["credit_code"] = exc.messages
        if self.kind == BodyKind.ENTRUSTED:
            if self.entrusting_body_id is None:
                errors["entrusting_body"] = _("受委托组织必须填写委托机关。")
            elif self.pk is not None and self.entrusting_body_id == self.pk:
                errors["entrusting_body"] = _("委托机关不能是本主体。")
            elif self.entrusting_body is not None and (
                self.entrusting_body.kind == BodyKind.ENTRUSTED
            ):
                errors["entrusting_body"] = _("受委托组织不得再委托，委托机关应为法定或授权主体。")
            elif (
                self.entrusting_body is not None
                and self.status == BodyStatus.ACTIVE
                and self.entrusting_body.status != BodyStatus.ACTIVE
            ):
                errors["entrusting_body"] = _("委托机关已撤销，不能委托。")
        elif self.entrusting_body_id is not None:
            errors["entrusting_body"] = _("只有受委托组织填写委托机关。")
        if self.status == BodyStatus.REVOKED:
            if not self.revoking_document.strip():
                errors["revoking_document"] = _("撤销执法主体必须填写撤销文件。")
            if self.revoked_on is None:
                errors["revoked_on"] = _("撤销执法主体必须填写撤销日期。")
        if self.revoked_on and self.confirmed_on and self.revoked_on < self.confirmed_on:
            errors["revoked_on"] = _("撤销日期不能早于确认日期。")
        if errors:
            raise ValidationError(errors)


# Journal entries that change an officer's status, and the status each sets.
STATUS_EVENTS: dict[str, str] = {
    EventType.OFFICER_SUSPENDED: OfficerStatus.SUSPENDED,
    EventType.OFFICER_REINSTATED: OfficerStatus.ON_DUTY,
    EventType.OFFICER_CANCELLED: OfficerStatus.CANCELLED,
    EventType.OFFICER_REMOVED: OfficerStatus.REMOVED,
}


class EnforcementOfficerQuerySet(RestrictedQuerySet):
    def assignable_on(self, day: datetime.date) -> EnforcementOfficerQuerySet:
        """Officers who may be assigned to a case on `day` (EnforcementOfficer.is_assignable_on),
        by their current status: for today (a past day needs the journal, status_on)."""
        return self.filter(
            Q(status_changed_on__isnull=True) | Q(status_changed_on__lte=day),
            status=OfficerStatus.ON_DUTY,
            certificate_valid_from__lte=day,
            certificate_valid_until__gte=day,
            body__status=BodyStatus.ACTIVE,
        )

    def on_duty(self) -> EnforcementOfficerQuerySet:
        return self.filter(status=OfficerStatus.ON_DUTY)


class EnforcementOfficer(ChangeLoggedModel):
    """One holder of an enforcement certificate (执法证) working for one body."""

    body = models.ForeignKey(
        EnforcementBody, models.PROTECT, related_name="officers", verbose_name=_("执法主体")
    )
    name = models.CharField(_("姓名"), max_length=50)
    certificate_number = models.CharField(_("执法证号"), max_length=40, unique=True)
    categories = models.CharField(_("执法类别"), max_length=200)
    area = models.CharField(_("执法区域"), max_length=100)
    certificate_valid_from = models.DateField(_("执法证有效期起"))
    certificate_valid_until = models.DateField(_("执法证有效期止"))
    has_legal_qualification = models.BooleanField(_("法律职业资格"), default=False)
    training_hours = models.PositiveSmallIntegerField(_("年度培训学时"), default=0)
    exam_passed = models.BooleanField(_("执法资格考试合格"), default=False)
    # Blank: not yet recorded (officers registered before the field existed, or imported
    # without it); the edit form asks for it.
    staffing = models.CharField(
        _("编制身份"), max_length=24, choices=Staffing.choices, blank=True, default=""
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=OfficerStatus.choices, default=OfficerStatus.ON_DUTY
    )
    status_reason = models.CharField(_("状态变更原因"), max_length=500, blank=True)
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    removal_reason = models.CharField(
        _("清理原因"), max_length=20, choices=RemovalReason.choices, blank=True
    )

    permission_area = "agencies"
    # Not "body__department": permissions.department_id_of reads "<field>_id" on the instance,
    # which a path cannot give. The agencies area has no department-scoped grant anyway.
    objects = EnforcementOfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        ordering = ["body__name", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(certificate_valid_from__lte=models.F("certificate_valid_until")),
                name="officer_certificate_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"

    @property
    def holds_certificate(self) -> bool:
        """在岗 or 暂停: the certificate is still the officer's (注销 and 清理 ended it)."""
        return self.status in (OfficerStatus.ON_DUTY, OfficerStatus.SUSPENDED)

    def clean(self) -> None:
        """A certificate holder passed the qualification exam and is established staff of a
        kind the district accepts (agencies.rules.certificate_problems, with the citations)."""
        super().clean()
        self.certificate_number = self.certificate_number.strip().upper()
        errors: dict[str, Any] = {}
        if (
            self.certificate_valid_from
            and self.certificate_valid_until
            and self.certificate_valid_until < self.certificate_valid_from
        ):
            errors["certificate_valid_until"] = _("执法证有效期止不能早于有效期起。")
        if self.holds_certificate:
            from chengxin.agencies.qualification import certificate_problems

            errors.update(certificate_problems(self))
        if errors:
            raise ValidationError(errors)

    @property
    def is_established(self) -> bool:
        """在编 by the recorded 编制身份 (blank: not recorded, not known to be otherwise)."""
        return self.staffing not in NON_ESTABLISHED

    def certificate_valid_on(self, day: datetime.date) -> bool:
        return self.certificate_valid_from <= day <= self.certificate_valid_until

    def status_on(self, day: datetime.date) -> str:
        """The status on `day`: the current one unless it changed after `day`; then the one the
        journal's latest status change effective by `day` set, or 在岗 (an officer is registered
        on duty) when none was."""
        if self.status_changed_on is None or self.status_changed_on <= day:
            return self.status
        latest = (
            self.events.filter(type__in=STATUS_EVENTS, effective_on__lte=day)
            .order_by("-effective_on", "-id")
            .values_list("type", flat=True)
            .first()
        )
        return STATUS_EVENTS[latest] if latest else OfficerStatus.ON_DUTY

    def assignment_problem(self, body_id: int | None, day: datetime.date) -> str | None:
        """Why the officer may not be assigned to a case of body `body_id` on `day`, or None.

        Assignable: of the case's body, 在岗, and the certificate valid on `day` (its last valid day
        included) — is_assignable_on is the one definition.
        """
        if self.body_id != body_id:
            return gettext("%(name)s（执法证号 %(number)s）不属于本案执法主体。") % {
                "name": self.name,
                "number": self.certificate_number,
            }
        if self.is_assignable_on(day):
            return None
        until = self.certificate_valid_until
        starts = self.certificate_valid_from
        if until is not None and until < day:
            reason = gettext("执法证已于 %(date)s 到期") % {"date": until.isoformat()}
        elif starts is not None and starts > day:
            reason = gettext("执法证自 %(date)s 起有效") % {"date": starts.isoformat()}
        elif (status := self.status_on(day)) != OfficerStatus.ON_DUTY:
            reason = gettext("当日状态为“%(status)s”") % {"status": OfficerStatus(status).label}
        else:
            reason = gettext("所在执法主体已撤销")
        return gettext("%(name)s（执法证号 %(number)s）%(reason)s，%(day)s 不能承办案件。") % {
            "name": self.name,
            "number": self.certificate_number,
            "reason": reason,
            "day": day.isoformat(),
        }

    def is_assignable_on(self, day: datetime.date | None = None) -> bool:
        """在岗 on `day` (status_on), the certificate valid on `day` (first and last day
        included), the body active."""
        day = day or timezone.localdate()
        return (
            self.status_on(day) == OfficerStatus.ON_DUTY
            and self.certificate_valid_on(day)
            and self.body.status == BodyStatus.ACTIVE
        )


class AgencyEvent(models.Model):
    """The journal of a body or an officer: one step, written only by agencies.actions.

    `request_id` ties the entries of one bulk action (a clean-up) to each other and to the
    change log of the same request.
    """

    body = models.ForeignKey(
        EnforcementBody,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("执法主体"),
    )
    officer = models.ForeignKey(
        EnforcementOfficer,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("执法人员"),
    )
    type = models.CharField(_("事项"), max_length=24, choices=EventType.choices)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    document = models.CharField(_("文件依据"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    request_id = models.UUIDField(_("请求编号"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    permission_area = "agencies"

    class Meta:
        verbose_name = _("主体与人员记录")
        verbose_name_plural = _("主体与人员记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__isnull=False) | Q(officer__isnull=False),
                name="agency_event_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.created_at:%Y-%m-%d}"


class OfficerImport(RegistryImport):
    """One uploaded file of officers (执法人员导入), with its counts and rejected rows.

    Valid rows are created or updated by 执法证号 (the natural key); invalid ones are kept as
    `OfficerImportRejection`s for the report. A failed import left no officer behind.
    """

    permission_area = "agencies"

    class Meta(RegistryImport.Meta):
        verbose_name = _("执法人员导入批次")
        verbose_name_plural = _("执法人员导入批次")


class OfficerImportRejection(RejectedRow):
    """A row of an officer import that was refused (imports.RejectedRow)."""

    batch = models.ForeignKey(
        OfficerImport, models.CASCADE, related_name="rejections", verbose_name=_("批次")
    )

    permission_area = "agencies"

    class Meta(RejectedRow.Meta):
        verbose_name = _("执法人员导入拒收行")
        verbose_name_plural = _("执法人员导入拒收行")
