"""The credit repair workflow. Each action checks its precondition and the actor's permission,
changes the status, writes a RepairEvent and the audit log in one transaction; effects on the
record, the list entry, the public pages and the outbox happen in the same transaction.

    submit → accept | not accept
    accept → request material → supply material → (clock resumes)
           → department opinion 同意 / 不同意 (any time while open)
           → approve | refuse

谁认定、谁修复 (rules.DECIDED_BY): a penalty's repair is approved by the credit office only with the
deciding department's 同意 (不同意 leaves only a refusal quoting its reason), or, where the district
chose so, approved or refused by the deciding department itself, the credit office accepting and
forwarding. A list removal is decided by the credit office as before.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.accounts.permissions import CHANGE, REVIEW, can
from chengxin.audit.context import audit_context
from chengxin.core import calendar, local_settings, upward
from chengxin.core.public_data import notify_public_data_changed
from chengxin.core.workflow import allowed, locked, record, require
from chengxin.outbox.actions import send
from chengxin.publicity.actions import end_publicity
from chengxin.publicity.models import PenaltyRecord
from chengxin.repair import evidence, rules
from chengxin.repair.choices import (
    ApplicationStatus,
    EventType,
    OpinionVerdict,
    RepairKind,
)
from chengxin.repair.commitment import commitment_text
from chengxin.repair.models import RepairApplication, RepairEvent, RepairEvidence, code_digest
from chengxin.repair.sync import result_payload
from chengxin.screening.actions import remove_entry
from chengxin.screening.models import ListEntry
from chengxin.subjects.models import Subject

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
RESULT_TOPIC = "credit_repair.result"


# Which actions each status allows (a closed application allows none). The actions' names are
# those `_lock_for` is given.
STATUS_ACTIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.SUBMITTED: frozenset({"accept", "decline", "give_opinion"}),
    ApplicationStatus.ACCEPTED: frozenset(
        {"request_material", "give_opinion", "approve", "refuse"}
    ),
    ApplicationStatus.MATERIAL_REQUESTED: frozenset({"supply_material", "give_opinion"}),
    ApplicationStatus.NOT_ACCEPTED: frozenset(),
    ApplicationStatus.APPROVED: frozenset(),
    ApplicationStatus.REFUSED: frozenset(),
}


def _lock_for(application: RepairApplication, action: str) -> RepairApplication:
    """The application locked in the caller's transaction, refused unless its status allows
    `action` (STATUS_ACTIONS)."""
    row = locked(RepairApplication, application.pk)
    if not allowed(STATUS_ACTIONS, row.status, action):
        raise ValidationError(
            _("申请当前状态为“%(status)s”，不能进行此操作。") % {"status": row.get_status_display()}
        )
    return row


def _require_reason(reason: str, message: str) -> str:
    if not reason.strip():
        raise ValidationError(message)
    return reason.strip()


# --- the public side -------------------------------------------------------------------------


def eligibility(target: PenaltyRecord | ListEntry, on: datetime.date) -> rules.Eligibility:
    if isinstance(target, PenaltyRecord):
        return rules.penalty_eligibility(target, on)
    return rules.entry_eligibility(target, on)


def submit_application(
    subject: Subject,
    target: PenaltyRecord | ListEntry,
    *,
    contact_person: str,
    contact_phone: str,
    statement: str,
    commitment_confirmed: bool,
    files: Sequence[UploadedFile],
) -> tuple[RepairApplication, str]:
    """A subject applies online; returns the application and its verification code (shown once).

    Refused (ValidationError) when the target is not the subject's, not eligible yet (the message
    gives the date it becomes eligible), unrepairable by law, already under an open application,
    when the commitment is not confirmed or a file is not an acceptable PDF/JPG/PNG.
    """
    if getattr(target, "subject_id", None) != subject.pk:
        raise ValidationError(_("所选信息不属于该信用主体。"))
    today = timezone.localdate()
    verdict = eligibility(target, today)
    if not verdict.eligible:
        raise ValidationError(verdict.reason, code="not_eligible")
    if not commitment_confirmed:
        raise ValidationError(_("请阅读并确认信用修复承诺书。"))
    checked = evidence.check_files(list(files))
    if not checked:
        raise ValidationError(_("请上传纠正失信行为的证明材料（PDF、JPG 或 PNG）。"))
    kind = (
        RepairKind.STOP_PUBLICITY
        if isinstance(target, PenaltyRecord)
        else RepairKind.REMOVE_FROM_LIST
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    with transaction.atomic():
        open_one = RepairApplication.objects.open().filter(
            **({"penalty": target} if kind == RepairKind.STOP_PUBLICITY else {"list_entry": target})
        )
        if open_one.exists():
            raise ValidationError(_("该信息已有正在办理的信用修复申请。"))
        application = RepairApplication(
            kind=kind,
            subject=subject,
            penalty=target if isinstance(target, PenaltyRecord) else None,
            list_entry=target if isinstance(target, ListEntry) else None,
            department_id=getattr(target, "department_id", None),
            contact_person=contact_person.strip(),
            contact_phone=contact_phone.strip(),
            statement=statement.strip(),
            commitment_text=commitment_text(subject, target, today),
            verification_digest=code_digest(code),
            acceptance_due=calendar.add_working_days(
                today, local_settings.get(rules.ACCEPTANCE_WORKING_DAYS.key)
            ),
        )
        application.full_clean(exclude=["receipt_number", "verification_digest"])
        _save_with_receipt(application, today)
        _attach(application, checked)
        record(RepairEvent, application, EventType.SUBMITTED, None)
    return application, code


def _save_with_receipt(application: RepairApplication, today: datetime.date) -> None:
    """Save with a fresh receipt number (a taken one is drawn again). The database refuses a
    second open application for the same item even when two arrive at once."""
    for _attempt in range(5):
        application.receipt_number = f"XF{today:%Y%m%d}{secrets.randbelow(10**6):06d}"
        try:
            with transaction.atomic():
                application.save()
            return
        except IntegrityError:
            taken = RepairApplication.objects.filter(receipt_number=application.receipt_number)
            if not taken.exists():
                raise ValidationError(_("该信息已有正在办理的信用修复申请。")) from None
    raise RuntimeError("no free receipt number")


def _attach(application: RepairApplication, checked: list[evidence.CheckedFile]) -> None:
    for item in checked:
        RepairEvidence.objects.create(
            application=application,
            original_name=item.original_name,
            stored_name=evidence.store(item),
            content_type=item.content_type,
            size=len(item.content),
            sha256=item.sha256,
        )


def find_application(receipt_number: str, code: str) -> RepairApplication | None:
    """The application for a receipt number and its verification code (both must match)."""
    found: RepairApplication | None = RepairApplication.objects.filter(
        receipt_number=receipt_number.strip().upper()
    ).first()
    if found is None or not found.code_matches(code):
        return None
    return found


def supply_material(
    application: RepairApplication, *, note: str, files: Sequence[UploadedFile]
) -> RepairApplication:
    """The applicant sends the requested material; the review clock resumes where it paused."""
    checked = evidence.check_files(list(files))
    if not checked:
        raise ValidationError(_("请上传补正材料。"))
    with transaction.atomic():
        application = _lock_for(application, "supply_material")
        assert application.paused_on is not None and application.decision_due is not None
        today = timezone.localdate()
        if application.paused_on < application.decision_due:
            # The working days that were left when the clock stopped run again from today.
            remaining = calendar.working_days_between(
                application.paused_on, application.decision_due
            )
            application.decision_due = calendar.add_working_days(today, remaining)
        # else: asked for material when already overdue — it stays overdue.
        application.status, application.paused_on = ApplicationStatus.ACCEPTED, None
        application.save()
        _attach(application, checked)
        record(RepairEvent, application, EventType.MATERIAL_SUPPLIED, None, note=note.strip())
    return application


# --- the credit office and the deciding department -------------------------------------------


def accept_application(application: RepairApplication, *, actor: User) -> RepairApplication:
    """受理: the review clock starts (repair.review_working_days)."""
    require(actor, REVIEW, application)
    with transaction.atomic(), audit_context(actor=actor):
        application = _lock_for(application, "accept")
        application.status, application.accepted_at = ApplicationStatus.ACCEPTED, timezone.now()
        application.decision_due = calendar.add_working_days(
            timezone.localdate(), local_settings.get(rules.REVIEW_WORKING_DAYS.key)
        )
        application.save()
        record(RepairEvent, application, EventType.ACCEPTED, actor)
    return application


def decline_application(
    application: RepairApplication, *, actor: User, reason: str
) -> RepairApplication:
    """不予受理, with the reason; the result goes to the outbox."""
    require(actor, REVIEW, application)
    reason = _require_reason(reason, _("不予受理必须说明理由。"))
    with transaction.atomic(), audit_context(actor=actor):
        application = _lock_for(application, "decline")
        _close(application, ApplicationStatus.NOT_ACCEPTED, reason)
        record(RepairEvent, application, EventType.NOT_ACCEPTED, actor, note=reason)
    return application


def request_material(
    application: RepairApplication, *, actor: User, reason: str
) -> RepairApplication:
    """Ask for more material: the review clock pauses until the applicant supplies it."""
    require(actor, REVIEW, application)
    reason = _require_reason(reason, _("请说明需要补正的材料。"))
    with transaction.atomic(), audit_context(actor=actor):
        application = _lock_for(application, "request_material")
        application.status, application.paused_on = (
            ApplicationStatus.MATERIAL_REQUESTED,
            timezone.localdate(),
        )
        application.save()
        record(RepairEvent, application, EventType.MATERIAL_REQUESTED, actor, note=reason)
    return application


def is_deciding_department(actor: User, application: RepairApplication) -> bool:
    """Whether `actor` works for the department that decided the record (a penalty's 数据来源单位,
    set on the application when it was submitted) and may act on its applications."""
    return (
        can(actor, CHANGE, application)
        and actor.department_id is not None
        and actor.department_id == application.department_id
    )


def may_give_opinion(actor: User, application: RepairApplication) -> bool:
    """The deciding department's staff give its opinion on the repair of its own penalty, unless
    the department decides itself; a list removal has no deciding department (needs_department)."""
    return (
        rules.needs_department(application)
        and is_deciding_department(actor, application)
        and not rules.department_decides(application)
    )


def may_decide(actor: User, application: RepairApplication) -> bool:
    """Who approves or refuses (谁认定、谁修复, repair.decided_by): for a penalty in
    deciding_department mode the deciding department's staff and nobody else; otherwise the
    credit office (REVIEW)."""
    if rules.department_decides(application):
        return is_deciding_department(actor, application)
    return can(actor, REVIEW, application)


def give_opinion(
    application: RepairApplication, *, actor: User, verdict: str, reason: str = ""
) -> RepairApplication:
    """The deciding department's opinion on an application about its own record: 同意 or 不同意.

    Preconditions: the application is open; `verdict` is an OpinionVerdict; 不同意 needs a reason
    (for 同意 it is optional and recorded when given). Not offered for a penalty when the
    department decides itself (repair.decided_by = deciding_department).
    Permission: only the deciding department's own staff (the credit office does not write the
    department's opinion).
    Side effects: the verdict, reason, author and time on the application (a later opinion
    replaces an earlier one), an OPINION_GIVEN event with the verdict and reason, the audit log.
    """
    if not (rules.needs_department(application) and is_deciding_department(actor, application)):
        raise PermissionDenied
    if verdict not in OpinionVerdict.values:
        raise ValidationError(_("请选择同意或不同意。"), code="verdict")
    reason = reason.strip()
    if verdict == OpinionVerdict.DISAGREE:
        reason = _require_reason(reason, _("不同意修复的，必须说明理由。"))
    with transaction.atomic(), audit_context(actor=actor):
        application = _lock_for(application, "give_opinion")
        if rules.department_decides(application):
            raise ValidationError(
                _("本区由决定部门直接同意或不予修复，无需出具意见。"), code="department_decides"
            )
        application.department_verdict, application.department_opinion = verdict, reason
        application.department_opinion_by, application.department_opinion_at = (
            actor,
            timezone.now(),
        )
        application.full_clean(exclude=["verification_digest"])
        application.save()
        label = str(OpinionVerdict(verdict).label)
        record(
            RepairEvent,
            application,
            EventType.OPINION_GIVEN,
            actor,
            note=f"{label}：{reason}" if reason else label,
        )
    return application


def _deny_unless_decider(actor: User, application: RepairApplication) -> None:
    if not may_decide(actor, application):
        raise PermissionDenied


def approve_application(
    application: RepairApplication, *, actor: User, reason: str = ""
) -> RepairApplication:
    """同意修复: the penalty's publicity ends or the entry leaves the list, today.

    Preconditions: the application is accepted. For a penalty (谁认定、谁修复, rules.DECIDED_BY):
    by default the deciding department's opinion must be 同意 — none yet, or 不同意, refuses
    with the reason (rules.approval_blocker); in deciding_department mode the department decides
    and needs no opinion.
    Permission: may_decide — the credit office (REVIEW), or in deciding_department mode the
    deciding department's own staff only.
    Side effects: from then on no public output shows the record and no check hits it; the
    public pages' cache is invalidated and the result goes to the outbox (due within
    repair.sync_working_days); an APPROVED event and the audit log.
    """
    _deny_unless_decider(actor, application)
    with transaction.atomic(), audit_context(actor=actor):
        application = _lock_for(application, "approve")
        blocker = rules.approval_blocker(application)
        if blocker:
            raise ValidationError(blocker, code="department_opinion")
        today = timezone.localdate()
        if application.kind == RepairKind.STOP_PUBLICITY:
            assert application.penalty is not None
            # end_publicity checks the credit office's REVIEW on records. The deciding
            # department's right to decide its own record was checked above (may_decide); the
            # change log still names it through the audit context around this block.
            by_department = rules.department_decides(application)
            end_publicity(
                application.penalty,
                actor=None if by_department else actor,
                receipt_number=application.receipt_number,
                ended_on=today,
            )
        else:
            assert application.list_entry is not None
            remove_entry(
                application.list_entry,
                actor=actor,
                reason=_("信用修复（受理编号 %s）") % application.receipt_number,
                removed_on=today,
            )
        _close(application, ApplicationStatus.APPROVED, reason.strip())
        record(RepairEvent, application, EventType.APPROVED, actor, note=reason.strip())
        notify_public_data_changed()
    return application


def refuse_application(
    application: RepairApplication, *, actor: User, reason: str
) -> RepairApplication:
    """不予修复, with the reason; the record stays public.

    Preconditions: the application is accepted; a reason is required — when the deciding
    department said 不同意, its reason is quoted first (rules.department_refusal_quote) and the
    credit office's own words are optional.
    Permission: may_decide (as approve_application).
    Side effects: the result goes to the outbox; a REFUSED event and the audit log.
    """
    _deny_unless_decider(actor, application)
    reason = reason.strip()
    with transaction.atomic(), audit_context(actor=actor):
        application = _lock_for(application, "refuse")
        quote = rules.department_refusal_quote(application)
        if quote and application.department_opinion.strip() not in reason:
            reason = f"{quote}\n{reason}" if reason else quote
        reason = _require_reason(reason, _("不予修复必须说明理由。"))
        _close(application, ApplicationStatus.REFUSED, reason)
        record(RepairEvent, application, EventType.REFUSED, actor, note=reason)
    return application


def _close(application: RepairApplication, status: str, reason: str) -> None:
    today = timezone.localdate()
    application.status, application.decided_at = status, timezone.now()
    application.decision_reason = reason
    application.sync_due = calendar.add_working_days(
        today, local_settings.get(rules.SYNC_WORKING_DAYS.key)
    )
    application.save()
    payload: dict[str, Any] = result_payload(application)
    send(RESULT_TOPIC, payload, about=application, due_on=application.sync_due)
    upward.report(upward.Change.REPAIR_DECIDED, application)
