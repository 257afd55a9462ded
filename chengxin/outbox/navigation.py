"""The outbox's messages, under 信用修复 in the staff navigation (core.navigation collects them):
credit repair results are what it sends."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.core.navigation import NavItem
from chengxin.outbox.models import OutboxMessage

STAFF_ITEMS = (("repair", (NavItem(_("同步消息"), "outbox:list", OutboxMessage),)),)
