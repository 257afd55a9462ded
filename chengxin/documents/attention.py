"""The normative documents' items on the staff dashboard (core.attention): filing (备案) past
its deadline, documents whose validity ends within six months (to clean up: continue, amend or
let lapse), and legality reviews (合法性审核) waiting for the reviewer's unit."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import VIEW
from chengxin.core.attention import Item, Severity
from chengxin.documents.choices import FilingTimeliness, ReviewResult
from chengxin.documents.models import LegalityReview, NormativeDocument

# Whoever handles a document: the rule-of-law office district-wide, the liaison their own.
PERMISSION = "documents.change_normativedocument"


def _filing_overdue(user: Any, today: datetime.date) -> int:
    # The filing register with 备案情况 逾期未备案 (the deadline day itself is in time).
    documents = NormativeDocument.objects.restrict(user, VIEW)
    return int(documents.filing_overdue(today).count())


def _expiring(user: Any, today: datetime.date) -> int:
    # The register with 效力 6 个月内到期.
    return int(NormativeDocument.objects.restrict(user, VIEW).expiring(today).count())


def _reviews_pending(user: Any, today: datetime.date) -> int:
    # documents.views_staff.review_queue's default list: the reviewer's own unit's requests
    # (国办发〔2018〕115号: each reviewing unit reviews its bodies' documents).
    pending = LegalityReview.objects.filter(result=ReviewResult.PENDING)
    return int(pending.filter(reviewing_unit_id=user.department_id).count())


ITEMS = (
    Item(
        "documents_filing_overdue",
        _("规范性文件逾期未备案"),
        Severity.OVERDUE,
        PERMISSION,
        _filing_overdue,
        "documents:filings",
        query={"filing": FilingTimeliness.OVERDUE},
    ),
    Item(
        "documents_expiring",
        _("规范性文件 6 个月内到期，待清理评估"),
        Severity.NOTICE,
        PERMISSION,
        _expiring,
        "documents:list",
        query={"validity": "expiring"},
    ),
    Item(
        "documents_reviews_pending",
        _("规范性文件合法性审核待审核"),
        Severity.DUE,
        "documents.review_legalityreview",
        _reviews_pending,
        "documents:reviews",
    ),
)
