"""The handlers' own steps in order (调查取证, 告知, 听证, 送达, 执行, 结案), the party's hearing
request, and the flags that make a case major."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.accounts.permissions import CHANGE
from chengxin.audit.context import audit_context
from chengxin.cases.actions.common import (
    RecordingData,
    add_step,
    check_officers,
    latest_review,
    refuse_in_status,
    set_amounts,
    step_time,
)
from chengxin.cases.choices import (
    PLAIN_STEPS,
    STATUS_AFTER_STEP,
    CaseStatus,
    DiscussionResult,
    EventType,
    ReviewResult,
    StepKind,
)
from chengxin.cases.models import Case, CaseEvent, CaseStep
from chengxin.core import workflow
from chengxin.core.workflow import locked, require

ALLOWED_BEFORE: dict[str, tuple[str, ...]] = {
    StepKind.INVESTIGATION: (CaseStatus.REGISTERED, CaseStatus.INVESTIGATING),
    StepKind.NOTIFICATION: (CaseStatus.INVESTIGATING,),
    StepKind.HEARING: (CaseStatus.NOTIFIED,),
    StepKind.SERVICE: (CaseStatus.DECIDED,),
    StepKind.EXECUTION: (CaseStatus.SERVED, CaseStatus.EXECUTED),
    StepKind.CLOSING: (CaseStatus.SERVED, CaseStatus.EXECUTED),
}


def sent_back(case: Case) -> bool:
    """Whether the latest review or the heads' latest discussion sent the case back (不通过 /
    退回补充 / 不同意): the handlers then investigate again and 告知 again."""
    review = latest_review(case)
    if review is not None and review.result in (ReviewResult.FAILED, ReviewResult.RETURNED):
        return True
    if case.status != CaseStatus.DISCUSSED:
        return False
    discussion = case.discussions.order_by("-held_on", "-id").first()
    return discussion is not None and discussion.result == DiscussionResult.NOT_AGREED


def _check_order(case: Case, kind: str) -> None:
    latest = latest_review(case)
    if latest is not None and latest.result == ReviewResult.PENDING:
        raise ValidationError(_("法制审核正在进行，审核结束前不能记录其他环节。"))
    allowed = ALLOWED_BEFORE[kind]
    if kind == StepKind.INVESTIGATION and sent_back(case):
        allowed = (*allowed, CaseStatus.NOTIFIED, CaseStatus.HEARD, CaseStatus.DISCUSSED)
    if kind == StepKind.HEARING and not case.is_hearing_requested:
        raise ValidationError(_("当事人未要求听证，不能记录听证环节。"))
    if case.status not in allowed:
        raise refuse_in_status(case, kind)


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
    """Record 调查取证, 告知, 听证, 送达, 执行 or 结案, in order, by the officers acting in the case
    that day (each still may enforce; at least two: cases.rules.acting_officer_problems).

    告知 carries the proposed amounts and whether the party requested a hearing; 听证 only when
    requested; 结案 after 送达 (or 执行). 立案, 法制审核, 集体讨论 and 决定 have their own actions.
    """
    if kind not in PLAIN_STEPS:
        raise ValidationError(_("该环节须通过专门的办理功能记录。"))
    require(actor, CHANGE, case)
    with transaction.atomic(), audit_context(actor=actor):
        case = locked(Case.objects.select_related("body", "power_item"), case.pk)
        _check_order(case, kind)
        when = step_time(case, occurred_at)
        check_officers(case, when)
        case.status = STATUS_AFTER_STEP[kind]
        if kind == StepKind.NOTIFICATION:
            case.is_hearing_requested = hearing_requested
            set_amounts(case, fine_amount, confiscation_amount)
        elif kind == StepKind.HEARING:
            case.is_hearing_held = True
        elif kind == StepKind.CLOSING:
            case.closed_on = timezone.localdate(when)
        case.save()
        step = add_step(
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
        latest = latest_review(case)
        if latest is not None and latest.result in (ReviewResult.PENDING, ReviewResult.PASSED):
            raise ValidationError(_("已提请法制审核，不能再登记听证申请。"))
        if case.status != CaseStatus.NOTIFIED or case.is_hearing_requested:
            raise ValidationError(_("只有已告知、尚未登记听证申请的案件可以登记听证申请。"))
        case.is_hearing_requested = True
        case.save()
        workflow.record(CaseEvent, case, EventType.HEARING_REQUESTED, actor, note=note.strip())
    return case


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
    is_serious_violation: bool = False,
) -> Case:
    """Raise 行政处罚法 art. 58 flags — and art. 57 para. 2's 情节复杂或者重大违法行为, which needs
    the heads' collective discussion — before the decision. Flags are never lowered: a case once
    found major keeps needing a passed review (and the discussion)."""
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
        case.is_serious_violation |= is_serious_violation
        if is_other_by_law:
            case.is_other_by_law, case.other_by_law_basis = True, other_by_law_basis.strip()
        case.save()
        workflow.record(CaseEvent, case, EventType.MARKED_MAJOR, actor, note=reason.strip())
    return case
