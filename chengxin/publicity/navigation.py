"""The 双公示 section of the staff navigation (core.navigation collects it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import EXPORT
from chengxin.core.navigation import NavItem
from chengxin.publicity.models import LicenseRecord, PenaltyRecord

STAFF_SECTION_ORDER = 10
STAFF_SECTION = (
    _("双公示"),
    (
        NavItem(_("行政许可信息"), "publicity:list", LicenseRecord, {"kind": "licenses"}),
        NavItem(_("行政处罚信息"), "publicity:list", PenaltyRecord, {"kind": "penalties"}),
        NavItem(_("报送及时性统计"), "publicity_timeliness:dashboard", LicenseRecord),
        NavItem(
            _("导出（报送上级平台）"), "publicity_timeliness:export", LicenseRecord, action=EXPORT
        ),
    ),
)
