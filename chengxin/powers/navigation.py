"""The power list entries of the staff navigation and the public open-government link."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import ADD, IMPORT
from chengxin.core.navigation import NavItem
from chengxin.powers.models import PowerCategory, PowerImport, PowerItem, PowerProposal

STAFF_SECTION = (
    _("行政权力清单"),
    (
        NavItem(_("权力清单"), "powers:list", PowerItem),
        NavItem(_("申报新增事项"), "powers:item_add", PowerProposal, action=ADD),
        NavItem(_("调整申请"), "powers:proposals", PowerProposal),
        NavItem(_("调整记录"), "powers:adjustments", PowerItem),
        NavItem(
            _("导入已公布清单"),
            "registers:upload",
            PowerImport,
            kwargs={"key": "power_items"},
            action=IMPORT,
        ),
        NavItem(_("权力类别"), "powers:categories", PowerCategory),
    ),
)

PUBLIC_LINKS = ((_("行政权力清单"), "powers_public:list"),)
