"""Staff menu entries of major decisions and the public links on the 政务公开 page."""

from django.utils.translation import gettext_lazy as _

from chengxin.core.navigation import NavItem
from chengxin.decisions.models import DecisionCatalogue, LegalityReview, MajorDecision

STAFF_SECTION = (
    _("重大行政决策"),
    (
        NavItem(_("决策工作台"), "decisions:dashboard", MajorDecision),
        NavItem(_("决策事项"), "decisions:list", MajorDecision),
        NavItem(_("决策事项目录"), "decisions:catalogues", DecisionCatalogue),
        NavItem(_("决策合法性审查"), "decisions:reviews", LegalityReview),
    ),
)

PUBLIC_LINKS = (
    (_("重大行政决策事项目录"), "decisions_public:catalogues"),
    (_("重大行政决策草案征求意见"), "decisions_public:consultations"),
)
