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
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.accounts.permissions import CHANGE, can
from chengxin.audit.context import audit_context
from chengxin.disputes.choices import EventType, MediationResult, ReconsiderationResult
from chengxin.disputes.models import (
    MAX_EXTENSION_DAYS,
    DisputeEvent,
    Hearing,
    MediationCase,
    Reconsideration,
)


def _allowed(actor: User, obj: Any) -> None:
    if not can(actor, CHANGE, obj):
        raise PermissionDenied


def _event(actor: User, type_: str, payload: dict[str, Any], **subject: Any) -> DisputeEvent:
    return DisputeEvent.objects.create(type=type_, actor=actor, payload=payload, **subject)


def extend_reconsideration(
    reconsideration: Reconsideration, *, actor: User, days: int, reason: str
) -> Reconsideration:
    """Extend the time limit of an undecided case by `days` (the total of all extensions at most
    30, art. 62) with the approval's reason; the due date moves accordingly."""
    _allowed(actor, reconsideration)
    if not reason.strip():
        raise ValidationError(_("延长审理期限须写明理由（经行政复议机构负责人批准）。"))
    with transaction.atomic(), audit_context(actor=actor):
        case: Reconsideration = Reconsideration.objects.select_for_update().get(
            pk=reconsideration.pk
        )
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
        _event(
            actor,
            EventType.RECONSIDERATION_EXTENDED,
            {"days": days, "reason": case.extension_reason, "due_before": str(old_due)},
            reconsideration=case,
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
    _allowed(actor, reconsideration)
    if result not in ReconsiderationResult.values:
        raise ValidationError({"result": _("请选择复议结果。")})
    with transaction.atomic(), audit_context(actor=actor):
        case: Reconsideration = Reconsideration.objects.select_for_update().get(
            pk=reconsideration.pk
        )
        if case.is_decided:
            raise ValidationError(_("该案件已于 %(day)s 作出决定。") % {"day": case.decided_on})
        if case.accepted_on is None:
            case.accepted_on = case.effective_accepted_on  # deemed accepted (复议法 art. 30)
        case.decided_on, case.result, case.decision_note = decided_on, result, note.strip()
        case.full_clean()
        case.save()
        _event(
            actor,
            EventType.RECONSIDERATION_DECIDED,
            {
                "decided_on": str(decided_on),
                "result": result,
                "corrected": case.is_corrected,
                "late": case.is_overdue(),
            },
            reconsideration=case,
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
    _allowed(actor, hearing.litigation)
    with transaction.atomic(), audit_context(actor=actor):
        locked: Hearing = (
            Hearing.objects.select_for_update().select_related("litigation").get(pk=hearing.pk)
        )
        locked.head_appeared = appeared
        locked.attendees = attendees.strip()
        locked.head_name = head_name.strip() if appeared else ""
        locked.head_position = head_position.strip() if appeared else ""
        locked.absence_reason = "" if appeared else absence_reason
        locked.full_clean()
        locked.save()
        _event(
            actor,
            EventType.HEARING_APPEARANCE_RECORDED,
            {
                "held_on": str(locked.held_on),
                "appeared": appeared,
                "head_name": locked.head_name,
                "absence_reason": locked.absence_reason,
            },
            hearing=locked,
        )
    return locked


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
    _allowed(actor, case)
    if result not in MediationResult.values:
        raise ValidationError({"result": _("请选择调解结果。")})
    with transaction.atomic(), audit_context(actor=actor):
        locked: MediationCase = MediationCase.objects.select_for_update().get(pk=case.pk)
        if locked.closed_on is not None:
            raise ValidationError(_("该调解案件已于 %(day)s 结案。") % {"day": locked.closed_on})
        locked.result, locked.closed_on = result, closed_on
        locked.agreement, locked.agreement_amount = agreement.strip(), agreement_amount
        locked.full_clean()
        locked.save()
        _event(
            actor,
            EventType.MEDIATION_CLOSED,
            {
                "result": result,
                "closed_on": str(closed_on),
                "amount": str(agreement_amount) if agreement_amount is not None else None,
            },
            mediation_case=locked,
        )
    return locked
