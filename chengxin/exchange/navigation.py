"""The exchange's item, under 双公示 in the staff navigation (core.navigation collects it): the
records the upper platform sent back are the departments' to correct."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.core.navigation import NavItem
from chengxin.exchange.models import ExchangeMessage

STAFF_ITEMS = (
    ("publicity", (NavItem(_("上级平台退回"), "exchange:rejections", ExchangeMessage),)),
)
