"""Until when a record is public: the dated publicity rules applied to one record.

The date is stored on the record (`public_until`) when it is published and whenever what it
depends on changes (a correction, the severity class), so public queries simply compare dates:
an expired record leaves every public output the day after, with no job to run.
"""

from __future__ import annotations

import datetime
from typing import Any

from chengxin.core import local_settings
from chengxin.publicity.choices import LicenseState, RecordKind
from chengxin.publicity.rules import LONG_TERM, penalty_public_until

PUBLISH_MINOR_PENALTIES = local_settings.declare(
    "publicity.publish_minor_penalties",
    "公示轻微失信行为的行政处罚信息（最长 3 个月）",
    False,
    "《信用修复管理办法》：轻微失信行为的行政处罚信息原则上不公示；本地公示的，公示期最长 3 个月。",
)


def public_until(kind: str, values: dict[str, Any], severity: str = "") -> datetime.date | None:
    """The last day the record is public, or None when it is never public.

    Licences: while valid (有效期至; 2099-12-31 is long-term) and not marked 无效 (XK_ZT = 2).
    Penalties: the regime in force on the decision date and the severity class decide.
    """
    if kind == RecordKind.LICENSE:
        if values.get("license_state") == LicenseState.INVALID:
            return None
        return values.get("valid_to") or LONG_TERM
    text = f"{values.get('violation_type') or ''} {values.get('legal_basis') or ''}"
    return penalty_public_until(
        values["decision_date"],
        severity,
        text,
        values.get("publicity_end_date"),
        publish_minor=bool(local_settings.get(PUBLISH_MINOR_PENALTIES.key)),
    )
