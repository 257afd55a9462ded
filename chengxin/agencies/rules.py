"""Who may hold an enforcement certificate, and the qualification clean-up (清理).

A certificate holder (在岗 or 暂停):
1. passed the enforcement qualification exam (执法资格考试). 行政处罚法 art. 42: 行政处罚应当由
   具有行政执法资格的执法人员实施; the provincial rules on officers make the exam the way to that
   qualification (e.g. one province's 行政执法人员管理办法 art. 5: 行政执法机关工作人员拟从事行政
   执法工作的，应当通过执法资格考试，领取行政执法证). A 法律职业资格 does not replace it: a
   province that exempts its holders from part of the exam records them as passed.
2. is established staff (在编): 工勤, 劳务派遣 and other non-established staff never hold one;
   which established kinds do (行政编制, 参照公务员法管理事业编制, 事业编制) is the local setting
   agencies.certificate_staffing. The Shandong text was not found: the default follows the
   provincial and municipal rules that were (e.g. 《东莞市行政执法证件管理办法》 art. 5 (1):
   行政或者事业编制的在编人员; 甘肃 2008: 合同工、临时工等也不得确认执法资格).

An officer on duty (在岗) is proposed for the clean-up when at least one of these holds on the
day of the check, each with its RemovalReason:
1. non-established staff by the recorded 编制身份 (NOT_ESTABLISHED): no certificate at all;
2. the qualification exam not passed (NO_EXAM);
3. fewer training hours this year than the local minimum (`agencies.min_training_hours`,
   default 60; localities set their own annual 法治培训 requirement) (TRAINING);
4. the certificate has expired (its last valid day is before the day of the check) (EXPIRED).
The first that applies is recorded as the officer's removal reason.
调离 (transferred out of enforcement) and 退休 (retired) are not found by a rule: the
rule-of-law office declares them (agencies.actions.remove_officers with a declared reason).

Each proposal carries every reason that applies, in this order, so the administrator confirming
it sees why. Suspended, cancelled and already removed officers are not proposed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.agencies.choices import NON_ESTABLISHED, RemovalReason, Staffing
from chengxin.agencies.models import EnforcementOfficer, EnforcementOfficerQuerySet
from chengxin.agencies.qualification import (
    CERTIFICATE_STAFFING,
    ESTABLISHED,
    allowed_staffing,
    certificate_problems,
)
from chengxin.core import local_settings

__all__ = [
    "CERTIFICATE_STAFFING",
    "MIN_TRAINING_HOURS",
    "Proposal",
    "certificate_problems",
    "cleanup_candidates",
    "cleanup_findings",
    "cleanup_reasons",
    "first_reason",
    "propose_cleanup",
]

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
    codes: tuple[str, ...] = ()

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


def cleanup_findings(
    officer: EnforcementOfficer, day: datetime.date, min_hours: int | None = None
) -> list[tuple[str, str]]:
    """(RemovalReason, text) for every rule `officer` fails on `day` (empty: qualified)."""
    minimum = MIN_TRAINING_HOURS.default if min_hours is None else min_hours
    found: list[tuple[str, str]] = []
    if officer.staffing and officer.staffing not in allowed_staffing():
        found.append(
            (
                RemovalReason.NOT_ESTABLISHED,
                _("编制身份为“%(staffing)s”，不得持有行政执法证")
                % {"staffing": Staffing(officer.staffing).label},
            )
        )
    if not officer.exam_passed:
        found.append((RemovalReason.NO_EXAM, _("执法资格考试未通过")))
    if officer.training_hours < minimum:
        found.append(
            (
                RemovalReason.TRAINING,
                _("年度培训 %(hours)d 学时，低于 %(minimum)d 学时")
                % {"hours": officer.training_hours, "minimum": minimum},
            )
        )
    if officer.certificate_valid_until < day:
        found.append(
            (
                RemovalReason.EXPIRED,
                _("执法证已于 %(date)s 到期")
                % {"date": f"{officer.certificate_valid_until:%Y-%m-%d}"},
            )
        )
    return found


def cleanup_reasons(
    officer: EnforcementOfficer, day: datetime.date, min_hours: int | None = None
) -> tuple[str, ...]:
    """Why `officer` should be removed on `day` (empty: qualified)."""
    return tuple(text for _code, text in cleanup_findings(officer, day, min_hours))


def _not_allowed_staffing() -> Q:
    allowed = allowed_staffing()
    kinds = [code for code in (*ESTABLISHED, *NON_ESTABLISHED) if code not in allowed]
    return Q(staffing__in=kinds)


def cleanup_candidates(
    day: datetime.date, queryset: EnforcementOfficerQuerySet | None = None
) -> EnforcementOfficerQuerySet:
    """The officers on duty that the clean-up proposes on `day`."""
    minimum = int(local_settings.get(MIN_TRAINING_HOURS.key))
    officers = queryset if queryset is not None else EnforcementOfficer.objects.all()
    return officers.on_duty().filter(
        Q(exam_passed=False)
        | Q(training_hours__lt=minimum)
        | Q(certificate_valid_until__lt=day)
        | _not_allowed_staffing()
    )


def propose_cleanup(day: datetime.date) -> list[Proposal]:
    """Every officer the clean-up proposes on `day`, each with its reasons."""
    minimum = int(local_settings.get(MIN_TRAINING_HOURS.key))
    candidates = cleanup_candidates(day).select_related("body").order_by("body__name", "name", "id")
    proposals = []
    for officer in candidates:
        found = cleanup_findings(officer, day, minimum)
        proposals.append(
            Proposal(officer, tuple(text for _c, text in found), tuple(c for c, _t in found))
        )
    return proposals


def first_reason(officer: EnforcementOfficer, day: datetime.date, minimum: int) -> str:
    """The RemovalReason recorded for an officer removed by the rules on `day` (the first that
    applies; the text of all of them goes into the status reason)."""
    found = cleanup_findings(officer, day, minimum)
    return found[0][0] if found else ""
