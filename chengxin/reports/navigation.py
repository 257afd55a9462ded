"""The annual report's entry in the staff navigation."""

from django.utils.translation import gettext_lazy as _

from chengxin.core.navigation import NavItem
from chengxin.reports.models import AnnualReport

STAFF_SECTION = (
    _("年度报告"),
    (NavItem(_("法治政府年度报告"), "reports:annual", AnnualReport),),
)
