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
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # Chapters shown as 无数据 when it was generated (modules not landed, or failed).
    missing_chapters = models.JSONField(_("无数据的章节"), default=list, blank=True)

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
        generated = timezone.localtime(self.generated_at)
        return f"annual-report-{self.year}-{generated:%Y%m%d%H%M%S}.{self.format}"
