"""Online case handling. Each action checks its precondition and the actor's permission, changes
the case, writes a CaseStep (for steps) and a CaseEvent, and leaves the change log, in one
transaction. Views never set `status`.

    register_case (立案) → record_step: 调查取证 … → 告知 (hearing requested?) → 听证
      → request_legality_review → record_legality_review (法制审核: passed / failed / returned)
      → decide_case (refused for an art. 58 case without a passed review) → 送达 → 执行 → 结案
    mark_major raises art. 58 flags (never lowers them); record_case_publication (事后公开).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.accounts.permissions import ADD, CHANGE, REVIEW
from chengxin.agencies.choices import BodyStatus
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.audit.context import audit_context, change_reason
from chengxin.cases import attachments, penalty_records, rules
from chengxin.cases.choices import (
    PLAIN_STEPS,
    REVIEW_EVENTS,
    STATUS_AFTER_STEP,
    CaseStatus,
    EventType,
    ReviewResult,
    StepKind,
)
from chengxin.cases.models import (
    CHECKLIST,
    Case,
    CaseEvent,
    CaseOfficer,
    CaseParty,
    CaseStep,
    LegalityReview,
    RecordingReference,
)
from chengxin.cases.penalty_records import PenaltyFacts
from chengxin.core import calendar, local_settings, workflow
from chengxin.core.identifiers import normalise, validate_resident_id, validate_uscc
from chengxin.core.personal_data import blind_index
from chengxin.core.workflow import locked, require
from chengxin.powers.models import PowerItem
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject

MIN_OFFICERS = 2  # 行政处罚法 art. 42: 执法人员不得少于两人


@dataclass(frozen=True)
class PartyData:
    """A party as entered at registration (the ID number in plaintext, stored encrypted)."""

    name: str
    category: str
    credit_code: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class RecordingData:
    """A reference to an audio-visual record of a step (全过程记录)."""

    media_kind: str
    reference: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None = None
    device: str = ""


# --- helpers ---------------------------------------------------------------------------------


def _latest_review(case: Case) -> LegalityReview | None:
    review: LegalityReview | None = case.reviews.order_by("-requested_at", "-id").first()
    return review


def _refuse_in_status(case: Case, kind: str) -> ValidationError:
    return ValidationError(
        _(
            "案件当前为“%(status)s”，不能记录“%(step)s”：请按立案、调查取证、告知、听证、法制审核、"
            "决定、送达、执行、结案的顺序办理。"
        )
        % {"status": case.get_status_display(), "step": StepKind(kind).label},
        code="step_order",
    )


def _step_time(case: Case, occurred_at: datetime.datetime | None) -> datetime.datetime:
    """A step's time: not in the future, not before the case's latest step."""
    now = timezone.now()
    when = occurred_at or now
    if when > now + datetime.timedelta(minutes=5):
        raise ValidationError(_("环节发生时间不能晚于当前时间。"))
    last = case.steps.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    if last is not None and last.replace(second=0, microsecond=0) <= when < last:
        return last  # entered to the minute (the form's precision) in the previous step's minute
    if last is not None and when < last:
        raise ValidationError(
            _("环节发生时间不能早于上一环节（%(time)s）。")
            % {"time": timezone.localtime(last).strftime("%Y-%m-%d %H:%M")}
        )
    return when


def _add_step(
    case: Case,
    kind: str,
    *,
    actor: User,
    occurred_at: datetime.datetime,
    notes: str,
    files: Sequence[UploadedFile],
    recordings: Sequence[RecordingData],
) -> CaseStep:
    checked = attachments.check_files(list(files))
    step = CaseStep.objects.create(
        case=case, kind=kind, occurred_at=occurred_at, actor=actor, notes=notes.strip()
    )
    attachments.attach(step, checked)
    for item in recordings:
        recording = RecordingReference(
            step=step,
            media_kind=item.media_kind,
            reference=item.reference.strip(),
            device=item.device.strip(),
            started_at=item.started_at,
            ended_at=item.ended_at,
        )
        recording.full_clean()
        recording.save()
    return step


# --- 立案 -------------------------------------------------------------------------------------


def register_case(
    *,
    actor: User,
    body: EnforcementBody,
    power_item: PowerItem,
    parties: Sequence[PartyData],
    officers: Sequence[EnforcementOfficer],
    summary: str,
    registered_on: datetime.date | None = None,
    notes: str = "",
    is_major_public_interest: bool = False,
    is_major_rights: bool = False,
    is_complex: bool = False,
    is_other_by_law: bool = False,
    other_by_law_basis: str = "",
    files: Sequence[UploadedFile] = (),
    recordings: Sequence[RecordingData] = (),
) -> Case:
    """立案: a case of an active body under a power item in force, with its parties and at least
    two officers assignable on the registration date. Refused (ValidationError) naming every
    problem; PermissionDenied when the actor may not add cases of the body's department."""
    day = registered_on or timezone.localdate()
    if body.department_id is None:
        raise ValidationError(_("该执法主体未关联所属部门，不能在线立案。"))
    case = Case(
        body=body,
        power_item=power_item,
        department_id=body.department_id,
        registered_on=day,
        summary=summary.strip(),
        is_major_public_interest=is_major_public_interest,
        is_major_rights=is_major_rights,
        is_complex=is_complex,
        is_other_by_law=is_other_by_law,
        other_by_law_basis=other_by_law_basis.strip(),
    )
    require(actor, ADD, case)
    problems: list[str] = []
    if body.status != BodyStatus.ACTIVE:
        problems.append(_("执法主体“%(name)s”已撤销，不能立案。") % {"name": body})
    if day > timezone.localdate():
        problems.append(_("立案日期不能晚于今天。"))
    if not PowerItem.objects.in_force(on=day).filter(pk=power_item.pk).exists():
        problems.append(
            _("权力事项“%(item)s”在 %(day)s 不在权力清单内。") % {"item": power_item, "day": day}
        )
    if not case.summary:
        problems.append(_("请填写案情摘要。"))
    if is_other_by_law and not case.other_by_law_basis:
        problems.append(_("“法律、法规规定的其他情形”须写明依据。"))
    cleaned_parties = _clean_parties(parties, problems)
    problems += _officer_problems(officers, body.pk, day)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), audit_context(actor=actor):
        _save_with_number(case, day)
        for party in cleaned_parties:
            party.case = case
            party.save()
        for officer in {officer.pk: officer for officer in officers}.values():
            CaseOfficer.objects.create(case=case, officer=officer, assigned_on=day)
        when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        if day == timezone.localdate():
            when = min(when, timezone.now())
        _add_step(
            case,
            StepKind.REGISTRATION,
            actor=actor,
            occurred_at=when,
            notes=notes,
            files=files,
            recordings=recordings,
        )
        workflow.record(CaseEvent, case, EventType.REGISTERED, actor, note=case.summary[:200])
    return case


def _officer_problems(
    officers: Sequence[EnforcementOfficer], body_id: int, day: datetime.date
) -> list[str]:
    distinct = {officer.pk: officer for officer in officers}
    problems = [
        problem
        for officer in distinct.values()
        if (problem := rules.officer_problem(officer, body_id, day))
    ]
    if len(distinct) < MIN_OFFICERS:
        problems.append(
            _("执法人员不得少于两人（行政处罚法第四十二条），已选 %(count)d 人。")
            % {"count": len(distinct)}
        )
    return problems


def _clean_parties(parties: Sequence[PartyData], problems: list[str]) -> list[CaseParty]:
    if not parties:
        problems.append(_("请至少填写一名当事人。"))
    cleaned = []
    for number, data in enumerate(parties, start=1):
        party = CaseParty(name=data.name.strip(), category=data.category)
        where = _("第 %(n)d 名当事人") % {"n": number}
        if not party.name:
            problems.append(_("%(where)s：请填写名称。") % {"where": where})
        if data.category not in SubjectCategory.values:
            problems.append(_("%(where)s：类别不正确。") % {"where": where})
            continue
        try:
            if data.category == SubjectCategory.NATURAL_PERSON:
                number_text = normalise(data.id_number)
                if len(number_text) == 18:
                    number_text = validate_resident_id(number_text)
                if not number_text:
                    raise ValidationError(_("自然人须填写证件号码。"))
                party.set_id_number(number_text)
                party.subject = Subject.objects.filter(
                    id_number_index=blind_index(number_text)
                ).first()
            else:
                party.credit_code = validate_uscc(data.credit_code, allow_placeholder=False)
                party.subject = Subject.objects.filter(credit_code=party.credit_code).first()
        except ValidationError as exc:
            problems.append(
                _("%(where)s（%(name)s）：%(problem)s")
                % {"where": where, "name": party.name, "problem": "；".join(exc.messages)}
            )
            continue
        cleaned.append(party)
    return cleaned


def _save_with_number(case: Case, day: datetime.date) -> None:
    """Save with the body's next number of the year, e.g. AJ2026-0003-00012."""
    taken = Case.objects.filter(body_id=case.body_id, registered_on__year=day.year).count()
    for attempt in range(1, 20):
        case.number = f"AJ{day.year}-{case.body_id:04d}-{taken + attempt:05d}"
        try:
            with transaction.atomic():
                case.save()
            return
        except IntegrityError:
            if not Case.objects.filter(number=case.number).exists():
                raise
    raise RuntimeError("no free case number")


# --- steps -------------------------------------------------------------------------------------

ALLOWED_BEFORE: dict[str, tuple[str, ...]] = {
    StepKind.INVESTIGATION: (CaseStatus.REGISTERED, CaseStatus.INVESTIGATING),
    StepKind.NOTIFICATION: (CaseStatus.INVESTIGATING,),
    StepKind.HEARING: (CaseStatus.NOTIFIED,),
    StepKind.SERVICE: (CaseStatus.DECIDED,),
    StepKind.EXECUTION: (CaseStatus.SERVED, CaseStatus.EXECUTED),
    StepKind.CLOSING: (CaseStatus.SERVED, CaseStatus.EXECUTED),
}


def _check_order(case: Case, kind: str) -> None:
    latest = _latest_review(case)
    if latest is not None and latest.result == ReviewResult.PENDING:
        raise ValidationError(_("法制审核正在进行，审核结束前不能记录其他环节。"))
    allowed = ALLOWED_BEFORE[kind]
    sent_back = latest is not None and latest.result in (ReviewResult.FAILED, ReviewResult.RETURNED)
    if kind == StepKind.INVESTIGATION and sent_back:
        # A review sent the case back (不通过 / 退回补充): investigate again, then 告知 again.
        allowed = (*allowed, CaseStatus.NOTIFIED, CaseStatus.HEARD)
    if kind == StepKind.HEARING and not case.is_hearing_requested:
        raise ValidationError(_("当事人未要求听证，不能记录听证环节。"))
    if case.status not in allowed:
        raise _refuse_in_status(case, kind)


def record_step(
    case: Case,
    kind: str,
    *,
    actor: User,
    occurred_at: datetime.datetime | None = None,
    notes: str = "",
    files: Sequence[UploadedFile] = (),
    recordings: Sequence[RecordingData] = (),
    hearing_requested: bool = False,
    fine_amount: decimal.Decimal | None = None,
    confiscation_amount: decimal.Decimal | None = None,
) -> CaseStep:
    """Record 调查取证, 告知, 听证, 送达, 执行 or 结案, in order.

    告知 carries the proposed amounts and whether the party requested a hearing; 听证 only when
    requested; 结案 after 送达 (or 执行). 立案, 法制审核 and 决定 have their own actions.
    """
    if kind not in PLAIN_STEPS:
        raise ValidationError(_("该环节须通过专门的办理功能记录。"))
    require(actor, CHANGE, case)
    with transaction.atomic(), audit_context(actor=actor):
        case = locked(Case.objects.select_related("body", "power_item"), case.pk)
        _check_order(case, kind)
        when = _step_time(case, occurred_at)
        case.status = STATUS_AFTER_STEP[kind]
        if kind == StepKind.NOTIFICATION:
            case.is_hearing_requested = hearing_requested
            _set_amounts(case, fine_amount, confiscation_amount)
        elif kind == StepKind.HEARING:
            case.is_hearing_held = True
        elif kind == StepKind.CLOSING:
            case.closed_on = timezone.localdate(when)
        case.save()
        step = _add_step(
            case,
            kind,
            actor=actor,
            occurred_at=when,
            notes=notes,
            files=files,
            recordings=recordings,
        )
        workflow.record(
            CaseEvent, case, EventType.STEP_RECORDED, actor, note=str(StepKind(kind).label)
        )
    return step


def record_hearing_request(case: Case, *, actor: User, note: str = "") -> Case:
    """The party asked for a hearing after 告知 (行政处罚法 art. 64: within 5 days of the notice):
    听证 must then be held before the review and the decision."""
    require(actor, CHANGE, case)
    with transaction.atomic(), audit_context(actor=actor):
        case = locked(Case.objects.select_related("body", "power_item"), case.pk)
        latest = _latest_review(case)
        if latest is not None and latest.result in (ReviewResult.PENDING, ReviewResult.PASSED):
            raise ValidationError(_("已提请法制审核，不能再登记听证申请。"))
        if case.status != CaseStatus.NOTIFIED or case.is_hearing_requested:
            raise ValidationError(_("只有已告知、尚未登记听证申请的案件可以登记听证申请。"))
        case.is_hearing_requested = True
        case.save()
        workflow.record(CaseEvent, case, EventType.HEARING_REQUESTED, actor, note=note.strip())
    return case


def _set_amounts(
    case: Case, fine: decimal.Decimal | None, confiscation: decimal.Decimal | None
) -> None:
    for label, value in ((_("罚款金额"), fine), (_("没收金额"), confiscation)):
        if value is not None and value < 0:
            raise ValidationError(_("%(label)s不能为负数。") % {"label": label})
    case.fine_amount, case.confiscation_amount = fine, confiscation


def mark_major(
    case: Case,
    *,
    actor: User,
    reason: str,
    is_major_public_interest: bool = False,
    is_major_rights: bool = False,
    is_complex: bool = False,
    is_other_by_law: bool = False,
    other_by_law_basis: str = "",
) -> Case:
    """Raise 行政处罚法 art. 58 flags before the decision. Flags are never lowered: a case once
    found major keeps needing a passed review."""
    require(actor, CHANGE, case)
    if not reason.strip():
        raise ValidationError(_("请说明认定理由。"))
    if is_other_by_law and not other_by_law_basis.strip():
        raise ValidationError(_("“法律、法规规定的其他情形”须写明依据。"))
    with transaction.atomic(), audit_context(actor=actor):
        case = locked(Case.objects.select_related("body", "power_item"), case.pk)
        if case.decided_on is not None:
            raise ValidationError(_("案件已作出决定，不能再认定法制审核情形。"))
        case.is_major_public_interest |= is_major_public_interest
        case.is_major_rights |= is_major_rights
        case.is_complex |= is_complex
        if is_other_by_law:
            case.is_other_by_law, case.other_by_law_basis = True, other_by_law_basis.strip()
        case.save()
        workflow.record(CaseEvent, case, EventType.MARKED_MAJOR, actor, note=reason.strip())
    return case


# --- 法制审核 ------------------------------------------------------------------------------------


def request_legality_review(case: Case, *, actor: User, submission: str) -> LegalityReview:
    """Send the proposed decision to the legal office after 告知 (and the hearing if requested).
    Due in cases.review_working_days working days on the official calendar."""
    require(actor, CHANGE, case)
    if not submission.strip():
        raise ValidationError(_("请填写拟作出的决定及理由。"))
    with transaction.atomic(), audit_context(actor=actor):
        case = locked(Case.objects.select_related("body", "power_item"), case.pk)
        latest = _latest_review(case)
        if latest is not None and latest.result == ReviewResult.PENDING:
            raise ValidationError(_("该案件已在法制审核中。"))
        if latest is not None and latest.result == ReviewResult.PASSED:
            raise ValidationError(_("该案件已通过法制审核。"))
        if case.status not in (CaseStatus.NOTIFIED, CaseStatus.HEARD):
            raise ValidationError(
                _("案件当前为“%(status)s”：须在告知（及听证）之后、决定之前提请法制审核。")
                % {"status": case.get_status_display()}
            )
        if case.is_hearing_requested and not case.is_hearing_held:
            raise ValidationError(_("当事人要求听证：须先举行听证，再提请法制审核。"))
        review = LegalityReview.objects.create(
            case=case,
            department_id=case.department_id,
            requested_by=actor,
            submission=submission.strip(),
            fine_amount=case.fine_amount,
            confiscation_amount=case.confiscation_amount,
            due_on=rules.review_due(timezone.localdate()),
        )
        workflow.record(
            CaseEvent, case, EventType.REVIEW_REQUESTED, actor, note=submission.strip()[:200]
        )
    return review


def record_legality_review(
    review: LegalityReview,
    *,
    actor: User,
    result: str,
    opinion: str,
    checklist: Mapping[str, bool],
    other_findings: str = "",
) -> LegalityReview:
    """The 法制审核员's result: 通过 (every checklist item confirmed), 不通过 or 退回补充.

    Writes the 法制审核 step on the case; a passed review moves the case to 法制审核通过, which
    lets the decision be made. 不通过 / 退回补充 let the handlers investigate again."""
    require(actor, REVIEW, review)
    if result not in REVIEW_EVENTS:
        raise ValidationError(_("请选择审核结果。"))
    if not opinion.strip():
        raise ValidationError(_("请填写审核意见。"))
    missing = [str(label) for field, label in CHECKLIST if not checklist.get(field)]
    if result == ReviewResult.PASSED and missing:
        raise ValidationError(
            _("审核通过须逐项确认审核内容，尚未确认：%(items)s。") % {"items": "；".join(missing)}
        )
    with transaction.atomic(), audit_context(actor=actor):
        review = LegalityReview.objects.select_for_update().get(pk=review.pk)
        if review.result != ReviewResult.PENDING:
            raise ValidationError(_("该法制审核已有结果。"))
        case = locked(Case.objects.select_related("body", "power_item"), review.case.pk)
        if _handled(case, actor, review):
            raise ValidationError(
                _("承办本案的人员不能审核本案：法制审核由承办人员以外的法制审核人员进行。"),
                code="own_case",
            )
        review.result, review.opinion = result, opinion.strip()
        review.reviewer, review.reviewed_at = actor, timezone.now()
        review.other_findings = other_findings.strip()
        for field, _label in CHECKLIST:
            setattr(review, field, bool(checklist.get(field)))
        review.save()
        note = f"{ReviewResult(result).label}：{review.opinion}"
        _add_step(
            case,
            StepKind.LEGALITY_REVIEW,
            actor=actor,
            occurred_at=_step_time(case, None),
            notes=note,
            files=(),
            recordings=(),
        )
        if result == ReviewResult.PASSED:
            case.status = CaseStatus.REVIEWED
            case.save()
        workflow.record(CaseEvent, case, REVIEW_EVENTS[result], actor, note=review.opinion[:200])
    return review


def _handled(case: Case, actor: User, review: LegalityReview) -> bool:
    """Whether `actor` handled `case`: sent it to review or recorded one of its other steps."""
    if review.requested_by_id == actor.pk:
        return True
    steps = case.steps.filter(actor=actor).exclude(kind=StepKind.LEGALITY_REVIEW)
    return bool(steps.exists())


def extend_legality_review(review: LegalityReview, *, actor: User, reason: str) -> LegalityReview:
    """Extend a pending review once by cases.review_extension_working_days working days."""
    require(actor, REVIEW, review)
    if not reason.strip():
        raise ValidationError(_("请说明延长理由。"))
    with transaction.atomic(), audit_context(actor=actor):
        review = LegalityReview.objects.select_for_update().get(pk=review.pk)
        if review.result != ReviewResult.PENDING:
            raise ValidationError(_("该法制审核已有结果。"))
        if review.is_extended:
            raise ValidationError(_("审核期限只能延长一次。"))
        days = int(local_settings.get(rules.REVIEW_EXTENSION_WORKING_DAYS.key))
        review.due_on, review.is_extended = calendar.add_working_days(review.due_on, days), True
        review.save()
        workflow.record(
            CaseEvent, review.case, EventType.REVIEW_EXTENDED, actor, note=reason.strip()
        )
    return review


# --- 决定 and after -----------------------------------------------------------------------------


def decide_case(
    case: Case,
    *,
    actor: User,
    decision_number: str,
    decision_summary: str,
    fine_amount: decimal.Decimal | None = None,
    confiscation_amount: decimal.Decimal | None = None,
    occurred_at: datetime.datetime | None = None,
    notes: str = "",
    files: Sequence[UploadedFile] = (),
    recordings: Sequence[RecordingData] = (),
    penalty: PenaltyFacts | None = None,
) -> Case:
    """决定. Refused while a legality review is pending, and — 行政处罚法 art. 58 — when the
    case (with the larger of the amounts proposed at 告知 and decided) meets a trigger and its
    latest review has not passed.
    Sets the 事后公开 deadline and links the body's penalty records with this 决定书文号. A
    penalty case given its `penalty` facts with no such record yet drafts its 双公示 record
    (cases.penalty_records), in this transaction: a record the standard refuses refuses the
    decision. Without the facts the record is expected from the department's own system."""
    require(actor, CHANGE, case)
    decision_number = decision_number.strip()
    if not decision_number:
        raise ValidationError(_("请填写决定书文号。"))
    if not decision_summary.strip():
        raise ValidationError(_("请填写决定内容。"))
    with transaction.atomic(), audit_context(actor=actor):
        case = locked(Case.objects.select_related("body", "power_item"), case.pk)
        latest = _latest_review(case)
        if latest is not None and latest.result == ReviewResult.PENDING:
            raise ValidationError(_("法制审核尚未完成，不得作出决定。"), code="review_pending")
        proposed = (case.fine_amount, case.confiscation_amount)
        _set_amounts(case, fine_amount, confiscation_amount)
        # 拟作出较大数额罚款: an amount proposed at 告知 over the threshold needs the review even
        # when the decision lowers it or leaves it blank.
        triggers = rules.major_triggers(
            case,
            fine_amount=rules.larger_amount(proposed[0], case.fine_amount),
            confiscation_amount=rules.larger_amount(proposed[1], case.confiscation_amount),
        )
        if triggers and (latest is None or latest.result != ReviewResult.PASSED):
            raise ValidationError(
                _(
                    "本案属于应当进行法制审核的情形（%(reasons)s），未经法制审核或者审核未通过的，"
                    "不得作出决定（行政处罚法第五十八条）。"
                )
                % {"reasons": "；".join(str(t.label) for t in triggers)},
                code="review_required",
            )
        if triggers and latest is not None and _exceeds_review(case, latest):
            raise ValidationError(
                _("决定的罚没数额超过法制审核时的拟处罚数额，须重新提请法制审核。"),
                code="review_amount",
            )
        if case.status not in (CaseStatus.NOTIFIED, CaseStatus.HEARD, CaseStatus.REVIEWED):
            raise _refuse_in_status(case, StepKind.DECISION)
        if case.is_hearing_requested and not case.is_hearing_held:
            raise ValidationError(_("当事人要求听证：须先举行听证，再作出决定。"))
        if Case.objects.filter(body_id=case.body_id, decision_number=decision_number).exists():
            raise ValidationError(_("本执法主体已有相同决定书文号的案件。"))
        when = _step_time(case, occurred_at)
        case.decision_number, case.decision_summary = decision_number, decision_summary.strip()
        case.decided_on = timezone.localdate(when)
        case.publicity_deadline = rules.publicity_deadline(
            case.decided_on, case.power_item.category.code
        )
        case.status = CaseStatus.DECIDED
        case.save()
        _add_step(
            case,
            StepKind.DECISION,
            actor=actor,
            occurred_at=when,
            notes=notes or decision_summary,
            files=files,
            recordings=recordings,
        )
        workflow.record(CaseEvent, case, EventType.DECIDED, actor, note=decision_number)
        linked = link_penalty_records(case)
        if penalty is not None and not linked and penalty_records.is_penalty_case(case):
            record = penalty_records.draft_penalty_record(case, penalty, actor=actor)
            workflow.record(
                CaseEvent, case, EventType.PENALTY_DRAFTED, actor, note=record.decision_number
            )
    return case


def _exceeds_review(case: Case, review: LegalityReview) -> bool:
    """Whether the decided amounts are above those the passed review saw."""
    pairs = (
        (case.fine_amount, review.fine_amount),
        (case.confiscation_amount, review.confiscation_amount),
    )
    return any(decided is not None and decided > (reviewed or 0) for decided, reviewed in pairs)


def record_case_publication(case: Case, *, actor: User, published_on: datetime.date) -> Case:
    """事后公开 of a decision other than a penalty: made public on `published_on`. A penalty
    case's 事后公开 is the publication of its 双公示 record (penalty_records.note_publication),
    never a typed date."""
    require(actor, CHANGE, case)
    with transaction.atomic(), audit_context(actor=actor):
        case = locked(Case.objects.select_related("body", "power_item"), case.pk)
        if case.decided_on is None:
            raise ValidationError(_("案件尚未作出决定，无需事后公开。"))
        if penalty_records.is_penalty_case(case):
            raise ValidationError(
                _("行政处罚案件的事后公开以其双公示行政处罚信息的公示为准，无需另行登记。")
            )
        if case.published_on is not None:
            raise ValidationError(_("已记录公开日期。"))
        if not case.decided_on <= published_on <= timezone.localdate():
            raise ValidationError(_("公开日期应在决定日期与今天之间。"))
        case.published_on = published_on
        case.save()
        workflow.record(CaseEvent, case, EventType.PUBLISHED, actor, note=published_on.isoformat())
    return case


def link_penalty_records(case: Case) -> int:
    """Link the 双公示 penalty records of the case's body with its 决定书文号 to the case (and its
    power item); a published one counts as the decision's 事后公开. Returns how many."""
    from chengxin.publicity.models import PenaltyRecord

    if not case.decision_number:
        return 0
    records = PenaltyRecord.objects.filter(
        case__isnull=True,
        authority_credit_code=case.body.credit_code,
        decision_number=case.decision_number,
    )
    count = 0
    with change_reason(_("关联执法案件 %(number)s") % {"number": case.number}):
        for record in records:
            record.case = case
            record.power_item_id = record.power_item_id or case.power_item_id
            record.save()
            count += 1
            if record.published_at is not None and case.published_on is None:
                case.published_on = timezone.localdate(record.published_at)
                case.save()
            workflow.record(
                CaseEvent, case, EventType.PENALTY_LINKED, None, note=record.decision_number
            )
    return count


# --- the calendar changed ----------------------------------------------------------------------


def refresh_deadlines(day: datetime.date) -> int:
    """`day` became a rest day or a workday after deadlines were computed (next year's State
    Council notice is entered in November, when December's deadlines already reach into it):
    recompute the stored 事后公开 deadlines and pending review due dates whose period contains
    `day`. Returns how many changed. Connected to WorkdayOverride in CasesConfig.ready."""
    calendar.clear_cache()
    changed = 0
    extension = int(local_settings.get(rules.REVIEW_EXTENSION_WORKING_DAYS.key))
    with audit_context(reason=_("节假日安排调整，重算期限")):
        cases = Case.objects.filter(decided_on__lt=day, publicity_deadline__gte=day)
        for case in cases.select_related("power_item__category"):
            assert case.decided_on is not None
            deadline = rules.publicity_deadline(case.decided_on, case.power_item.category.code)
            if deadline != case.publicity_deadline:
                case.publicity_deadline = deadline
                case.save(update_fields=["publicity_deadline"])
                changed += 1
        reviews = LegalityReview.objects.pending().filter(due_on__gte=day)
        for review in reviews.filter(requested_at__lt=_start_of(day)):
            due = rules.review_due(timezone.localdate(review.requested_at))
            if review.is_extended:
                due = calendar.add_working_days(due, extension)
            if due != review.due_on:
                review.due_on = due
                review.save(update_fields=["due_on"])
                changed += 1
    return changed


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
