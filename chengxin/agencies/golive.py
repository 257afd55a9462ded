"""The go-live checklist's item of the agencies app (core.golive): the enforcement bodies."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.choices import Role
from chengxin.agencies.models import EnforcementBody
from chengxin.core.golive import Place, counted

CHECKS = (
    counted(
        "enforcement_bodies",
        _("行政执法主体"),
        "organisation",
        Place(
            _("执法主体"),
            "agencies:bodies",
            permission="agencies.view_enforcementbody",
            set_by=Role.RULE_OF_LAW_ADMIN.label,
        ),
        lambda: EnforcementBody.objects.active().count(),
        found=_("已录入 %(count)s 个有效的执法主体。"),
        none=_(
            "尚未录入有效的行政执法主体（可用 chengxin setup --load enforcement_bodies 按模板批量导入）。"
        ),
    ),
)
