"""The go-live checklist's item of the screening app (core.golive): the list types."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.choices import Role
from chengxin.core.golive import Place, counted
from chengxin.screening.models import ListType

CHECKS = (
    counted(
        "list_types",
        _("失信与守信名单类型"),
        "organisation",
        Place(
            _("名单类型"),
            "screening:list_types",
            permission="screening.view_listtype",
            set_by=Role.CREDIT_ADMIN.label,
        ),
        lambda: ListType.objects.filter(is_active=True).count(),
        found=_("已启用 %(count)s 种名单类型。"),
        none=_("尚未启用任何名单类型。"),
    ),
)
