"""The documents section of the staff navigation and the public open-government links."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import ADD, EXPORT
from chengxin.core.navigation import NavItem
from chengxin.documents.models import IssuingBody, LegalityReview, NormativeDocument

STAFF_SECTION = (
    _("规范性文件"),
    (
        NavItem(_("统计"), "documents:dashboard", NormativeDocument),
        NavItem(_("登记簿"), "documents:list", NormativeDocument),
        NavItem(_("登记草案"), "documents:register", NormativeDocument, action=ADD),
        NavItem(_("合法性审核"), "documents:reviews", LegalityReview),
        NavItem(_("备案登记"), "documents:filings", NormativeDocument),
        NavItem(_("制定主体"), "documents:bodies", IssuingBody),
        NavItem(_("导出登记簿"), "documents:export", NormativeDocument, action=EXPORT),
    ),
)

PUBLIC_LINKS = (
    (_("现行有效规范性文件"), "documents_public:index"),
    (_("规范性文件草案征求意见"), "documents_public:drafts"),
    (_("规范性文件制定主体"), "documents_public:bodies"),
)
