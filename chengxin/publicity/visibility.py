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
from chengxin.publicity.rules import (
    LONG_TERM,
    REPAIR_MEASURE_2026,
    Transition,
    default_severity,
    penalty_public_until,
    publicity_regime_on,
    transitional_public_until,
)

PUBLISH_MINOR_PENALTIES = local_settings.declare(
    "publicity.publish_minor_penalties",
    "公示轻微失信行为的行政处罚信息（最长 3 个月）",
    False,
    "《信用修复管理办法》（国家发展改革委令第36号）第十二条：轻微失信行为的行政处罚信息原则上"
    "不公示；本地公示的，公示期最长 3 个月。",
    security_relevant=True,
)


TRANSITION_2026 = local_settings.declare(
    "publicity.transition_2026_04_01",
    "2026年4月1日前作出、当日仍在公示的行政处罚信息的公示期（shorter / old / new）",
    str(Transition.SHORTER),
    "《信用修复管理办法》（国家发展改革委令第36号）未规定过渡办法（第二十九条、第三十条）。"
    "shorter：新旧规定中较短者（从旧兼从轻，默认）；old：按决定时的规定；new：自决定日期起按新规定。"
    "不早于 2026-03-31 结束，已依法公示的不追溯撤下。",
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
    decided: datetime.date = values["decision_date"]
    text = f"{values.get('violation_type') or ''} {values.get('legal_basis') or ''}"
    categories = values.get("penalty_categories") or []
    summary = bool(values.get("is_summary_procedure"))
    publish_minor = bool(local_settings.get(PUBLISH_MINOR_PENALTIES.key))
    requested = values.get("publicity_end_date")
    until = penalty_public_until(
        decided,
        severity or default_severity(decided, categories, summary),
        text,
        requested,
        publish_minor=publish_minor,
    )
    if decided >= REPAIR_MEASURE_2026:
        return until
    # Still public on 2026-04-01? The district's transitional rule, the new class as 第八条 has it.
    new_until = penalty_public_until(
        decided,
        severity or default_severity(REPAIR_MEASURE_2026, categories, summary),
        text,
        requested,
        publish_minor=publish_minor,
        regime=publicity_regime_on(REPAIR_MEASURE_2026),
    )
    return transitional_public_until(until, new_until, str(local_settings.get(TRANSITION_2026.key)))
