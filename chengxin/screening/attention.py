"""The credit checks' item on the staff dashboard (core.attention): checks that hit a list and
whose feedback (措施是否采取) is past its working-day due date."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import VIEW
from chengxin.core.attention import Item, Severity
from chengxin.screening.models import CreditCheck


def _feedback_overdue(user: Any, today: datetime.date) -> int:
    # The same rows as the check list with ?feedback=overdue (the due day itself is in time).
    return int(CreditCheck.objects.restrict(user, VIEW).overdue(today).count())


ITEMS = (
    # The checking department gives the feedback; the credit office (checks REVIEW) follows it
    # up district-wide. Both see the checks by `view`, each in their own scope.
    Item(
        "checks_feedback_overdue",
        _("信用核查逾期未反馈措施采取情况"),
        Severity.OVERDUE,
        "screening.view_creditcheck",
        _feedback_overdue,
        "screening:checks",
        query={"feedback": "overdue"},
    ),
)
