"""The go-live checklist's item of the powers app (core.golive): the power list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.choices import Role
from chengxin.core.golive import Place, counted
from chengxin.powers.models import PowerItem

CHECKS = (
    counted(
        "power_items",
        _("行政权力清单"),
        "organisation",
        Place(
            _("权力清单"),
            "powers:list",
            permission="powers.view_poweritem",
            set_by=Role.RULE_OF_LAW_ADMIN.label,
        ),
        lambda: PowerItem.objects.in_force().count(),
        found=_("清单中现有 %(count)s 项权力事项。"),
        none=_(
            "行政权力清单中尚无权力事项（可用 chengxin setup --load power_items 按模板批量导入）。"
        ),
    ),
)
