"""Annual reports as handed out: every generated file is kept, with its SHA-256.

A year's figures change after the year ends (late records, corrections, withdrawn decisions), so
the report sent to the people's congress or the city must be reproducible as it was: the exact
file, who generated it and when. Files are small (a few hundred kB) and few, so each is kept under
`storage_dir()` (MEDIA_ROOT/annual-reports, not served by the web server; staff download them
through `reports:file`). See docs/adr/0013-annual-report.md.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def storage_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "annual-reports"


class AnnualReport(ChangeLoggedModel):
    """One generated file of the annual rule-of-law report (法治政府建设年度报告)."""

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    format = models.CharField(_("格式"), max_length=4, choices=ReportFormat.choices)
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("生成人"),
        help_text=_("空：由命令行生成"),
    )
    stored_name = models.CharField(_("存储名"), max_length=100, unique=True, editable=False)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("校验值（SHA-256）"), max_length=64)
    # Chapters shown as 无数据 when it was generated (modules not landed, or failed).
    missing_chapters = models.JSONField(_("无数据的章节"), default=list, blank=True)
    # The report version it renders (empty: a file of the figures alone, before issue 22).
    report = models.ForeignKey(
        "reports.RuleOfLawReport",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("报告版本"),
    )

    permission_area = "reports"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度报告文件")
        verbose_name_plural = _("年度报告文件")
        ordering = ["-generated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.format} {timezone.localtime(self.generated_at):%Y-%m-%d %H:%M}"

    @property
    def path(self) -> Path:
        return storage_dir() / self.stored_name

    @property
    def file_name(self) -> str:
        """The name a download is saved under, in Chinese like the report: whose report, the
        year, the version, and when the file was made (2026年度法治政府建设年度报告-区市场监管局
        -第1版-20270225093000.pdf)."""
        generated = timezone.localtime(self.generated_at)
        parts = [str(_("%(year)s年度法治政府建设年度报告") % {"year": self.year})]
        if self.report is not None:
            if self.report.department is not None:
                parts.append(self.report.department.short_name or self.report.department.name)
            parts.append(str(_("第%(v)s版") % {"v": self.report.version}))
        parts.append(f"{generated:%Y%m%d%H%M%S}")
        return f"{'-'.join(parts)}.{self.format}"


# --- the report as written, finalised and filed (docs/adr/0025) ------------------------------

# The reports as written have an area of their own (accounts.permissions.ROLE_GRANTS): the
# rule-of-law office writes the government's and reviews every department's (REVIEW), a
# department's liaison writes its own department's, the credit office reads them.
REPORT_AREA = "annual_reports"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")  # a department's report, to the justice bureau
    RETURNED = "returned", _("已退回")  # sent back to the department with comments
    FINALISED = "finalised", _("已定稿")


class RuleOfLawReport(ChangeLoggedModel):
    """One version of a year's 法治政府建设年度报告: the government's (department empty) or a
    department's or township's own. Its staff-written text is `texts` (slot → text, every change
    kept in `ReportTextRevision`); its figures are computed live while it is a draft and frozen in
    `snapshot` when it is finalised. A finalised version is never changed again: a new version
    (`version` + 1, `previous`) is made from it instead."""

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="rule_of_law_reports",
        verbose_name=_("报告单位"),
        help_text=_("空：本级人民政府的报告"),
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上一版本"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    issuer = models.CharField(_("落款（发文机关）"), max_length=200)
    addressee = models.CharField(_("主送机关"), max_length=300, blank=True)
    dated = models.DateField(_("成文日期"), null=True, blank=True, help_text=_("空：定稿之日"))
    texts = models.JSONField(_("正文（工作人员撰写部分）"), default=dict, blank=True)
    snapshot = models.JSONField(_("定稿内容"), null=True, blank=True, editable=False)
    finalised_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("定稿人"),
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_comment = models.TextField(_("退回意见"), blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)

    permission_area = REPORT_AREA
    department_field = "department"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("法治政府建设年度报告")
        verbose_name_plural = _("法治政府建设年度报告")
        ordering = ["-year", "department__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department", "version"],
                condition=models.Q(department__isnull=False),
                name="reports_one_department_version_number_a_year",
            ),
            models.UniqueConstraint(
                fields=["year", "version"],
                condition=models.Q(department__isnull=True),
                name="reports_one_government_version_number_a_year",
            ),
        ]

    def __str__(self) -> str:
        author = self.department.name if self.department is not None else self.issuer
        return f"{author} {self.year} v{self.version}"

    @property
    def is_government(self) -> bool:
        return self.department_id is None

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINALISED


class ReportTextRevision(ChangeLoggedModel):
    """One saved change of one slot of a report's text: the history staff can read back."""

    report = models.ForeignKey(
        RuleOfLawReport, models.CASCADE, related_name="revisions", verbose_name=_("报告")
    )
    slot = models.CharField(_("段落"), max_length=60)
    text = models.TextField(_("内容"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )
    saved_at = models.DateTimeField(_("保存时间"))

    permission_area = REPORT_AREA
    department_field = "report__department"

    class Meta:
        verbose_name = _("报告修改记录")
        verbose_name_plural = _("报告修改记录")
        ordering = ["-saved_at", "-id"]

    def __str__(self) -> str:
        return f"{self.report} {self.slot} {self.saved_at:%Y-%m-%d %H:%M}"


class DeliveryRole(models.TextChoices):
    MAIN = "main", _("报送")
    COPY = "copy", _("抄送")


class ReportDelivery(ChangeLoggedModel):
    """To whom and when a finalised report was sent (报送 / 抄送)."""

    report = models.ForeignKey(
        RuleOfLawReport, models.PROTECT, related_name="deliveries", verbose_name=_("报告")
    )
    recipient = models.CharField(_("接收机关"), max_length=200)
    role = models.CharField(_("方式"), max_length=8, choices=DeliveryRole.choices)
    sent_on = models.DateField(_("报送日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    permission_area = REPORT_AREA

    class Meta:
        verbose_name = _("报告报送记录")
        verbose_name_plural = _("报告报送记录")
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.report} → {self.recipient} {self.sent_on}"
