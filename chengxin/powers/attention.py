"""The power list's items on the staff dashboard (core.attention): adjustment proposals waiting
for the rule-of-law office's review (and those past the review time limit, powers.rules), passed
proposals waiting for the government's approval to be recorded, and returned proposals waiting
for their department. Each count is the rows of the proposals page its link opens."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import VIEW
from chengxin.core.attention import Item, Severity
from chengxin.powers.choices import ProposalStatus
from chengxin.powers.models import PowerProposal

# The rule-of-law office: reviews proposals and records approvals.
REVIEWER = "powers.review_powerproposal"
# Whoever proposes: a department's liaison (their own department's), the rule-of-law office.
PROPOSER = "powers.change_powerproposal"


def _count(user: Any, today: datetime.date, status: str, overdue: bool = False) -> int:
    # The proposals page with the same filter (PowerProposalQuerySet.filtered): the user's own
    # department's for a liaison, every department's for the rule-of-law office.
    proposals = PowerProposal.objects.restrict(user, VIEW)
    return int(proposals.filtered(today, status=status, overdue=overdue).count())


ITEMS = (
    Item(
        "powers_review_overdue",
        _("权力清单调整申请审核逾期"),
        Severity.OVERDUE,
        REVIEWER,
        lambda user, today: _count(user, today, ProposalStatus.SUBMITTED, overdue=True),
        "powers:proposals",
        query={"status": ProposalStatus.SUBMITTED, "overdue": "on"},
    ),
    Item(
        "powers_review_pending",
        _("权力清单调整申请待审核"),
        Severity.DUE,
        REVIEWER,
        lambda user, today: _count(user, today, ProposalStatus.SUBMITTED),
        "powers:proposals",
        query={"status": ProposalStatus.SUBMITTED},
    ),
    Item(
        "powers_approval_pending",
        _("权力清单调整申请审核通过，待登记政府批准"),
        Severity.DUE,
        REVIEWER,
        lambda user, today: _count(user, today, ProposalStatus.PASSED),
        "powers:proposals",
        query={"status": ProposalStatus.PASSED},
    ),
    Item(
        "powers_returned",
        _("权力清单调整申请被退回，待修改或撤回"),
        Severity.NOTICE,
        PROPOSER,
        lambda user, today: _count(user, today, ProposalStatus.RETURNED),
        "powers:proposals",
        query={"status": ProposalStatus.RETURNED},
    ),
)
