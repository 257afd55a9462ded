"""The import pages, under 双公示 in the staff navigation (core.navigation collects them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import IMPORT
from chengxin.core.navigation import NavItem
from chengxin.imports.models import ImportBatch

STAFF_ITEMS = (
    (
        "publicity",
        (
            NavItem(_("批量导入"), "imports:upload", ImportBatch, action=IMPORT),
            NavItem(_("导入批次"), "imports:batches", ImportBatch),
        ),
    ),
)
