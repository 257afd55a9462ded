"""The enforcement cases' items on the staff dashboard (core.attention): legality reviews
(法制审核) waiting for the legal office, and decisions not made public by their 事后公开 deadline."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import VIEW
from chengxin.cases.models import Case, LegalityReview
from chengxin.core.attention import Item, Severity

# The 事后公开 report shows the decisions of a period (this year unless asked); the dashboard
# links it from this day on, so that a decision of last year still unpublished is counted and
# shown alike. No case of this system is older.
EARLIEST = datetime.date(2000, 1, 1)


def _reviews_pending(user: Any, today: datetime.date) -> int:
    # cases.views.review_queue's default list (result 待审核).
    return int(LegalityReview.objects.restrict(user, VIEW).pending().count())


def _publicity_overdue(user: Any, today: datetime.date) -> int:
    # The overdue list of cases.views.publicity_report for decisions from EARLIEST on: not
    # published by the case, nor by its penalty record, and past the deadline (the deadline day
    # itself is in time).
    cases = Case.objects.restrict(user, VIEW).decided_between(EARLIEST, today)
    overdue = cases.filter(published_on__isnull=True, publicity_deadline__lt=today).exclude(
        penalty_records__published_at__isnull=False
    )
    return int(overdue.count())


ITEMS = (
    Item(
        "cases_reviews_pending",
        _("执法案件法制审核待审核"),
        Severity.DUE,
        "cases.review_legalityreview",  # the legal office (法制审核员)
        _reviews_pending,
        "cases:reviews",
    ),
    Item(
        "cases_publicity_overdue",
        _("执法决定逾期未公开（事后公开）"),
        Severity.OVERDUE,
        "cases.change_case",  # the case handlers, who publish their department's decisions
        _publicity_overdue,
        "cases:publicity",
        query={"start": EARLIEST.isoformat()},
    ),
)
