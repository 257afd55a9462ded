"""The disputes' item on the staff dashboard (core.attention): reconsiderations undecided past
their due date (行政复议法 art. 62: 60 days from acceptance, 30 in the simple procedure, as
extended)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import VIEW
from chengxin.core.attention import Item, Severity
from chengxin.disputes.registers import RECONSIDERATIONS


def _overdue(user: Any, today: datetime.date) -> int:
    # The reconsideration register with 仅显示逾期未决定 (the due day itself is in time).
    rows = RECONSIDERATIONS.queryset().restrict(user, VIEW)
    return int(rows.overdue(today).count())  # type: ignore[attr-defined]


ITEMS = (
    Item(
        "reconsiderations_overdue",
        _("行政复议案件逾期未决定"),
        Severity.OVERDUE,
        "disputes.change_reconsideration",
        _overdue,
        "disputes:list",
        kwargs={"register": RECONSIDERATIONS.slug},
        query={"overdue": "on"},
    ),
)
