"""The go-live checklist's item of the documents app (core.golive): the issuing bodies."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.choices import Role
from chengxin.core.golive import Place, counted
from chengxin.documents.models import IssuingBody

CHECKS = (
    counted(
        "issuing_bodies",
        _("规范性文件制定主体"),
        "organisation",
        Place(
            _("制定主体"),
            "documents:bodies",
            permission="documents.view_normativedocument",
            set_by=Role.RULE_OF_LAW_ADMIN.label,
        ),
        lambda: IssuingBody.objects.confirmed().count(),
        found=_("已确认 %(count)s 个制定主体。"),
        none=_(
            "尚未确认规范性文件制定主体（文号代字）（可用 chengxin setup --load issuing_bodies 按模板批量导入）。"
        ),
    ),
)
