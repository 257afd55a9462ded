"""The rules of online case handling: who may be assigned, when a decision needs a passed legality
review, the review's time limits, 事后公开 deadlines, and penalty records without a case.

National rules stay here with their citation; what a district decides for itself is a local
setting (chengxin.core.local_settings):
- 行政处罚法 art. 58: four triggers of 法制审核 (flags on the case, plus "a hearing was held");
- local 重大执法决定 amount thresholds (较大数额罚款、没收): settings, defaults 10,000 yuan for
  公民 and 100,000 yuan for 法人或者其他组织 (one county's rule; Tongzhou uses 5,000 / 50,000);
- review time limits: settings, default 7 working days, extendable once by 3 (Ningxia);
- 事后公开 (国办发〔2018〕118号): 行政许可 and 行政处罚 decisions within 7 working days of the
  decision, other enforcement decisions within 20 working days — national, in code.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.agencies.choices import OfficerStatus
from chengxin.cases.choices import MajorTrigger, MissingCasePolicy, PublicityTimeliness
from chengxin.core import calendar, local_settings

if TYPE_CHECKING:
    from chengxin.cases.models import Case
    from chengxin.publicity.models import PenaltyRecord

MAJOR_FINE_PERSON = local_settings.declare(
    "cases.major_fine_person",
    _l("重大执法决定：对公民（含个体工商户）的罚款或没收数额标准（元）"),
    decimal.Decimal("10000"),
    _l("罚款或没收违法所得、非法财物数额达到此值（含本数）的，决定前须经法制审核。"),
    security_relevant=True,
)
MAJOR_FINE_ORGANISATION = local_settings.declare(
    "cases.major_fine_organisation",
    _l("重大执法决定：对法人或者其他组织的罚款或没收数额标准（元）"),
    decimal.Decimal("100000"),
    _l("罚款或没收违法所得、非法财物数额达到此值（含本数）的，决定前须经法制审核。"),
    security_relevant=True,
)
REVIEW_WORKING_DAYS = local_settings.declare(
    "cases.review_working_days",
    _l("法制审核期限（工作日）"),
    7,
    _l("自送审之日起，法制审核机构出具审核意见的期限。"),
)
REVIEW_EXTENSION_WORKING_DAYS = local_settings.declare(
    "cases.review_extension_working_days",
    _l("法制审核延长期限（工作日）"),
    3,
    _l("案情复杂的，经批准可延长一次的工作日数。"),
)
MISSING_CASE_POLICY = local_settings.declare(
    "cases.penalty_without_case",
    _l("执法主体报送的行政处罚信息未关联执法案件时"),
    MissingCasePolicy.WARNING.value,
    _l("warning：照常接收，列入网外循环报表；error：拒收，须先在线办理案件。"),
    security_relevant=True,
)

CASE_REQUIRED_FROM = local_settings.declare(
    "cases.penalty_case_required_from",
    _l("行政处罚信息须关联执法案件的起始决定日期（YYYY-MM-DD）"),
    "",
    _l(
        "拒收（error）只适用于决定日期在此日期及以后的行政处罚信息；空：全部适用。"
        "用于全面推行网上办案之前作出的决定仍可更正。"
    ),
    security_relevant=True,
)

# 国办发〔2018〕118号 《关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》:
# 事后公开 of enforcement decisions within 20 working days; 行政许可 and 行政处罚 within 7.
PUBLICITY_CITATION = "国办发〔2018〕118号"
PUBLICITY_WORKING_DAYS_GENERAL = 20
PUBLICITY_WORKING_DAYS_LICENSE_PENALTY = 7
LICENSE_PENALTY_CATEGORY_CODES = frozenset({"license", "penalty"})


# --- officers --------------------------------------------------------------------------------


def officer_problem(officer: Any, body_id: int | None, day: datetime.date) -> str | None:
    """Why `officer` may not be assigned to a case of body `body_id` on `day`, or None.

    Assignable: of the case's body, 在岗, and the certificate valid on `day` (its last valid day
    included) — EnforcementOfficer.is_assignable_on is the one definition.
    """
    if officer.body_id != body_id:
        return _("%(name)s（执法证号 %(number)s）不属于本案执法主体。") % {
            "name": officer.name,
            "number": officer.certificate_number,
        }
    if officer.is_assignable_on(day):
        return None
    until = officer.certificate_valid_until
    starts = officer.certificate_valid_from
    if until is not None and until < day:
        reason = _("执法证已于 %(date)s 到期") % {"date": until.isoformat()}
    elif starts is not None and starts > day:
        reason = _("执法证自 %(date)s 起有效") % {"date": starts.isoformat()}
    elif (status := officer.status_on(day)) != OfficerStatus.ON_DUTY:
        reason = _("当日状态为“%(status)s”") % {"status": OfficerStatus(status).label}
    else:
        reason = _("所在执法主体已撤销")
    return _("%(name)s（执法证号 %(number)s）%(reason)s，%(day)s 不能承办案件。") % {
        "name": officer.name,
        "number": officer.certificate_number,
        "reason": reason,
        "day": day.isoformat(),
    }


# --- 法制审核 ------------------------------------------------------------------------------------


def amount_threshold(parties: Iterable[Any]) -> decimal.Decimal:
    """The local 重大 amount threshold of a case: the one for 公民 when any party is a natural
    person or 个体工商户 (the lower, so one fine against several parties is never under-reviewed)."""
    person = any(party.is_natural_person for party in parties)
    key = MAJOR_FINE_PERSON.key if person else MAJOR_FINE_ORGANISATION.key
    return decimal.Decimal(local_settings.get(key))


def major_triggers(
    case: Case,
    *,
    fine_amount: decimal.Decimal | None = None,
    confiscation_amount: decimal.Decimal | None = None,
) -> list[MajorTrigger]:
    """The reasons `case` needs a passed 法制审核 before its decision (行政处罚法 art. 58 and the
    local amount thresholds), for the amounts given or else those on the case."""
    found: list[MajorTrigger] = []
    if case.is_major_public_interest:
        found.append(MajorTrigger.PUBLIC_INTEREST)
    if case.is_major_rights and case.is_hearing_held:
        found.append(MajorTrigger.RIGHTS_AND_HEARING)
    if case.is_complex:
        found.append(MajorTrigger.COMPLEX)
    if case.is_other_by_law:
        found.append(MajorTrigger.OTHER_BY_LAW)
    fine = case.fine_amount if fine_amount is None else fine_amount
    confiscation = case.confiscation_amount if confiscation_amount is None else confiscation_amount
    if fine is not None or confiscation is not None:
        threshold = amount_threshold(case.parties.all())
        if fine is not None and fine >= threshold:
            found.append(MajorTrigger.FINE_AMOUNT)
        if confiscation is not None and confiscation >= threshold:
            found.append(MajorTrigger.CONFISCATION_AMOUNT)
    return found


def larger_amount(
    first: decimal.Decimal | None, second: decimal.Decimal | None
) -> decimal.Decimal | None:
    """The larger of two optional amounts (None when both are)."""
    given = [amount for amount in (first, second) if amount is not None]
    return max(given) if given else None


def review_due(requested_on: datetime.date) -> datetime.date:
    return calendar.add_working_days(requested_on, int(local_settings.get(REVIEW_WORKING_DAYS.key)))


# --- 事后公开 ------------------------------------------------------------------------------------


def publicity_working_days(category_code: str) -> int:
    if category_code in LICENSE_PENALTY_CATEGORY_CODES:
        return PUBLICITY_WORKING_DAYS_LICENSE_PENALTY
    return PUBLICITY_WORKING_DAYS_GENERAL


def publicity_deadline(decided_on: datetime.date, category_code: str) -> datetime.date:
    """The last day to make a decision public (国办发〔2018〕118号), on the official calendar."""
    return calendar.add_working_days(decided_on, publicity_working_days(category_code))


def publicity_timeliness(
    deadline: datetime.date | None, published_on: datetime.date | None, today: datetime.date
) -> str:
    if deadline is None:
        return ""
    if published_on is not None:
        return PublicityTimeliness.ON_TIME if published_on <= deadline else PublicityTimeliness.LATE
    return PublicityTimeliness.OVERDUE if today > deadline else PublicityTimeliness.PENDING


# --- penalty records and cases (网外循环) ---------------------------------------------------------


def case_required_on(decision_date: datetime.date | None) -> bool:
    """Whether the error setting applies to a penalty decided on `decision_date`."""
    if local_settings.get(MISSING_CASE_POLICY.key) != MissingCasePolicy.ERROR:
        return False
    start = str(local_settings.get(CASE_REQUIRED_FROM.key)).strip()
    if not start or decision_date is None:
        return True
    try:
        return decision_date >= datetime.date.fromisoformat(start)
    except ValueError:
        return True  # an unreadable date does not switch the rule off


def enforcement_body_codes() -> set[str]:
    """统一社会信用代码 of the active enforcement bodies.

    A penalty record is "submitted by an enforcement body" when its 处罚机关统一社会信用代码
    (CF_CFJGDM, `authority_credit_code`) is one of these.
    """
    from chengxin.agencies.models import EnforcementBody

    return set(
        EnforcementBody.objects.active()
        .exclude(credit_code="")
        .values_list("credit_code", flat=True)
    )


def matching_case(record: PenaltyRecord) -> Case | None:
    """The registered case a penalty record reports: same body (处罚机关代码) and 决定书文号."""
    from chengxin.cases.models import Case

    if not record.decision_number or not record.authority_credit_code:
        return None
    found: Case | None = (
        Case.objects.filter(
            body__credit_code=record.authority_credit_code,
            decision_number=record.decision_number.strip(),
        )
        .select_related("power_item")
        .first()
    )
    return found


def check_penalty_case(record: PenaltyRecord) -> None:
    """Link a penalty record to its case when one matches; when none does and the record comes
    from an enforcement body, refuse it if the district says so (cases.penalty_without_case =
    error). Called by PenaltyRecord.clean(), so forms and actions apply it."""
    if record.case_id is None:
        case = matching_case(record)
        if case is not None:
            record.case = case
            record.power_item_id = record.power_item_id or case.power_item_id
            return
    else:
        return
    if not case_required_on(record.decision_date):
        return
    if record.authority_credit_code in enforcement_body_codes():
        raise ValidationError(
            _(
                "处罚机关（%(code)s）是执法主体，但决定书文号“%(number)s”没有对应的在线办理案件："
                "请先在执法案件中登记并作出决定，再报送行政处罚信息。"
            )
            % {"code": record.authority_credit_code, "number": record.decision_number},
            code="case_required",
        )
