"""The agencies entries of the staff navigation and the public open-government links."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import IMPORT
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer, OfficerImport
from chengxin.core.navigation import NavItem

STAFF_SECTION = (
    _("执法主体与人员"),
    (
        NavItem(_("概况"), "agencies:overview", EnforcementBody),
        NavItem(_("执法主体"), "agencies:bodies", EnforcementBody),
        NavItem(_("执法人员"), "agencies:officers", EnforcementOfficer),
        NavItem(_("资格清理"), "agencies:cleanup", EnforcementOfficer),
        NavItem(
            _("导入执法人员"),
            "registers:upload",
            OfficerImport,
            kwargs={"key": "officers"},
            action=IMPORT,
        ),
    ),
)

PUBLIC_LINKS = (
    (_("行政执法主体"), "agencies_public:bodies"),
    (_("行政执法人员名单"), "agencies_public:officers"),
)
