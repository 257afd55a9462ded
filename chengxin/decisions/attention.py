"""The major decisions' items on the staff dashboard (core.attention): procedure steps past
their planned end, decisions past their planned completion, skips proposed by someone else that
wait for approval, and legality reviews (合法性审查) waiting for the legal office."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import VIEW
from chengxin.core.attention import Item, Severity
from chengxin.decisions.choices import LegalityConclusion
from chengxin.decisions.models import LegalityReview, MajorDecision, ProcedureStep

# Whoever runs the procedure: the rule-of-law office district-wide, the lead unit's liaison its own.
PERMISSION = "decisions.change_majordecision"


def _steps_overdue(user: Any, today: datetime.date) -> int:
    # The 逾期环节 list of decisions.views_staff.dashboard.
    visible = MajorDecision.objects.restrict(user, VIEW)
    return int(ProcedureStep.objects.filter(decision__in=visible).overdue(today).count())


def _decisions_overdue(user: Any, today: datetime.date) -> int:
    # The decision list with 仅显示逾期.
    visible = MajorDecision.objects.restrict(user, VIEW)
    return int(visible.open().filter(planned_completion__lt=today).count())


def _skips_to_approve(user: Any, today: datetime.date) -> int:
    # The decision list with 仅显示不适用待批准: a proposed skip waits for a second person.
    return int(MajorDecision.objects.restrict(user, VIEW).awaiting_skip_approval().count())


def _reviews_pending(user: Any, today: datetime.date) -> int:
    # decisions.views_staff.review_queue's default list.
    reviews = LegalityReview.objects.restrict(user, VIEW)
    return int(reviews.filter(conclusion=LegalityConclusion.PENDING).count())


ITEMS = (
    Item(
        "decisions_steps_overdue",
        _("重大行政决策程序环节逾期未完成"),
        Severity.OVERDUE,
        PERMISSION,
        _steps_overdue,
        "decisions:dashboard",
    ),
    Item(
        "decisions_overdue",
        _("重大行政决策超过计划完成时间"),
        Severity.OVERDUE,
        PERMISSION,
        _decisions_overdue,
        "decisions:list",
        query={"overdue": "on"},
    ),
    Item(
        "decisions_skips_to_approve",
        _("重大行政决策环节不适用待批准"),
        Severity.DUE,
        PERMISSION,
        _skips_to_approve,
        "decisions:list",
        query={"skip_pending": "on"},
    ),
    Item(
        "decisions_reviews_pending",
        _("重大行政决策合法性审查待审查"),
        Severity.DUE,
        "decisions.review_legalityreview",
        _reviews_pending,
        "decisions:reviews",
    ),
)
