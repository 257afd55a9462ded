"""The 信用修复 section of the staff navigation (core.navigation collects it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.core.navigation import NavItem
from chengxin.repair.models import RepairApplication

STAFF_SECTION_ORDER = 30
STAFF_SECTION = (_("信用修复"), (NavItem(_("修复申请"), "repair_staff:queue", RepairApplication),))
