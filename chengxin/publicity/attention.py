"""The 双公示 records' items on the staff dashboard (core.attention).

Records a department submitted wait for the credit office when the district reviews before
publication (publicity.rules REVIEW_BEFORE_PUBLICATION); the record list filtered by 已提交
shows exactly them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from chengxin.accounts.permissions import VIEW
from chengxin.core.attention import Item, Severity
from chengxin.publicity.choices import RecordStatus
from chengxin.publicity.models import DecisionRecord, LicenseRecord, PenaltyRecord


def _submitted(model: type[DecisionRecord]) -> Any:
    def count(user: Any, today: datetime.date) -> int:
        # The same rows as publicity.views.record_list with ?status=submitted.
        return int(model.objects.restrict(user, VIEW).filter(status=RecordStatus.SUBMITTED).count())

    return count


ITEMS = (
    Item(
        "licenses_submitted",
        _("行政许可信息待审核公示"),
        Severity.DUE,
        "publicity.review_licenserecord",
        _submitted(LicenseRecord),
        "publicity:list",
        kwargs={"kind": "licenses"},
        query={"status": RecordStatus.SUBMITTED},
    ),
    Item(
        "penalties_submitted",
        _("行政处罚信息待审核公示"),
        Severity.DUE,
        "publicity.review_penaltyrecord",
        _submitted(PenaltyRecord),
        "publicity:list",
        kwargs={"kind": "penalties"},
        query={"status": RecordStatus.SUBMITTED},
    ),
)
