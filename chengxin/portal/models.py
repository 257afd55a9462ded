"""What the portal keeps: the credit reports it has issued, so that anyone can verify one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chengxin.core.models import ChangeLoggedModel


class CreditReport(ChangeLoggedModel):
    """One credit report (信用报告) PDF handed out by the public portal.

    The PDF itself is not kept: the SHA-256 of the exact bytes issued is enough to tell whether a
    file someone presents is that report, unaltered, and keeping every PDF would store the same
    public records over and over. What the report said is also recorded in brief (the name as
    printed and the record counts), so the verification page can describe it without the file.
    """

    number = models.CharField(_("报告编号"), max_length=32, unique=True)
    subject = models.ForeignKey(
        "subjects.Subject",
        models.PROTECT,
        related_name="credit_reports",
        verbose_name=_("信用主体"),
    )
    subject_name = models.CharField(
        _("报告所载名称"), max_length=200, help_text=_("自然人为遮蔽后的姓名，与报告所印一致")
    )
    penalty_count = models.PositiveIntegerField(_("行政处罚信息条数"))
    license_count = models.PositiveIntegerField(_("行政许可信息条数"))
    pdf_sha256 = models.CharField(_("PDF 文件 SHA-256"), max_length=64)
    verification_code = models.CharField(_("验证码"), max_length=16)
    generated_at = models.DateTimeField(_("生成时间"))
    requested_ip = models.GenericIPAddressField(_("申请地址"), null=True, blank=True)

    permission_area = "portal"
    # The code is a (weak) secret printed on the report: it stays out of the change log.
    audit_exclude_fields = frozenset({"verification_code"})

    class Meta:
        verbose_name = _("信用报告")
        verbose_name_plural = _("信用报告")
        ordering = ["-generated_at", "-id"]

    def __str__(self) -> str:
        return self.number
