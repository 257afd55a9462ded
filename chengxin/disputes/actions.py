"""Steps with consequences. Each checks the actor's permission on the row, locks it, applies the
model's rules (`full_clean`), saves it (the change log records before and after) and writes a
DisputeEvent, in one transaction under the actor's audit context. Views never set these fields.

    extend_reconsideration   复议法 art. 62: approved extension of at most 30 days
    decide_reconsideration   the decision and its result (纠错率 counts it from then on)
    record_hearing_appearance 诉讼法 art. 3: whether the responsible head appeared (出庭率)
    close_mediation_case     the result, and the agreement when it succeeded (调解法 arts. 28–29)
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.accounts.permissions import CHANGE
from chengxin.audit.context import audit_context
from chengxin.core.workflow import locked, record, require
from chengxin.disputes.choices import EventType, MediationResult, ReconsiderationResult
from chengxin.disputes.models import (
    MAX_EXTENSION_DAYS,
    DisputeEvent,
    Hearing,
    MediationCase,
    Reconsideration,
)


def extend_reconsideration(
    reconsideration: Reconsideration, *, actor: User, days: int, reason: str
) -> Reconsideration:
    """Extend the time limit of an undecided case by `days` (the total of all extensions at most
    30, art. 62) with the approval's reason; the due date moves accordingly."""
    require(actor, CHANGE, reconsideration)
    if not reason.strip():
        raise ValidationError(_("延长审理期限须写明理由（经行政复议机构负责人批准）。"))
    with transaction.atomic(), audit_context(actor=actor):
        case = locked(Reconsideration, reconsideration.pk)
        if case.is_decided:
            raise ValidationError(_("已作出决定的案件不能延长期限。"))
        if days < 1 or case.extension_days + days > MAX_EXTENSION_DAYS:
            raise ValidationError(
                _("延长期限合计不得超过 %(max)s 日（已延长 %(done)s 日）。")
                % {"max": MAX_EXTENSION_DAYS, "done": case.extension_days}
            )
        old_due = case.due_on
        case.extension_days += days
        case.extension_reason = reason.strip()
        case.full_clean()
        case.save()
        record(
            DisputeEvent,
            case,
            EventType.RECONSIDERATION_EXTENDED,
            actor,
            payload={"days": days, "reason": case.extension_reason, "due_before": str(old_due)},
        )
    return case


def decide_reconsideration(
    reconsideration: Reconsideration,
    *,
    actor: User,
    decided_on: datetime.date,
    result: str,
    note: str = "",
) -> Reconsideration:
    """Record the decision (date, result, gist). Only once: a decided case is not decided again
    (a court judgment on the decision is a litigation of its own)."""
    require(actor, CHANGE, reconsideration)
    if result not in ReconsiderationResult.values:
        raise ValidationError({"result": _("请选择复议结果。")})
    with transaction.atomic(), audit_context(actor=actor):
        case = locked(Reconsideration, reconsideration.pk)
        if case.is_decided:
            raise ValidationError(_("该案件已于 %(day)s 作出决定。") % {"day": case.decided_on})
        if case.accepted_on is None:
            case.accepted_on = case.effective_accepted_on  # deemed accepted (复议法 art. 30)
        case.decided_on, case.result, case.decision_note = decided_on, result, note.strip()
        case.full_clean()
        case.save()
        record(
            DisputeEvent,
            case,
            EventType.RECONSIDERATION_DECIDED,
            actor,
            payload={
                "decided_on": str(decided_on),
                "result": result,
                "corrected": case.is_corrected,
                "late": case.is_overdue(),
            },
        )
    return case


def record_hearing_appearance(
    hearing: Hearing,
    *,
    actor: User,
    appeared: bool,
    attendees: str,
    head_name: str = "",
    head_position: str = "",
    absence_reason: str = "",
) -> Hearing:
    """Record after the hearing who appeared for the defendant and whether the responsible head
    did; an absent head needs one of the reasons of 出庭规定 art. 8 (or 无正当理由)."""
    require(actor, CHANGE, hearing.litigation)
    with transaction.atomic(), audit_context(actor=actor):
        row: Hearing = locked(Hearing.objects.select_related("litigation"), hearing.pk)
        row.head_appeared = appeared
        row.attendees = attendees.strip()
        row.head_name = head_name.strip() if appeared else ""
        row.head_position = head_position.strip() if appeared else ""
        row.absence_reason = "" if appeared else absence_reason
        row.full_clean()
        row.save()
        record(
            DisputeEvent,
            row,
            EventType.HEARING_APPEARANCE_RECORDED,
            actor,
            payload={
                "held_on": str(row.held_on),
                "appeared": appeared,
                "head_name": row.head_name,
                "absence_reason": row.absence_reason,
            },
        )
    return row


def close_mediation_case(
    case: MediationCase,
    *,
    actor: User,
    result: str,
    closed_on: datetime.date,
    agreement: str = "",
    agreement_amount: Decimal | None = None,
) -> MediationCase:
    """Close an open mediation with its result; a successful one needs the agreement."""
    require(actor, CHANGE, case)
    if result not in MediationResult.values:
        raise ValidationError({"result": _("请选择调解结果。")})
    with transaction.atomic(), audit_context(actor=actor):
        row = locked(MediationCase, case.pk)
        if row.closed_on is not None:
            raise ValidationError(_("该调解案件已于 %(day)s 结案。") % {"day": row.closed_on})
        row.result, row.closed_on = result, closed_on
        row.agreement, row.agreement_amount = agreement.strip(), agreement_amount
        row.full_clean()
        row.save()
        record(
            DisputeEvent,
            row,
            EventType.MEDIATION_CLOSED,
            actor,
            payload={
                "result": result,
                "closed_on": str(closed_on),
                "amount": str(agreement_amount) if agreement_amount is not None else None,
            },
        )
    return row
