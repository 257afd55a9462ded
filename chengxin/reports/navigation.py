"""The annual report's entry in the staff navigation, and its published reports in 政务公开."""

from django.utils.translation import gettext_lazy as _

from chengxin.core.navigation import NavItem
from chengxin.reports.models import RuleOfLawReport

STAFF_SECTION = (
    _("年度报告"),
    (NavItem(_("法治政府建设年度报告"), "reports:annual", RuleOfLawReport),),
)

PUBLIC_LINKS = ((_("法治政府建设年度报告"), "reports_public:index"),)
