"""The 双公示 penalty record that a penalty case's decision drafts, and its publication as the
case's 事后公开.

The decision knows everything the national standard asks of the record (相对人, 违法行为类型,
违法事实, 处罚依据, 处罚类别, 处罚内容, amounts, 处罚机关, 文号 and date): the reporter no longer types
it again, and the case's 事后公开 is the record's publication, not a date someone types
(国办发〔2018〕118号; 双公示 within 7 working days, 发改办财金〔2018〕424号).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.audit import context as audit_context
from chengxin.cases import rules
from chengxin.cases.choices import EventType
from chengxin.cases.models import Case, CaseEvent
from chengxin.core import local_settings
from chengxin.core.personal_data import decrypt
from chengxin.publicity import actions as publicity_actions
from chengxin.publicity.choices import IdType
from chengxin.publicity.models import DecisionRecord, PenaltyRecord
from chengxin.subjects.choices import SubjectCategory

PENALTY_CATEGORY_CODE = rules.PENALTY_CATEGORY_CODE
"""The power category (权力类别) of 行政处罚 items: their cases draft a 双公示 record."""

SUBMIT_ON_DECISION = local_settings.declare(
    "cases.submit_penalty_record_on_decision",
    "执法决定作出后立即提交双公示行政处罚信息",
    False,
    "否（默认）：决定生成的行政处罚信息草稿进入所属部门的待报送记录，由部门信息员核对后提交；"
    "是：随决定立即提交（是否先经信用办审核后公示，按“双公示先审后公示”设置）。",
    security_relevant=True,
)

YUAN_PER_WAN = decimal.Decimal(10000)


@dataclass(frozen=True)
class PenaltyFacts:
    """What a penalty decision states beyond its number, date, content and amounts."""

    violation_type: str
    violation_facts: str
    legal_basis: str
    penalty_categories: Sequence[str]
    valid_until: datetime.date
    suspended_licence: str = ""
    is_summary_procedure: bool = False


def is_penalty_case(case: Case) -> bool:
    return rules.is_penalty_item(case.power_item)


def _wan(yuan: decimal.Decimal | None) -> decimal.Decimal | None:
    """Cases keep yuan; the standard's amounts are in 万元."""
    return None if yuan is None else (yuan / YUAN_PER_WAN).normalize()


def draft_penalty_record(case: Case, facts: PenaltyFacts, *, actor: User) -> PenaltyRecord:
    """Draft the decided case's 双公示 penalty record in its department's queue, linked to the case.

    Precondition: the case is decided (number, date, content set) and has a party. The record is
    checked against the national standard like any record: a decision whose record would be
    refused is refused, with the standard's problems. With the local setting
    cases.submit_penalty_record_on_decision the record is submitted at once.
    """
    party = case.parties.order_by("pk").first()
    if party is None:
        raise ValidationError(_("案件没有当事人，无法生成双公示行政处罚信息。"))
    assert case.decided_on is not None
    # 处罚机关: the deciding authority, as on the decision (an entrusted organisation's entrusting
    # body, 行政处罚法 art. 20) — the one function both use.
    authority = rules.deciding_authority(case.body)
    is_person = party.category == SubjectCategory.NATURAL_PERSON
    record = PenaltyRecord(
        department=case.department,
        case=case,
        power_item=case.power_item,
        subject_name=party.name,
        subject_category=party.category,
        subject_credit_code="" if is_person else party.credit_code,
        id_type=str(IdType.RESIDENT_ID) if is_person else "",
        decision_number=case.decision_number,
        decision_date=case.decided_on,
        content=case.decision_summary,
        violation_type=facts.violation_type.strip(),
        violation_facts=facts.violation_facts.strip(),
        legal_basis=facts.legal_basis.strip(),
        penalty_categories=";".join(facts.penalty_categories),
        fine_amount=_wan(case.fine_amount),
        confiscation_amount=_wan(case.confiscation_amount),
        suspended_licence=facts.suspended_licence.strip(),
        is_summary_procedure=facts.is_summary_procedure,
        penalty_valid_until=facts.valid_until,
        authority=authority.name,
        authority_credit_code=authority.credit_code,
    )
    id_number = decrypt(party.id_number_ciphertext) if party.id_number_ciphertext else ""
    record.set_personal_numbers(id_number=id_number)
    try:
        publicity_actions.draft_record_for(record, actor=actor)
    except ValidationError as exc:
        raise ValidationError(
            _("本决定生成的双公示行政处罚信息不符合国家标准：%s") % "；".join(exc.messages)
        ) from exc
    if local_settings.get(SUBMIT_ON_DECISION.key):
        publicity_actions.submit_record(record, actor=actor, drafted_by_actor=True)
    return record


def note_publication(record: DecisionRecord) -> None:
    """A publicity hook: a penalty record's publication is its case's 事后公开 (the first one
    counts, a later correction does not move it)."""
    if not isinstance(record, PenaltyRecord) or record.case_id is None:
        return
    assert record.published_at is not None
    case = Case.objects.select_for_update().get(pk=record.case_id)
    if case.published_on is not None:
        return
    case.published_on = timezone.localdate(record.published_at)
    case.save(update_fields=["published_on", "updated_at"])
    actor = audit_context.current().actor  # who published the record (submit_record's actor)
    CaseEvent.objects.create(
        case=case,
        type=EventType.PUBLISHED,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=case.published_on.isoformat(),
    )
