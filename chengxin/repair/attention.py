"""The credit repair queue's items on the staff dashboard (core.attention): applications past
their working-day acceptance or decision due date, and applications waiting to be accepted."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import VIEW
from chengxin.core.attention import Item, Severity
from chengxin.repair.choices import ApplicationStatus
from chengxin.repair.models import RepairApplication

# The credit office accepts and decides (repair REVIEW); the queue is its page.
PERMISSION = "repair.review_repairapplication"


def _overdue(user: Any, today: datetime.date) -> int:
    # The queue with 仅显示逾期 (the due day itself is in time; paused while material is asked).
    return int(RepairApplication.objects.restrict(user, VIEW).overdue(today).count())


def _to_accept(user: Any, today: datetime.date) -> int:
    queryset = RepairApplication.objects.restrict(user, VIEW)
    return int(queryset.filter(status=ApplicationStatus.SUBMITTED).count())


ITEMS = (
    Item(
        "repair_overdue",
        _("信用修复申请超过办理期限"),
        Severity.OVERDUE,
        PERMISSION,
        _overdue,
        "repair_staff:queue",
        query={"overdue": "on"},
    ),
    Item(
        "repair_submitted",
        _("信用修复申请待受理"),
        Severity.DUE,
        PERMISSION,
        _to_accept,
        "repair_staff:queue",
        query={"status": ApplicationStatus.SUBMITTED},
    ),
)
