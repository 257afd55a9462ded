"""Dynamic management of the power list (动态调整). Each action checks the actor's permission and
the rule, changes the rows, and writes what happened (the adjustment with the snapshot of the new
version, the proposal's event, the change log) in one transaction. Views never set a status.

How an adjustment comes about (powers.rules cites the texts):

    a department's liaison proposes a 新增 / 变更 / 取消 (调整申请, with 责任事项 and 追责情形)
      → the rule-of-law office reviews it: passed, or returned with the reason
          (returned → revised and submitted again, or withdrawn)
      → the government's approval is recorded (批准文号, 批准日期) by a third person
      → the adjustment is written, effective on its date: only then is it on the public list.

The rule-of-law office no longer edits items directly. `add_power_item`, `change_power_item`
and `cancel_power_item` write an adjustment at once; they serve the approval above, the file of
the list as the government published it (powers.registers: IMPORT, the set-up and the staff
upload, each adjustment marked as imported) and the system (`actor=None`: demo data, fixtures).

    add (新增) → change (变更)* → cancel (取消) → add again (重新列入, same 权力编码)

Adjustments of one item are dated in order: a new one may not take effect before the item's
latest one (history is not rewritten; a mistake is corrected by a new adjustment).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.choices import Scope
from chengxin.accounts.models import User
from chengxin.accounts.permissions import ADD, CHANGE, IMPORT, REVIEW, can, scope_for
from chengxin.audit.context import audit_context
from chengxin.core.workflow import allowed, locked, record, require
from chengxin.powers import rules
from chengxin.powers.choices import (
    OPEN_STATUSES,
    AdjustmentKind,
    ProposalEventType,
    ProposalStatus,
)
from chengxin.powers.models import (
    PowerAdjustment,
    PowerCategory,
    PowerItem,
    PowerProposal,
    PowerProposalEvent,
)

#: The fields an adjustment may set (the versioned fields), in the order of VERSIONED_FIELDS.
ITEM_FIELDS = tuple(field for field in PowerItem.VERSIONED_FIELDS if field != "code")
EDITABLE_FIELDS = frozenset(ITEM_FIELDS)
FOREIGN_KEYS = frozenset({"category", "implementing_department"})

# Which actions each status of a proposal allows (a status not listed allows none).
PROPOSAL_ACTIONS: dict[str, frozenset[str]] = {
    ProposalStatus.SUBMITTED: frozenset({"review", "withdraw"}),
    ProposalStatus.RETURNED: frozenset({"revise", "withdraw"}),
    ProposalStatus.PASSED: frozenset({"approve", "withdraw"}),
}


def _allowed(actor: User | None, action: str, obj: Any) -> None:
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied


def _basis(reason: str, document: str, effective_on: datetime.date | None) -> tuple[str, str]:
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("请填写调整原因。")
    if not document.strip():
        errors["document"] = _("请填写调整的文件依据。")
    if effective_on is None:
        errors["effective_on"] = _("请填写生效日期。")
    if errors:
        raise ValidationError(errors)
    return reason.strip(), document.strip()


def _check_order(item: PowerItem, effective_on: datetime.date) -> None:
    latest = item.adjustments.order_by("-effective_on", "-id").first() if item.pk else None
    if latest is not None and effective_on < latest.effective_on:
        raise ValidationError(
            {
                "effective_on": _(
                    "生效日期不能早于该事项最近一次调整的生效日期（%(date)s）；"
                    "更正历史请登记一次新的调整。"
                )
                % {"date": f"{latest.effective_on:%Y-%m-%d}"}
            }
        )


def _record(
    item: PowerItem,
    kind: str,
    *,
    actor: User | None,
    reason: str,
    document: str,
    effective_on: datetime.date,
    changed: list[str],
) -> PowerAdjustment:
    item.version += 1
    item.is_cancelled = kind == AdjustmentKind.CANCEL
    item.save()
    return PowerAdjustment.objects.create(
        item=item,
        kind=kind,
        version=item.version,
        reason=reason,
        document=document,
        effective_on=effective_on,
        snapshot=item.snapshot(),
        changed_fields=changed,
        actor=actor,
    )


def _apply(item: PowerItem, values: Mapping[str, Any]) -> list[str]:
    """Set `values` on `item` (not saved) and check it; the fields whose value changed."""
    unknown = set(values) - EDITABLE_FIELDS - {"code"}
    if unknown:
        raise ValidationError(_("不能调整的字段：%s") % "、".join(sorted(unknown)))
    changed = []
    for field, value in values.items():
        if field in FOREIGN_KEYS:
            current = getattr(item, f"{field}_id")
            new = value.pk if hasattr(value, "pk") else value
            if current != new:
                setattr(item, f"{field}_id", new)
                changed.append(field)
        else:
            value = value.strip() if isinstance(value, str) else value
            if getattr(item, field) != value:
                setattr(item, field, value)
                changed.append(field)
    item.full_clean()
    return changed


# --- writing an adjustment (an approved proposal, the published list, the system) -------------


def _add(
    values: Mapping[str, Any],
    *,
    actor: User | None,
    reason: str,
    document: str,
    effective_on: datetime.date,
) -> PowerAdjustment:
    code = str(values.get("code", "")).strip()
    item = PowerItem.objects.select_for_update().filter(code=code).first() if code else None
    if item is not None and not item.is_cancelled:
        raise ValidationError({"code": _("权力编码 %s 已在清单中，请登记变更。") % code})
    if item is None:
        item = PowerItem(code=code)
    else:
        _check_order(item, effective_on)
    changed = _apply(item, {k: v for k, v in values.items() if k != "code"})
    return _record(
        item,
        AdjustmentKind.ADD,
        actor=actor,
        reason=reason,
        document=document,
        effective_on=effective_on,
        changed=changed,
    )


def _change(
    item: PowerItem,
    changes: Mapping[str, Any],
    *,
    actor: User | None,
    reason: str,
    document: str,
    effective_on: datetime.date,
) -> PowerAdjustment:
    if "code" in changes and str(changes["code"]).strip() != item.code:
        raise ValidationError({"code": _("权力编码不能变更；请取消原事项并新增。")})
    item = PowerItem.objects.select_for_update().get(pk=item.pk)
    if item.is_cancelled:
        raise ValidationError(_("该事项已取消，不能变更。"))
    _check_order(item, effective_on)
    changed = _apply(item, {k: v for k, v in changes.items() if k != "code"})
    if not changed:
        raise ValidationError(_("没有需要变更的内容。"))
    return _record(
        item,
        AdjustmentKind.CHANGE,
        actor=actor,
        reason=reason,
        document=document,
        effective_on=effective_on,
        changed=changed,
    )


def _cancel(
    item: PowerItem,
    *,
    actor: User | None,
    reason: str,
    document: str,
    effective_on: datetime.date,
) -> PowerAdjustment:
    item = PowerItem.objects.select_for_update().get(pk=item.pk)
    if item.is_cancelled:
        raise ValidationError(_("该事项已取消。"))
    _check_order(item, effective_on)
    return _record(
        item,
        AdjustmentKind.CANCEL,
        actor=actor,
        reason=reason,
        document=document,
        effective_on=effective_on,
        changed=[],
    )


def add_power_item(
    values: Mapping[str, Any],
    *,
    actor: User | None,
    reason: str,
    document: str,
    effective_on: datetime.date,
) -> PowerAdjustment:
    """新增 as published (IMPORT): put a power in the list; a cancelled 权力编码 may be listed
    again (重新列入)."""
    _allowed(actor, IMPORT, PowerItem)
    reason, document = _basis(reason, document, effective_on)
    with transaction.atomic(), audit_context(actor=actor, reason=reason):
        return _add(
            values, actor=actor, reason=reason, document=document, effective_on=effective_on
        )


def change_power_item(
    item: PowerItem,
    changes: Mapping[str, Any],
    *,
    actor: User | None,
    reason: str,
    document: str,
    effective_on: datetime.date,
) -> PowerAdjustment:
    """变更 as published (IMPORT): a new version of a listed item from `effective_on`; the
    权力编码 stays."""
    _allowed(actor, IMPORT, item)
    reason, document = _basis(reason, document, effective_on)
    with transaction.atomic(), audit_context(actor=actor, reason=reason):
        return _change(
            item, changes, actor=actor, reason=reason, document=document, effective_on=effective_on
        )


def cancel_power_item(
    item: PowerItem,
    *,
    actor: User | None,
    reason: str,
    document: str,
    effective_on: datetime.date,
) -> PowerAdjustment:
    """取消 as published (IMPORT): the item leaves the list from `effective_on`; its history
    stays."""
    _allowed(actor, IMPORT, item)
    reason, document = _basis(reason, document, effective_on)
    with transaction.atomic(), audit_context(actor=actor, reason=reason):
        return _cancel(
            item, actor=actor, reason=reason, document=document, effective_on=effective_on
        )


# --- proposals (调整申请) -----------------------------------------------------------------------


def _lock_proposal(proposal: PowerProposal, action: str) -> PowerProposal:
    """The proposal locked in the caller's transaction, refused unless its status allows
    `action` (PROPOSAL_ACTIONS)."""
    row = locked(PowerProposal, proposal.pk)
    if not allowed(PROPOSAL_ACTIONS, row.status, action):
        raise ValidationError(
            _("调整申请当前状态为“%(status)s”，不能进行此操作。")
            % {"status": row.get_status_display()},
            code="wrong_status",
        )
    return row


def _stored(item: PowerItem) -> dict[str, Any]:
    """An item's versioned fields as a proposal keeps them (foreign keys by id)."""
    values: dict[str, Any] = {"code": item.code}
    for field in ITEM_FIELDS:
        values[field] = getattr(item, f"{field}_id" if field in FOREIGN_KEYS else field)
    return values


def _department_id(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int(value.pk if hasattr(value, "pk") else value)


def _proposal_basis(reason: str, effective_on: datetime.date | None) -> str:
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("请填写调整原因（法律法规立改废释、职能调整等）。")
    if effective_on is None:
        errors["effective_on"] = _("请填写拟生效日期。")
    if errors:
        raise ValidationError(errors)
    return reason.strip()


def _check_no_open(code: str, exclude: int | None = None) -> None:
    others = PowerProposal.objects.filter(code=code, status__in=OPEN_STATUSES)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    other = others.first()
    if other is not None:
        raise ValidationError(
            {
                "code": _(
                    "权力编码 %(code)s 已有办理中的调整申请（#%(pk)s），请待其办结或撤回后再申报。"
                )
                % {"code": code, "pk": other.pk}
            }
        )


def _prepare(
    kind: str,
    values: Mapping[str, Any],
    item: PowerItem | None,
    effective_on: datetime.date,
) -> dict[str, Any]:
    """The proposal's fields for `kind` after checking it against the list as it stands now:
    code, item, department, values, changed_fields, base_version. Nothing is written."""
    if kind == AdjustmentKind.ADD:
        code = str(values.get("code", "")).strip()
        if not code:
            raise ValidationError({"code": _("请填写权力编码。")})
        current = PowerItem.objects.filter(code=code).first()
        if current is not None and not current.is_cancelled:
            raise ValidationError({"code": _("权力编码 %s 已在清单中，请申报变更。") % code})
        draft = current or PowerItem(code=code)
        if current is not None:
            _check_order(current, effective_on)
        _apply(draft, {k: v for k, v in values.items() if k != "code"})
        rules.check_duties(draft.duties, draft.accountability)
        return {
            "code": code,
            "item": current,
            "department_id": draft.implementing_department_id,
            "values": _stored(draft),
            "changed_fields": [],
            "base_version": current.version if current is not None else 0,
        }
    assert item is not None
    current = PowerItem.objects.get(pk=item.pk)
    if current.is_cancelled:
        raise ValidationError(_("该事项已取消；如需重新列入，请申报新增。"))
    _check_order(current, effective_on)
    if kind == AdjustmentKind.CANCEL:
        return {
            "code": current.code,
            "item": current,
            "department_id": current.implementing_department_id,
            "values": {},
            "changed_fields": [],
            "base_version": current.version,
        }
    if "code" in values and str(values["code"]).strip() != current.code:
        raise ValidationError({"code": _("权力编码不能变更；请申报取消原事项并新增。")})
    draft = PowerItem.objects.get(pk=item.pk)
    changed = _apply(draft, {k: v for k, v in values.items() if k != "code"})
    if not changed:
        raise ValidationError(_("没有需要变更的内容。"))
    rules.check_duties(draft.duties, draft.accountability)
    return {
        "code": current.code,
        "item": current,
        "department_id": current.implementing_department_id,
        "values": _stored(draft),
        "changed_fields": changed,
        "base_version": current.version,
    }


def _require_departments(actor: User, action: str, *department_ids: int | None) -> None:
    """The actor may propose for each department concerned (a liaison: their own)."""
    for department_id in department_ids:
        if department_id is None:
            require(actor, action, PowerProposal)
        else:
            require(actor, action, PowerProposal(department_id=department_id))


def propose_adjustment(
    kind: str,
    *,
    actor: User,
    reason: str,
    effective_on: datetime.date | None,
    values: Mapping[str, Any] | None = None,
    item: PowerItem | None = None,
) -> PowerProposal:
    """调整申请: a department proposes a 新增 (`values` with the 权力编码), a 变更 of `item`
    (`values`: the fields as they should stand) or a 取消 of `item`. The item as proposed states
    its 责任事项 and 追责情形; one proposal per 权力编码 is under way at a time. The list does not
    change until the approval is recorded (`approve_proposal`)."""
    if kind not in AdjustmentKind.values:
        raise ValidationError(_("未知的调整类型。"))
    if kind != AdjustmentKind.ADD and item is None:
        raise ValidationError(_("请选择要调整的权力事项。"))
    values = dict(values or {})
    proposed_department = _department_id(values.get("implementing_department"))
    if item is not None:
        _require_departments(actor, ADD, item.implementing_department_id)
    if kind != AdjustmentKind.CANCEL and (item is None or proposed_department is not None):
        _require_departments(actor, ADD, proposed_department)
    reason = _proposal_basis(reason, effective_on)
    assert effective_on is not None
    with transaction.atomic(), audit_context(actor=actor, reason=reason):
        if item is not None:
            item = locked(PowerItem, item.pk)
        prepared = _prepare(kind, values, item, effective_on)
        _check_no_open(prepared["code"])
        today = timezone.localdate()
        proposal = PowerProposal(
            kind=kind,
            reason=reason,
            effective_on=effective_on,
            proposed_by=actor,
            submitted_on=today,
            due_on=rules.review_due(today),
            **prepared,
        )
        proposal.full_clean()
        proposal.save()
        record(PowerProposalEvent, proposal, ProposalEventType.SUBMITTED, actor, note=reason)
    return proposal


def revise_proposal(
    proposal: PowerProposal,
    *,
    actor: User,
    reason: str,
    effective_on: datetime.date | None,
    values: Mapping[str, Any] | None = None,
) -> PowerProposal:
    """A returned proposal revised by its department and submitted again (reviewed anew)."""
    require(actor, CHANGE, proposal)
    values = dict(values or {})
    if proposal.kind != AdjustmentKind.CANCEL:
        _require_departments(actor, ADD, _department_id(values.get("implementing_department")))
    reason = _proposal_basis(reason, effective_on)
    assert effective_on is not None
    with transaction.atomic(), audit_context(actor=actor, reason=reason):
        row = _lock_proposal(proposal, "revise")
        prepared = _prepare(row.kind, values, row.item, effective_on)
        _check_no_open(prepared["code"], exclude=row.pk)
        for field, value in prepared.items():
            setattr(row, field, value)
        today = timezone.localdate()
        row.reason, row.effective_on = reason, effective_on
        row.status = ProposalStatus.SUBMITTED
        row.submitted_on, row.due_on = today, rules.review_due(today)
        row.reviewed_by, row.reviewed_on, row.review_opinion = None, None, ""
        row.full_clean()
        row.save()
        record(PowerProposalEvent, row, ProposalEventType.RESUBMITTED, actor, note=reason)
    return row


def withdraw_proposal(proposal: PowerProposal, *, actor: User, reason: str) -> PowerProposal:
    """The department withdraws a proposal not yet approved; the reason is recorded."""
    require(actor, CHANGE, proposal)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写撤回理由。")})
    with transaction.atomic(), audit_context(actor=actor, reason=reason.strip()):
        row = _lock_proposal(proposal, "withdraw")
        row.status = ProposalStatus.WITHDRAWN
        row.save()
        record(PowerProposalEvent, row, ProposalEventType.WITHDRAWN, actor, note=reason.strip())
    return row


def _proposers(proposal: PowerProposal) -> set[int]:
    """Who proposed the proposal or submitted it again."""
    submitted = (ProposalEventType.SUBMITTED, ProposalEventType.RESUBMITTED)
    actors = proposal.events.filter(type__in=submitted).values_list("actor_id", flat=True)
    return {proposal.proposed_by_id, *(pk for pk in actors if pk is not None)}


def _check_current(proposal: PowerProposal) -> None:
    """The list has not moved since the proposal was made (else it is reviewed against a version
    that is no longer the item's, and must be returned and proposed anew)."""
    current = PowerItem.objects.filter(code=proposal.code).first()
    if proposal.kind == AdjustmentKind.ADD and current is not None and not current.is_cancelled:
        raise ValidationError(
            _("权力编码 %s 已在清单中，本申请不能再批准；请退回或撤回。") % proposal.code,
            code="stale",
        )
    version = current.version if current is not None else 0
    if version != proposal.base_version:
        raise ValidationError(
            _(
                "该事项在申请提出后已调整为第 %(version)s 版，本申请是按第 %(base)s 版提出的；"
                "请退回申报单位按现行版本重新申报。"
            )
            % {"version": version, "base": proposal.base_version},
            code="stale",
        )


def review_proposal(
    proposal: PowerProposal, *, reviewer: User, passed: bool, opinion: str
) -> PowerProposal:
    """The rule-of-law office (编办/司法局, REVIEW) reviews a submitted proposal: passed, or
    returned to the department with the reason. The reviewer did not propose it."""
    require(reviewer, REVIEW, proposal)
    opinion = opinion.strip()
    if not passed and not opinion:
        raise ValidationError({"opinion": _("退回申请须说明理由。")})
    with transaction.atomic(), audit_context(actor=reviewer, reason=opinion or None):
        row = _lock_proposal(proposal, "review")
        rules.check_separation(reviewer.pk, _proposers(row), "review")
        if passed:
            _check_current(row)
        row.status = ProposalStatus.PASSED if passed else ProposalStatus.RETURNED
        row.reviewed_by, row.reviewed_on = reviewer, timezone.localdate()
        row.review_opinion = opinion
        row.save()
        kind = ProposalEventType.PASSED if passed else ProposalEventType.RETURNED
        record(PowerProposalEvent, row, kind, reviewer, note=opinion)
    return row


def approve_proposal(
    proposal: PowerProposal,
    *,
    actor: User,
    document: str,
    approved_on: datetime.date | None,
    effective_on: datetime.date | None = None,
) -> PowerAdjustment:
    """Record the government's approval of a passed proposal: its document number (批准文号)
    and date, by someone who neither proposed nor reviewed it. The adjustment is written now and
    takes effect on `effective_on` (default: the proposed date), not before the approval; the
    public list shows it from that day."""
    require(actor, REVIEW, proposal)
    document = document.strip()
    if not document:
        raise ValidationError({"document": _("请填写本级人民政府的批准文号。")})
    with transaction.atomic(), audit_context(actor=actor, reason=document):
        row = _lock_proposal(proposal, "approve")
        rules.check_separation(actor.pk, [*_proposers(row), row.reviewed_by_id], "approve")
        effective_on = effective_on or row.effective_on
        rules.check_approval_dates(
            approved_on, effective_on, reviewed_on=row.reviewed_on, today=timezone.localdate()
        )
        assert approved_on is not None
        _check_current(row)
        reason = row.reason
        if row.kind == AdjustmentKind.ADD:
            adjustment = _add(
                row.values,
                actor=actor,
                reason=reason,
                document=document,
                effective_on=effective_on,
            )
        elif row.kind == AdjustmentKind.CHANGE:
            assert row.item is not None
            adjustment = _change(
                row.item,
                row.values,
                actor=actor,
                reason=reason,
                document=document,
                effective_on=effective_on,
            )
        else:
            assert row.item is not None
            adjustment = _cancel(
                row.item, actor=actor, reason=reason, document=document, effective_on=effective_on
            )
        row.status = ProposalStatus.APPROVED
        row.item, row.adjustment = adjustment.item, adjustment
        row.approved_by, row.approval_document, row.approved_on = actor, document, approved_on
        row.effective_on = effective_on
        row.save()
        note = _("%(document)s，%(approved)s 批准，%(effective)s 起生效") % {
            "document": document,
            "approved": f"{approved_on:%Y-%m-%d}",
            "effective": f"{effective_on:%Y-%m-%d}",
        }
        record(PowerProposalEvent, row, ProposalEventType.APPROVED, actor, note=note)
    return adjustment


# --- categories ------------------------------------------------------------------------------


def may_edit_categories(user: Any, action: str = CHANGE) -> bool:
    """Categories are the district's, not a department's: only a district-wide grant edits them."""
    return scope_for(user, action, PowerCategory) is Scope.ALL


def save_category(category: PowerCategory, *, actor: User | None) -> PowerCategory:
    """Add or edit a category of the list (the list of categories is local: 中办发〔2015〕21号
    gives ten, localities use others)."""
    if actor is not None and not may_edit_categories(actor, ADD if category.pk is None else CHANGE):
        raise PermissionDenied
    with transaction.atomic(), audit_context(actor=actor):
        category.full_clean()
        category.save()
    return category
