"""The rules of online case handling: which body may handle which item, who may be assigned (at
every step), when a decision needs a passed legality review, who may review, the heads'
collective discussion and sign-off, the handling period and its extension, in whose name the
decision is made, the review's time limits, 事后公开 deadlines, and penalty records without a
case.

National rules stay here with their citation; what a district decides for itself is a local
setting (chengxin.core.local_settings):
- 行政处罚法 art. 17: a body acts 在法定职权范围内 — the case's item must be one its department
  implements (the item's version in force on the registration date), an entrusted body's
  being the entrusting body's (art. 20);
- 行政处罚法 art. 42: at least two officers with a valid certificate, at every step;
- 行政处罚法 art. 58: four triggers of 法制审核 (flags on the case, plus "a hearing was held");
  art. 58 para. 2: a reviewer who first reviews a penalty decision on or after 2021-07-15
  (art. 86) holds the 法律职业资格; 国办发〔2018〕118号 （十一）明确审核机构: each enforcement
  body's own 法制机构 reviews (reviewing_department);
- local 重大执法决定 amount thresholds (较大数额罚款、没收): settings, defaults 10,000 yuan for
  公民 and 100,000 yuan for 法人或者其他组织 (one county's rule; Tongzhou uses 5,000 / 50,000);
- 行政处罚法 art. 57: the 行政机关负责人 decides (sign-off by a head of the body); para. 2:
  情节复杂或者重大违法行为 are decided by the heads collectively (discussion_triggers);
- 行政处罚法 art. 60: a penalty decision within 90 days of 立案, calendar days (art. 85 makes
  only the 二日、三日、五日、七日 of the law working days); 法律、法规、规章另有规定的，从其规定:
  a sector's extension with a head's approval is a local setting per field (extension_rule);
- review time limits: settings, default 7 working days, extendable once by 3 (Ningxia);
- 事后公开 (国办发〔2018〕118号): 行政许可 and 行政处罚 decisions within 7 working days of the
  decision, other enforcement decisions within 20 working days — national, in code;
- 行政处罚法 art. 20: an entrusted organisation decides in the entrusting body's name, which is
  the 处罚机关 of the decision and of its 双公示 record (deciding_authority).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.accounts.choices import Role
from chengxin.agencies.choices import BodyKind, Sector
from chengxin.cases.choices import MajorTrigger, MissingCasePolicy, PublicityTimeliness
from chengxin.core import calendar, local_settings
from chengxin.core.local_settings import InvalidSetting

if TYPE_CHECKING:
    from chengxin.accounts.models import Department, User
    from chengxin.agencies.models import EnforcementBody
    from chengxin.cases.models import Case
    from chengxin.powers.models import PowerAdjustment, PowerItem
    from chengxin.publicity.models import PenaltyRecord

PENALTY_CATEGORY_CODE = "penalty"
"""The power category (权力类别) of 行政处罚 items."""

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


# 行政处罚法 art. 86: 本法自2021年7月15日起施行 (art. 58 para. 2 binds reviewers from then).
PENALTY_LAW_IN_FORCE = datetime.date(2021, 7, 15)

# 行政处罚法 art. 60: 行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。法律、法规、
# 规章另有规定的，从其规定. Calendar days: art. 85 (本法中“二日”“三日”“五日”“七日”的规定是指
# 工作日，不含法定节假日) makes only those four limits working days. The day of 立案 is not
# counted (民法典 art. 201: 按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算), so the
# last day is 立案 + 90 days. It is not moved off a holiday (民法典 art. 203 protects a party
# who must act; here the body is bound, and may decide on any day).
HANDLING_DAYS = 90
HANDLING_CITATION = "《行政处罚法》第六十条"

# Extensions by a sector's own rule (法律、法规、规章另有规定的，从其规定): one local setting per
# field, "天数@起始日期" (cases registered on or after that date may be extended once by at most
# that many days, with a head's approval), blank for none. The national default is only known
# for 市场监管, from secondary sources (the rule's text was not found): 《市场监督管理行政处罚
# 程序规定》 as revised in force 2021-07-15 (its article on 办案期限, given as 第六十四条 by the
# pages that quote it): 九十日内作出处理决定；因案情复杂或者其他原因，不能在规定期限内作出处理
# 决定的，经市场监督管理部门负责人批准，可以延长三十日 (a further extension by the heads'
# collective discussion, and the periods not counted — 中止、听证、公告、检测、鉴定 … — are not
# modelled). Other fields start blank: the district enters its rule, with the rule's name in the
# setting's note, which becomes the extension's basis.
SECTOR_EXTENSIONS: dict[str, tuple[str, str]] = {
    Sector.MARKET_REGULATION: (
        "30@2021-07-15",
        "《市场监督管理行政处罚程序规定》（2021年7月15日起施行）：因案情复杂或者其他原因，"
        "经市场监督管理部门负责人批准，可以延长三十日",
    ),
}


def _extension_value(value: str) -> None:
    if value.strip():
        parse_extension(value)


@dataclass(frozen=True)
class ExtensionRule:
    """What a field's rule allows: once, up to `days` days, for cases registered from `since`."""

    days: int
    since: datetime.date | None
    basis: str


def parse_extension(value: str) -> tuple[int, datetime.date | None]:
    """ "30@2021-07-15" → (30, 2021-07-15); "30" → (30, None). InvalidSetting when unreadable."""
    days_text, _sep, since_text = value.strip().partition("@")
    try:
        days = int(days_text)
        since = datetime.date.fromisoformat(since_text.strip()) if since_text.strip() else None
    except ValueError as exc:
        raise InvalidSetting(_("格式为“天数@起始日期”，如 30@2021-07-15。")) from exc
    if not 1 <= days <= 365:
        raise InvalidSetting(_("延长天数应在 1 至 365 之间。"))
    return days, since


EXTENSION_SETTINGS = {
    sector: local_settings.declare(
        f"cases.handling_extension.{sector.value}",
        format_lazy(_l("办案期限：{sector}领域经负责人批准可延长的日数"), sector=sector.label),
        SECTOR_EXTENSIONS.get(sector, ("", ""))[0],
        _l(
            "格式“天数@起始日期”（如 30@2021-07-15）：立案日期在起始日期及以后的行政处罚案件，"
            "不能在九十日内作出决定的，经本机关负责人批准可延长一次，最多延长该天数；留空：不得"
            "延长（行政处罚法第六十条）。请在“依据或说明”中写明所依据的法律、法规、规章条款。"
        ),
        validator=_extension_value,
    )
    for sector in Sector
}


# --- who may handle what ---------------------------------------------------------------------


@dataclass(frozen=True)
class Authority:
    """The 行政机关 a decision is made in the name of (处罚机关 on the 双公示 record)."""

    name: str
    credit_code: str


def deciding_authority(body: EnforcementBody) -> Authority:
    """In whose name `body` decides: its own, or — for an entrusted organisation — the
    entrusting body's (行政处罚法 art. 20: 受委托组织在委托范围内，以委托行政机关名义实施行政
    处罚). The one definition: the case's decision and the 双公示 record drafted from it
    (cases.penalty_records) both take the 处罚机关 from here."""
    if body.kind == BodyKind.ENTRUSTED and body.entrusting_body is not None:
        body = body.entrusting_body
    return Authority(body.name, body.credit_code)


def competent_departments(body: EnforcementBody) -> set[int]:
    """The departments whose power items `body` exercises: its own department's, and for an
    entrusted organisation the entrusting body's department's (it acts within the entrustment,
    行政处罚法 art. 20)."""
    found = {body.department_id}
    if body.kind == BodyKind.ENTRUSTED and body.entrusting_body is not None:
        found.add(body.entrusting_body.department_id)
    return {pk for pk in found if pk is not None}


def item_version_on(item: PowerItem, day: datetime.date) -> PowerAdjustment | None:
    """The power list's version of `item` in force on `day` (its last adjustment by then)."""
    version: PowerAdjustment | None = (
        item.adjustments.filter(effective_on__lte=day).order_by("-effective_on", "-id").first()
    )
    return version


def competence_problem(body: EnforcementBody, item: PowerItem, day: datetime.date) -> str | None:
    """Why `body` may not handle a case under `item` registered on `day`, or None.

    行政处罚法 art. 17: 行政处罚由具有行政处罚权的行政机关在法定职权范围内实施. The item's
    实施主体 (implementing department) in the version in force on `day` must be one of the
    body's competent departments."""
    version = item_version_on(item, day)
    department_id = (
        version.snapshot.get("implementing_department")
        if version is not None
        else item.implementing_department_id
    )
    if department_id in competent_departments(body):
        return None
    name = (
        version.snapshot.get("implementing_department_name")
        if version is not None
        else str(item.implementing_department)
    )
    return _(
        "权力事项“%(item)s”的实施主体是“%(department)s”，不在执法主体“%(body)s”的职权范围内"
        "（行政处罚法第十七条：在法定职权范围内实施）。"
    ) % {"item": item.name, "department": name, "body": body.name}


# --- officers --------------------------------------------------------------------------------


def acting_officer_problems(case: Case, day: datetime.date) -> list[str]:
    """Why the officers acting in `case` on `day` may not carry out a step then (empty: they may).

    Every officer on the case that day (assigned, not released) must still be assignable — in
    post, the certificate valid that day — not only on the day of 立案; and at least two must be
    on it (行政处罚法 art. 42). An officer who may not go on is released from the case
    (cases.actions.change_case_officers), another assigned."""
    acting = [a for a in case.assignments.select_related("officer__body") if a.acts_on(day)]
    problems = [
        problem
        for assignment in acting
        if (problem := assignment.officer.assignment_problem(case.body_id, day))
    ]
    if problems:
        problems.append(_("请先变更承办执法人员，再记录该环节。"))
    if len(acting) < 2:
        problems.append(
            _("本案当日的承办执法人员不足两人（行政处罚法第四十二条），请先增加承办执法人员。")
        )
    return problems


# --- 法制审核 ------------------------------------------------------------------------------------


def reviewing_department(body: EnforcementBody) -> Department | None:
    """The unit whose legal reviewers review `body`'s cases (国办发〔2018〕118号 （十一）明确审核
    机构: each enforcement body names its own 法制审核 unit).

    The body's `legal_review_department` when set; otherwise its own department — for an
    entrusted organisation the entrusting body's, whose decision it is — when that department
    has an active legal reviewer (its 法制机构); otherwise None: the district-wide legal
    reviewers (the justice bureau), as before per-body units existed."""
    from chengxin.accounts.models import Department, UserRole

    if body.legal_review_department_id is not None:
        chosen: Department | None = body.legal_review_department
        return chosen
    owner = body
    if body.kind == BodyKind.ENTRUSTED and body.entrusting_body is not None:
        owner = body.entrusting_body
    if owner.department_id is None:
        return None
    has_reviewer = UserRole.objects.filter(
        role=Role.LEGAL_REVIEWER, user__is_active=True, user__department_id=owner.department_id
    ).exists()
    return Department.objects.get(pk=owner.department_id) if has_reviewer else None


def reviewer_unit_problem(review_department_id: int | None, user: User) -> str | None:
    """Why `user` may not do a review routed to `review_department_id` (None: any legal
    reviewer), or None."""
    if review_department_id is None or user.department_id == review_department_id:
        return None
    return _("本案由其执法主体指定的法制审核机构审核，您不属于该机构。")


def reviewer_problem(user: User, on: datetime.date) -> str | None:
    """Why `user` may not review a penalty decision on `on`, or None (行政处罚法 art. 58 para. 2:
    行政机关中初次从事行政处罚决定法制审核的人员，应当通过国家统一法律职业资格考试取得法律职业
    资格). A reviewer who holds the 法律职业资格 may; one without it only if they first reviewed
    before the law took effect (2021-07-15: not 初次 under it). Someone never recorded reviews
    for the first time now, so needs it."""
    from chengxin.cases.models import LegalReviewer

    record = LegalReviewer.objects.filter(user=user).first()
    if record is not None and record.has_legal_qualification:
        return None
    first = record.first_reviewed_on if record is not None else None
    if first is not None and first < PENALTY_LAW_IN_FORCE:
        return None
    if first is None:
        when = _("%(day)s 为首次从事行政处罚决定法制审核") % {"day": on.isoformat()}
    else:
        when = _("自 %(day)s 起从事行政处罚决定法制审核") % {"day": first.isoformat()}
    return _(
        "%(name)s %(when)s，未登记法律职业资格：行政机关中初次从事行政处罚决定法制审核的人员，"
        "应当通过国家统一法律职业资格考试取得法律职业资格（行政处罚法第五十八条第二款）。"
        "请由司法局在“法制审核人员”中登记其资格。"
    ) % {"name": user.full_name, "when": when}


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


def is_penalty_item(item: PowerItem) -> bool:
    return bool(item.category.code == PENALTY_CATEGORY_CODE)


def discussion_triggers(
    case: Case,
    *,
    fine_amount: decimal.Decimal | None = None,
    confiscation_amount: decimal.Decimal | None = None,
) -> list[str]:
    """Why a penalty decision in `case` needs the heads' collective discussion (行政处罚法 art. 57
    para. 2: 对情节复杂或者重大违法行为给予行政处罚，行政机关负责人应当集体讨论决定), or [].

    情节复杂: the handlers marked the case 疑难复杂 (art. 58 (3)) or 情节复杂或者重大违法行为.
    重大违法行为: marked so, or the fine or confiscation (the larger of proposed and decided)
    reaches the local 重大执法决定 amount threshold — the district's own line for 较大数额, so
    one definition of "major" serves the review and the discussion."""
    if not is_penalty_item(case.power_item):
        return []
    found: list[str] = []
    if case.is_serious_violation:
        found.append(_("认定为情节复杂或者重大违法行为"))
    if case.is_complex:
        found.append(_("案件情况疑难复杂、涉及多个法律关系"))
    amounts = {MajorTrigger.FINE_AMOUNT, MajorTrigger.CONFISCATION_AMOUNT}
    triggers = major_triggers(
        case, fine_amount=fine_amount, confiscation_amount=confiscation_amount
    )
    if amounts & set(triggers):
        found.append(_("罚没数额达到本地重大执法决定标准"))
    return found


def heads_of(body: EnforcementBody) -> set[int]:
    """The users who may sign `body`'s decisions off and extend its handling periods: its heads,
    and for an entrusted organisation the entrusting body's (in whose name it decides)."""
    heads = set(body.heads.values_list("pk", flat=True))
    if body.kind == BodyKind.ENTRUSTED and body.entrusting_body is not None:
        heads |= set(body.entrusting_body.heads.values_list("pk", flat=True))
    return heads


# --- 办案期限 ------------------------------------------------------------------------------------


def handling_deadline(registered_on: datetime.date) -> datetime.date:
    """The last day to decide a penalty case registered on `registered_on` (行政处罚法 art. 60):
    立案 + 90 calendar days."""
    return registered_on + datetime.timedelta(days=HANDLING_DAYS)


def extension_rule(body: EnforcementBody, registered_on: datetime.date) -> ExtensionRule | None:
    """The extension `body`'s field allows a case registered on `registered_on`, or None."""
    from chengxin.core.models import LocalSetting

    declaration = EXTENSION_SETTINGS[Sector(body.sector or Sector.OTHER)]
    value = str(local_settings.get(declaration.key)).strip()
    if not value:
        return None
    try:
        days, since = parse_extension(value)
    except InvalidSetting:
        return None  # an unreadable value allows no extension
    if since is not None and registered_on < since:
        return None
    note = LocalSetting.objects.filter(key=declaration.key).values_list("note", flat=True).first()
    default_value, default_basis = SECTOR_EXTENSIONS.get(body.sector, ("", ""))
    basis = note or (default_basis if value == default_value else "") or declaration.key
    return ExtensionRule(days, since, basis)


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
    """The registered case a penalty record reports: same 处罚机关 (its code: the deciding
    authority of the case, deciding_authority) and 决定书文号."""
    from chengxin.cases.models import Case

    if not record.decision_number or not record.authority_credit_code:
        return None
    found: Case | None = (
        Case.objects.filter(
            authority_credit_code=record.authority_credit_code,
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
