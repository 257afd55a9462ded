"""What happens to a 双公示 record: submission, publication, correction and withdrawal.

Each action checks its precondition and the actor's permission, changes the record, and leaves
the audit trail (the change log, with the reason) in one transaction. Views never set `status`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.accounts.permissions import CHANGE, REVIEW, can
from chengxin.audit.context import audit_context, change_reason
from chengxin.core import calendar, local_settings, upward
from chengxin.core.public_data import notify_public_data_changed
from chengxin.publicity.choices import RecordStatus, Severity
from chengxin.publicity.importing import REVIEW_BEFORE_PUBLICATION, timeliness
from chengxin.publicity.models import DecisionRecord, PenaltyRecord, RecordVersion
from chengxin.publicity.release import snapshot
from chengxin.publicity.rules import PUBLICATION_WORKING_DAYS, WITHDRAWAL_WORKING_DAYS

RecordT = TypeVar("RecordT", bound=DecisionRecord)

PUBLICATION_HOOKS: list[Callable[[DecisionRecord], None]] = []
"""Called with each record as it is published, inside the publishing transaction. Apps built on
this one register here (in AppConfig.ready) instead of this app reaching up to them: the cases
app records a penalty record's publication as its case's 事后公开."""


def _published(record: DecisionRecord) -> None:
    notify_public_data_changed()
    upward.report(upward.Change.RECORD_PUBLISHED, record)
    for hook in PUBLICATION_HOOKS:
        hook(record)


def _locked(record: RecordT) -> RecordT:
    locked: RecordT = type(record).objects.select_for_update().get(pk=record.pk)
    return locked


def save_draft(record: DecisionRecord, *, actor: User) -> DecisionRecord:
    """Validate and save a record as a draft (new, or a draft being edited)."""
    if not can(actor, CHANGE, record):
        raise PermissionDenied
    if record.pk and record.status != RecordStatus.DRAFT:
        raise ValidationError(_("只有草稿可以直接修改；已公示的记录请使用“更正”。"))
    return draft_record_for(record, actor=actor)


def draft_record_for(record: DecisionRecord, *, actor: User) -> DecisionRecord:
    """Save a record as a draft, validated; without the records permission check, for a record
    another action drafted on the actor's own authority (a case's decision drafts its penalty
    record in the department's queue; save_draft checks the permission first)."""
    record.status = RecordStatus.DRAFT
    record.deadline = calendar.add_working_days(record.decision_date, PUBLICATION_WORKING_DAYS)
    record.full_clean()
    with transaction.atomic(), audit_context(actor=actor):
        record.save()
    return record


def submit_record(
    record: DecisionRecord, *, actor: User, drafted_by_actor: bool = False
) -> DecisionRecord:
    """Submit a draft: it is published at once unless the district reviews first (a setting).

    The timeliness verdict is fixed now: on time when submitted within 7 working days.
    `drafted_by_actor`: the draft is one `draft_record_for` made on the actor's authority (a
    case's decision submitted at once, by local setting), so the records permission is not asked.
    """
    if not drafted_by_actor and not can(actor, CHANGE, record):
        raise PermissionDenied
    with transaction.atomic(), audit_context(actor=actor):
        record = _locked(record)
        if record.status != RecordStatus.DRAFT:
            raise ValidationError(_("只有草稿可以提交。"))
        record.full_clean()
        now = timezone.now()
        record.submitted_at = now
        record.timeliness = timeliness(record.decision_date, record.deadline, timezone.localdate())
        if local_settings.get(REVIEW_BEFORE_PUBLICATION.key):
            record.status = RecordStatus.SUBMITTED
            record.save()
        else:
            record.status, record.published_at = RecordStatus.PUBLISHED, now
            record.save()
            _published(record)
    return record


def publish_record(record: DecisionRecord, *, actor: User) -> DecisionRecord:
    """The credit office publishes a submitted record (when the district reviews first)."""
    if not can(actor, REVIEW, record):
        raise PermissionDenied
    with transaction.atomic(), audit_context(actor=actor):
        record = _locked(record)
        if record.status != RecordStatus.SUBMITTED:
            raise ValidationError(_("只有已提交的记录可以公示。"))
        record.status, record.published_at = RecordStatus.PUBLISHED, timezone.now()
        record.save()
        _published(record)
    return record


def correct_record(record: DecisionRecord, *, actor: User, reason: str) -> DecisionRecord:
    """Replace a submitted or published record's content (更正), keeping the previous version.

    `record` carries the new values (validated here); the stored version is kept as a
    RecordVersion, and the change log records the reason.
    """
    if not can(actor, CHANGE, record):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("更正必须填写原因。"))
    record.full_clean()
    with transaction.atomic(), audit_context(actor=actor), change_reason(reason):
        previous = _locked(record)
        if previous.status not in (RecordStatus.SUBMITTED, RecordStatus.PUBLISHED):
            raise ValidationError(_("只有已提交或已公示的记录可以更正。"))
        RecordVersion.objects.create(
            kind=record.kind,
            record_id=record.pk,
            version=previous.version,
            data=snapshot(previous),
            reason=reason,
            replaced_by=actor,
        )
        record.version = previous.version + 1
        record._loaded_values = previous._loaded_values
        record.save()
        notify_public_data_changed()
        if previous.status == RecordStatus.PUBLISHED:  # a submitted record was never reported
            upward.report(upward.Change.RECORD_CORRECTED, record)
    return record


def withdraw_record(
    record: DecisionRecord, *, actor: User, reason: str, revoked_on: datetime.date
) -> DecisionRecord:
    """Take a record out of publication and keep it (撤回).

    行政处罚法 art. 48: when a published decision is changed, revoked, confirmed unlawful or void,
    it is withdrawn within 3 working days and the reason given. `revoked_on` is that event's date;
    a withdrawal after the 3rd working day is marked late.
    """
    if not can(actor, CHANGE, record):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("撤回必须说明原因。"))
    if revoked_on > timezone.localdate():
        raise ValidationError(_("撤销等事由发生日期不能晚于今天。"))
    with transaction.atomic(), audit_context(actor=actor), change_reason(reason):
        record = _locked(record)
        if record.status == RecordStatus.WITHDRAWN:
            raise ValidationError(_("该记录已撤回。"))
        was_published = record.status == RecordStatus.PUBLISHED
        record.status = RecordStatus.WITHDRAWN
        record.withdrawn_at = timezone.now()
        record.withdrawal_reason = reason
        record.revoked_on = revoked_on
        deadline = calendar.add_working_days(revoked_on, WITHDRAWAL_WORKING_DAYS)
        record.is_withdrawal_late = timezone.localdate() > deadline
        record.save()
        notify_public_data_changed()
        if was_published:
            upward.report(upward.Change.RECORD_WITHDRAWN, record)
    return record


def classify_severity(record: PenaltyRecord, severity: str, *, actor: User) -> PenaltyRecord:
    """The credit office sets a penalty's severity class (《信用修复管理办法》（国家发展改革委令
    第36号）, from 2026-04-01).

    The class decides the publicity period, so `public_until` is recomputed (Model.save); a
    record classified 轻微 leaves the public outputs at once unless the district publishes them.
    """
    reason = _("认定失信行为严重程度：%s") % Severity(severity).label
    return _set_severity(record, "severity", severity, actor=actor, action=REVIEW, reason=reason)


def propose_severity(record: PenaltyRecord, severity: str, *, actor: User) -> PenaltyRecord:
    """The deciding department proposes a class; the credit office decides (classify_severity)."""
    reason = _("建议失信行为严重程度：%s") % Severity(severity).label
    return _set_severity(
        record, "proposed_severity", severity, actor=actor, action=CHANGE, reason=reason
    )


def _set_severity(
    record: PenaltyRecord, field: str, severity: str, *, actor: User, action: str, reason: str
) -> PenaltyRecord:
    if not can(actor, action, record):
        raise PermissionDenied
    with transaction.atomic(), audit_context(actor=actor), change_reason(reason):
        record = _locked(record)
        setattr(record, field, severity)
        record.save()
        notify_public_data_changed()
    return record


def end_publicity(
    record: PenaltyRecord, *, actor: User | None, receipt_number: str, ended_on: datetime.date
) -> PenaltyRecord:
    """Stop publishing a penalty after approved credit repair (终止公示).

    From `ended_on` the record is in no public output (its `public_until` becomes the day
    before); the staff area keeps it with the repair's receipt number. Called by
    repair.actions.approve_application inside its transaction.
    """
    if actor is not None and not can(actor, REVIEW, record):
        raise PermissionDenied
    reason = _("信用修复，终止公示（受理编号 %s）") % receipt_number
    with transaction.atomic(), audit_context(actor=actor), change_reason(reason):
        record = _locked(record)
        if record.publicity_ended_on is not None:
            raise ValidationError(_("该行政处罚信息已终止公示。"))
        record.publicity_ended_on, record.repair_receipt_number = ended_on, receipt_number
        record.save()
        upward.report(upward.Change.PUBLICITY_ENDED, record)
    return record
