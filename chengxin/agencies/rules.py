"""The qualification clean-up (清理): which officers on duty should lose their enforcement status.

An officer on duty (在岗) is proposed when at least one of these holds on the day of the check:
1. neither the 法律职业资格 nor a passed enforcement qualification exam (执法资格考试) — the
   certificate was issued without the qualification it requires;
2. fewer training hours this year than the local minimum (`agencies.min_training_hours`,
   default 60; localities set their own annual 法治培训 requirement);
3. the certificate has expired (its last valid day is before the day of the check).

Each proposal carries every reason that applies, in this order, so the administrator confirming
it sees why. Suspended, cancelled and already removed officers are not proposed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.agencies.models import EnforcementOfficer, EnforcementOfficerQuerySet
from chengxin.core import local_settings

MIN_TRAINING_HOURS = local_settings.declare(
    "agencies.min_training_hours",
    _l("执法人员：年度培训最低学时"),
    60,
    _l("在岗执法人员年度法律知识和业务培训学时低于此数的，列入清理建议名单。"),
)


@dataclass(frozen=True)
class Proposal:
    officer: EnforcementOfficer
    reasons: tuple[str, ...]

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


def cleanup_reasons(
    officer: EnforcementOfficer, day: datetime.date, min_hours: int | None = None
) -> tuple[str, ...]:
    """Why `officer` should be removed on `day` (empty: qualified)."""
    minimum = MIN_TRAINING_HOURS.default if min_hours is None else min_hours
    reasons = []
    if not officer.has_legal_qualification and not officer.exam_passed:
        reasons.append(_("未取得法律职业资格且执法资格考试未通过"))
    if officer.training_hours < minimum:
        reasons.append(
            _("年度培训 %(hours)d 学时，低于 %(minimum)d 学时")
            % {"hours": officer.training_hours, "minimum": minimum}
        )
    if officer.certificate_valid_until < day:
        reasons.append(
            _("执法证已于 %(date)s 到期") % {"date": f"{officer.certificate_valid_until:%Y-%m-%d}"}
        )
    return tuple(reasons)


def cleanup_candidates(
    day: datetime.date, queryset: EnforcementOfficerQuerySet | None = None
) -> EnforcementOfficerQuerySet:
    """The officers on duty that the clean-up proposes on `day`."""
    minimum = int(local_settings.get(MIN_TRAINING_HOURS.key))
    officers = queryset if queryset is not None else EnforcementOfficer.objects.all()
    return officers.on_duty().filter(
        Q(has_legal_qualification=False, exam_passed=False)
        | Q(training_hours__lt=minimum)
        | Q(certificate_valid_until__lt=day)
    )


def propose_cleanup(day: datetime.date) -> list[Proposal]:
    """Every officer the clean-up proposes on `day`, each with its reasons."""
    minimum = int(local_settings.get(MIN_TRAINING_HOURS.key))
    candidates = cleanup_candidates(day).select_related("body").order_by("body__name", "name", "id")
    return [Proposal(officer, cleanup_reasons(officer, day, minimum)) for officer in candidates]
