"""The import pages in the staff navigation (core.navigation collects them): the 双公示 upload
under 双公示, the district's set-up files under 系统管理 (each other register's upload is in its
own app's section)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import IMPORT
from chengxin.core.navigation import NavItem
from chengxin.imports.models import ImportBatch, OrganisationImport

STAFF_ITEMS = (
    (
        "publicity",
        (
            NavItem(_("批量导入"), "imports:upload", ImportBatch, action=IMPORT),
            NavItem(_("导入批次"), "imports:batches", ImportBatch),
        ),
    ),
    (
        "core",
        (NavItem(_("组织机构导入"), "registers:index", OrganisationImport, action=IMPORT),),
    ),
)
