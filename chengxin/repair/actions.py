"""The credit repair workflow. Each action checks its precondition and the actor's permission,
changes the status, writes a RepairEvent and the audit log in one transaction; effects on the
record, the list entry, the public pages and the outbox happen in the same transaction.

    submit → accept | not accept
    accept → request material → supply material → (clock resumes)
           → department opinion (any time while open)
           → approve | refuse
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
from chengxin.core import calendar, local_settings
from chengxin.outbox.actions import send
from chengxin.portal.cache import bump_public_version
from chengxin.publicity.actions import end_publicity
from chengxin.publicity.models import PenaltyRecord
from chengxin.repair import evidence, rules
from chengxin.repair.choices import OPEN_STATUSES, ApplicationStatus, EventType, RepairKind
from chengxin.repair.commitment import commitment_text
from chengxin.repair.models import RepairApplication, RepairEvent, RepairEvidence, code_digest
from chengxin.repair.sync import result_payload
from chengxin.screening.actions import remove_entry
from chengxin.screening.models import ListEntry
from chengxin.subjects.models import Subject

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
RESULT_TOPIC = "credit_repair.result"


def _today() -> datetime.date:
    return timezone.localdate()


def _event(application: RepairApplication, type_: str, actor: User | None, note: str = "") -> None:
    RepairEvent.objects.create(application=application, type=type_, actor=actor, note=note)


def _locked(application: RepairApplication, *expected: str) -> RepairApplication:
    locked: RepairApplication = RepairApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status not in expected:
        raise ValidationError(
            _("申请当前状态为“%(status)s”，不能进行此操作。")
            % {"status": locked.get_status_display()}
        )
    return locked


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
    today = _today()
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
        _event(application, EventType.SUBMITTED, None)
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
        application = _locked(application, ApplicationStatus.MATERIAL_REQUESTED)
        assert application.paused_on is not None and application.decision_due is not None
        today = _today()
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
        _event(application, EventType.MATERIAL_SUPPLIED, None, note.strip())
    return application


# --- the credit office and the deciding department -------------------------------------------


def _allowed(actor: User, action: str, application: RepairApplication) -> None:
    if not can(actor, action, application):
        raise PermissionDenied


def accept_application(application: RepairApplication, *, actor: User) -> RepairApplication:
    """受理: the review clock starts (repair.review_working_days)."""
    _allowed(actor, REVIEW, application)
    with transaction.atomic(), audit_context(actor=actor):
        application = _locked(application, ApplicationStatus.SUBMITTED)
        application.status, application.accepted_at = ApplicationStatus.ACCEPTED, timezone.now()
        application.decision_due = calendar.add_working_days(
            _today(), local_settings.get(rules.REVIEW_WORKING_DAYS.key)
        )
        application.save()
        _event(application, EventType.ACCEPTED, actor)
    return application


def decline_application(
    application: RepairApplication, *, actor: User, reason: str
) -> RepairApplication:
    """不予受理, with the reason; the result goes to the outbox."""
    _allowed(actor, REVIEW, application)
    reason = _require_reason(reason, _("不予受理必须说明理由。"))
    with transaction.atomic(), audit_context(actor=actor):
        application = _locked(application, ApplicationStatus.SUBMITTED)
        _close(application, ApplicationStatus.NOT_ACCEPTED, reason)
        _event(application, EventType.NOT_ACCEPTED, actor, reason)
    return application


def request_material(
    application: RepairApplication, *, actor: User, reason: str
) -> RepairApplication:
    """Ask for more material: the review clock pauses until the applicant supplies it."""
    _allowed(actor, REVIEW, application)
    reason = _require_reason(reason, _("请说明需要补正的材料。"))
    with transaction.atomic(), audit_context(actor=actor):
        application = _locked(application, ApplicationStatus.ACCEPTED)
        application.status, application.paused_on = ApplicationStatus.MATERIAL_REQUESTED, _today()
        application.save()
        _event(application, EventType.MATERIAL_REQUESTED, actor, reason)
    return application


def give_opinion(application: RepairApplication, *, actor: User, opinion: str) -> RepairApplication:
    """The deciding department's opinion on an application about its own record: only its own
    staff give it (the credit office decides, it does not write the department's opinion)."""
    _allowed(actor, CHANGE, application)
    if actor.department_id is None or actor.department_id != application.department_id:
        raise PermissionDenied
    opinion = _require_reason(opinion, _("请填写意见。"))
    with transaction.atomic(), audit_context(actor=actor):
        application = _locked(application, *OPEN_STATUSES)
        application.department_opinion = opinion
        application.save()
        _event(application, EventType.OPINION_GIVEN, actor, opinion)
    return application


def approve_application(
    application: RepairApplication, *, actor: User, reason: str = ""
) -> RepairApplication:
    """同意修复: the penalty's publicity ends or the entry leaves the list, today.

    From then on no public output shows it and no check hits it; the public pages' cache is
    invalidated and the result goes to the outbox (due within repair.sync_working_days).
    """
    _allowed(actor, REVIEW, application)
    with transaction.atomic(), audit_context(actor=actor):
        application = _locked(application, ApplicationStatus.ACCEPTED)
        today = _today()
        if application.kind == RepairKind.STOP_PUBLICITY:
            assert application.penalty is not None
            end_publicity(
                application.penalty,
                actor=actor,
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
        _event(application, EventType.APPROVED, actor, reason.strip())
        bump_public_version()
    return application


def refuse_application(
    application: RepairApplication, *, actor: User, reason: str
) -> RepairApplication:
    """不予修复, with the reason; the result goes to the outbox."""
    _allowed(actor, REVIEW, application)
    reason = _require_reason(reason, _("不予修复必须说明理由。"))
    with transaction.atomic(), audit_context(actor=actor):
        application = _locked(application, ApplicationStatus.ACCEPTED)
        _close(application, ApplicationStatus.REFUSED, reason)
        _event(application, EventType.REFUSED, actor, reason)
    return application


def _close(application: RepairApplication, status: str, reason: str) -> None:
    today = _today()
    application.status, application.decided_at = status, timezone.now()
    application.decision_reason = reason
    application.sync_due = calendar.add_working_days(
        today, local_settings.get(rules.SYNC_WORKING_DAYS.key)
    )
    application.save()
    payload: dict[str, Any] = result_payload(application)
    send(RESULT_TOPIC, payload, about=application, due_on=application.sync_due)
