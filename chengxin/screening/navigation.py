"""The 联合奖惩 section of the staff navigation (core.navigation collects it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import ADD, IMPORT
from chengxin.core.navigation import NavItem
from chengxin.screening.models import (
    CheckBatch,
    CreditCheck,
    ListEntry,
    ListImport,
    ListType,
    Measure,
)

STAFF_SECTION_ORDER = 20
STAFF_SECTION = (
    _("联合奖惩"),
    (
        NavItem(_("核查"), "screening:check_new", CreditCheck, action=ADD),
        NavItem(_("核查记录"), "screening:checks", CreditCheck),
        NavItem(_("批量核查"), "screening:batches", CheckBatch),
        NavItem(_("联合奖惩统计"), "screening:statistics", CreditCheck),
        NavItem(_("名单条目"), "screening:entries", ListEntry),
        NavItem(_("名单类型"), "screening:list_types", ListType),
        NavItem(
            _("名单导入"),
            "registers:upload",
            ListImport,
            kwargs={"key": "list_entries"},
            action=IMPORT,
        ),
        NavItem(_("惩戒/激励措施清单"), "screening:measures", Measure),
    ),
)
