"""The outbox's item on the staff dashboard (core.attention): dead letters, messages to the
upper platform that failed every retry and wait for someone to send them again."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import VIEW
from chengxin.core.attention import Item, Severity
from chengxin.outbox.choices import MessageStatus
from chengxin.outbox.models import OutboxMessage


def _dead(user: Any, today: datetime.date) -> int:
    # The same rows as outbox.views.dead_letters.
    queryset = OutboxMessage.objects.restrict(user, VIEW)
    return int(queryset.filter(status=MessageStatus.DEAD).count())


ITEMS = (
    Item(
        "outbox_dead",
        _("同步消息发送失败，待重新发送"),
        Severity.DUE,
        "outbox.change_outboxmessage",  # who may retry them
        _dead,
        "outbox:dead",
    ),
)
