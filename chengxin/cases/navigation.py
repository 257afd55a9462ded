"""The cases app's entries in the staff navigation (found by chengxin.core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import ADD, CHANGE
from chengxin.cases.models import Case, LegalityReview, LegalReviewer
from chengxin.core.navigation import NavItem
from chengxin.publicity.models import PenaltyRecord

STAFF_SECTION = (
    _("执法办案"),
    (
        NavItem(_("执法案件"), "cases:list", Case),
        NavItem(_("立案"), "cases:register", Case, action=ADD),
        NavItem(_("待签批决定"), "cases:sign_off", Case, action=CHANGE),
        NavItem(_("办案期限"), "cases:handling", Case),
        NavItem(_("法制审核"), "cases:reviews", LegalityReview),
        NavItem(_("法制审核人员"), "cases:reviewers", LegalReviewer),
        NavItem(_("网外循环行政处罚信息"), "cases:off_network", PenaltyRecord),
        NavItem(_("事后公开及时性"), "cases:publicity", Case),
    ),
)
