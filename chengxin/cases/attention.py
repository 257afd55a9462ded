"""The enforcement cases' items on the staff dashboard (core.attention): legality reviews
(法制审核) waiting for the legal office, penalty cases past (or near) their handling period
(行政处罚法 art. 60), decisions waiting for a head's sign-off, and decisions not made public by
their 事后公开 deadline."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.choices import Role
from chengxin.accounts.permissions import CHANGE, VIEW, can
from chengxin.cases.models import Case, LegalityReview
from chengxin.core.attention import Item, Severity

# The 事后公开 report shows the decisions of a period (this year unless asked); the dashboard
# links it from this day on, so that a decision of last year still unpublished is counted and
# shown alike. No case of this system is older.
EARLIEST = datetime.date(2000, 1, 1)

# The handling list's "due soon" window: a week's notice before the ninetieth day.
DUE_SOON_DAYS = 7


def _reviews_pending(user: Any, today: datetime.date) -> int:
    # cases.views.review_queue's default list (result 待审核, sent to the user's unit).
    reviews = LegalityReview.objects.restrict(user, VIEW).for_reviewer(user).pending()
    return int(reviews.count())


def _handling_overdue(user: Any, today: datetime.date) -> int:
    # cases.views.handling_report's default list: undecided, past the last day of the period.
    # For the handlers and the rule-of-law office (执法监督); the legal office sees cases only
    # to review them.
    if not (can(user, CHANGE, Case) or user.has_role(Role.RULE_OF_LAW_ADMIN)):
        return 0
    return int(Case.objects.restrict(user, VIEW).handling_overdue(today).count())


def _handling_due_soon(user: Any, today: datetime.date) -> int:
    # cases.views.handling_report with due=soon.
    cases = Case.objects.restrict(user, VIEW).handling_due_within(DUE_SOON_DAYS, today)
    return int(cases.count())


def _awaiting_sign_off(user: Any, today: datetime.date) -> int:
    # cases.views.sign_off_queue: the cases of the bodies the user heads that wait for a sign-off.
    return int(Case.objects.awaiting_sign_off(user).count())


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
        "cases_handling_overdue",
        _("行政处罚案件超过办案期限未作出决定（行政处罚法第六十条）"),
        Severity.OVERDUE,
        "cases.view_case",  # the handlers, and the rule-of-law office that supervises them
        _handling_overdue,
        "cases:handling",
    ),
    Item(
        "cases_handling_due_soon",
        _("行政处罚案件办案期限 7 日内届满"),
        Severity.NOTICE,
        "cases.change_case",  # the handlers, who still can decide in time
        _handling_due_soon,
        "cases:handling",
        query={"due": "soon"},
    ),
    Item(
        "cases_sign_off_pending",
        _("执法决定待负责人签批"),
        Severity.DUE,
        "cases.view_case",  # counted for the bodies' heads only (zero for anyone else)
        _awaiting_sign_off,
        "cases:sign_off",
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
