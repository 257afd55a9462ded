"""Changes to the registries. Each action checks the actor's permission and the rule, saves the
row (the change log records before/after), and writes an AgencyEvent (the journal) in one
transaction. Views never set a status. `actor=None` is a system job (demo data, a command).

Bodies:   confirm (有效) → edit* (with its heads, 负责人) → revoke (撤销, with the revoking
          document and date)
Officers: register (在岗) → suspend (暂停) → reinstate (在岗)
                          → cancel (注销) | remove by the clean-up (清理: by the rules, or
                            declared 调离 / 退休); both final
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.accounts.permissions import ADD, CHANGE, REVIEW, can
from chengxin.agencies import rules
from chengxin.agencies.choices import (
    DECLARED_REMOVAL_REASONS,
    BodyKind,
    BodyStatus,
    EventType,
    OfficerStatus,
    RemovalReason,
)
from chengxin.agencies.models import AgencyEvent, EnforcementBody, EnforcementOfficer
from chengxin.audit.context import audit_context, current
from chengxin.core import local_settings

#: Status changes an officer may go through by a single action (the clean-up aside).
OFFICER_TRANSITIONS: dict[str, tuple[str, ...]] = {
    OfficerStatus.SUSPENDED: (OfficerStatus.ON_DUTY,),
    OfficerStatus.ON_DUTY: (OfficerStatus.SUSPENDED,),
    OfficerStatus.CANCELLED: (OfficerStatus.ON_DUTY, OfficerStatus.SUSPENDED),
}
OFFICER_EVENTS: dict[str, str] = {
    OfficerStatus.SUSPENDED: EventType.OFFICER_SUSPENDED,
    OfficerStatus.ON_DUTY: EventType.OFFICER_REINSTATED,
    OfficerStatus.CANCELLED: EventType.OFFICER_CANCELLED,
}


def _allowed(actor: User | None, action: str, obj: object) -> None:
    if actor is not None and not can(actor, action, obj):  # type: ignore[arg-type]
        raise PermissionDenied


def _event(
    type_: str,
    *,
    actor: User | None,
    body: EnforcementBody | None = None,
    officer: EnforcementOfficer | None = None,
    effective_on: datetime.date | None = None,
    document: str = "",
    note: str = "",
) -> AgencyEvent:
    return AgencyEvent.objects.create(
        type=type_,
        body=body,
        officer=officer,
        actor=actor,
        effective_on=effective_on,
        document=document,
        note=note,
        request_id=current().request_id,
    )


def _required(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise ValidationError({field: message})
    return value.strip()


def _not_future(day: datetime.date | None, field: str) -> datetime.date:
    if day is None:
        raise ValidationError({field: _("请填写日期。")})
    if day > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天。")})
    return day


# --- bodies ----------------------------------------------------------------------------------


def heads_problem(body: EnforcementBody, heads: Iterable[User]) -> str | None:
    """Why `heads` may not be the body's 负责人, or None: each an active account of the body's
    own department, or — for an entrusted organisation (行政处罚法 art. 20) — of the entrusting
    body's department, whose decision it is."""
    departments = {body.department_id}
    if body.kind == BodyKind.ENTRUSTED and body.entrusting_body is not None:
        departments.add(body.entrusting_body.department_id)
    departments.discard(None)
    wrong = [head for head in heads if not head.is_active or head.department_id not in departments]
    if not wrong:
        return None
    return _(
        "负责人须为本主体对应部门（受委托组织为委托机关对应部门）的在用账号：%(names)s 不是。"
    ) % {"names": "、".join(head.full_name for head in wrong)}


def save_body(
    body: EnforcementBody, *, actor: User | None, heads: Iterable[User] | None = None
) -> EnforcementBody:
    """Confirm a new body (有效) or save the edits of one; the status changes only by revoking.
    `heads` (when given) replace the body's 负责人, who sign its decisions off (cases)."""
    is_new = body.pk is None
    _allowed(actor, ADD if is_new else CHANGE, body if not is_new else EnforcementBody)
    chosen = None if heads is None else list(heads)
    with transaction.atomic(), audit_context(actor=actor):
        if is_new:
            body.status, body.revoking_document, body.revoked_on = BodyStatus.ACTIVE, "", None
        else:
            stored = EnforcementBody.objects.select_for_update().get(pk=body.pk)
            body.status = stored.status
            body.revoking_document, body.revoked_on = stored.revoking_document, stored.revoked_on
        body.full_clean()
        if chosen is not None and (problem := heads_problem(body, chosen)):
            raise ValidationError({"heads": problem})
        body.save()
        note = ""
        if chosen is not None and set(body.heads.all()) != set(chosen):
            body.heads.set(chosen)
            names = "、".join(head.full_name for head in chosen) or _("无")
            note = _("负责人：%(names)s") % {"names": names}
        _event(
            EventType.BODY_CONFIRMED if is_new else EventType.BODY_CHANGED,
            actor=actor,
            body=body,
            effective_on=body.confirmed_on if is_new else None,
            document=body.confirming_document if is_new else "",
            note=note,
        )
    return body


def revoke_body(
    body: EnforcementBody,
    *,
    actor: User | None,
    document: str,
    revoked_on: datetime.date | None,
    reason: str = "",
) -> EnforcementBody:
    """撤销: the body leaves the public list; its officers can no longer be assigned to cases."""
    _allowed(actor, CHANGE, body)
    document = _required(document, "revoking_document", _("撤销执法主体必须填写撤销文件。"))
    day = _not_future(revoked_on, "revoked_on")
    with transaction.atomic(), audit_context(actor=actor, reason=reason.strip() or document):
        body = EnforcementBody.objects.select_for_update().get(pk=body.pk)
        if body.status != BodyStatus.ACTIVE:
            raise ValidationError(_("该执法主体已撤销。"))
        dependent = list(
            body.entrusted_bodies.filter(status=BodyStatus.ACTIVE).values_list("name", flat=True)
        )
        if dependent:
            raise ValidationError(
                _("请先撤销受其委托的组织：%(names)s。") % {"names": "、".join(dependent)}
            )
        body.status, body.revoking_document, body.revoked_on = BodyStatus.REVOKED, document, day
        body.full_clean()
        body.save()
        _event(
            EventType.BODY_REVOKED,
            actor=actor,
            body=body,
            effective_on=day,
            document=document,
            note=reason.strip(),
        )
    return body


# --- officers --------------------------------------------------------------------------------


def save_officer(
    officer: EnforcementOfficer, *, actor: User | None, event: str | None = None
) -> EnforcementOfficer:
    """Register a new officer (在岗) or save the edits of one; the status changes by actions."""
    is_new = officer.pk is None
    _allowed(actor, ADD if is_new else CHANGE, officer if not is_new else EnforcementOfficer)
    with transaction.atomic(), audit_context(actor=actor):
        if is_new:
            officer.status, officer.status_reason = OfficerStatus.ON_DUTY, ""
            officer.status_changed_on = None
        else:
            stored = EnforcementOfficer.objects.select_for_update().get(pk=officer.pk)
            officer.status, officer.status_reason = stored.status, stored.status_reason
            officer.status_changed_on = stored.status_changed_on
        officer.full_clean()
        officer.save()
        default = EventType.OFFICER_REGISTERED if is_new else EventType.OFFICER_CHANGED
        _event(event or default, actor=actor, officer=officer)
    return officer


def change_officer_status(
    officer: EnforcementOfficer,
    status: str,
    *,
    actor: User | None,
    reason: str,
    on: datetime.date | None,
) -> EnforcementOfficer:
    """暂停 / 恢复在岗 / 注销, with the reason and the date."""
    _allowed(actor, CHANGE, officer)
    if status not in OFFICER_TRANSITIONS:
        raise ValidationError(_("不能通过此操作设置该状态。"))
    reason = _required(reason, "status_reason", _("请填写状态变更原因。"))
    day = _not_future(on, "status_changed_on")
    with transaction.atomic(), audit_context(actor=actor, reason=reason):
        officer = EnforcementOfficer.objects.select_for_update().get(pk=officer.pk)
        if officer.status not in OFFICER_TRANSITIONS[status]:
            raise ValidationError(
                _("执法人员当前状态为“%(status)s”，不能进行此操作。")
                % {"status": officer.get_status_display()}
            )
        if status == OfficerStatus.ON_DUTY and (problems := rules.certificate_problems(officer)):
            raise ValidationError(list(problems.values()))
        officer.status, officer.status_reason, officer.status_changed_on = status, reason, day
        officer.save()
        _event(OFFICER_EVENTS[status], actor=actor, officer=officer, effective_on=day, note=reason)
    return officer


def suspend_officer(
    officer: EnforcementOfficer, *, actor: User | None, reason: str, on: datetime.date | None
) -> EnforcementOfficer:
    return change_officer_status(
        officer, OfficerStatus.SUSPENDED, actor=actor, reason=reason, on=on
    )


def reinstate_officer(
    officer: EnforcementOfficer, *, actor: User | None, reason: str, on: datetime.date | None
) -> EnforcementOfficer:
    return change_officer_status(officer, OfficerStatus.ON_DUTY, actor=actor, reason=reason, on=on)


def cancel_officer(
    officer: EnforcementOfficer, *, actor: User | None, reason: str, on: datetime.date | None
) -> EnforcementOfficer:
    return change_officer_status(
        officer, OfficerStatus.CANCELLED, actor=actor, reason=reason, on=on
    )


def remove_officers(
    officer_ids: Iterable[int],
    *,
    actor: User | None,
    reason: str,
    on: datetime.date | None,
) -> list[EnforcementOfficer]:
    """清理: the confirmed selection of the clean-up's proposals becomes 清理, in one transaction
    and one request id. Every selected officer must still be proposed on `on` (the rules are
    checked again: an officer qualified since the page was shown is refused, not removed)."""
    _allowed(actor, REVIEW, EnforcementOfficer)
    reason = _required(reason, "reason", _("请填写清理依据或说明。"))
    day = _not_future(on, "on")
    ids = sorted(set(officer_ids))
    if not ids:
        raise ValidationError(_("请至少选择一名执法人员。"))
    with transaction.atomic(), audit_context(actor=actor, reason=reason):
        minimum = int(local_settings.get(rules.MIN_TRAINING_HOURS.key))
        officers = list(
            EnforcementOfficer.objects.select_for_update().filter(pk__in=ids).order_by("id")
        )
        proposed = set(
            rules.cleanup_candidates(day).filter(pk__in=ids).values_list("pk", flat=True)
        )
        refused = [o for o in officers if o.pk not in proposed]
        if refused or len(officers) != len(ids):
            names = "、".join(o.name for o in refused) or _("（已不存在）")
            raise ValidationError(
                _("以下人员已不在清理建议名单中，请刷新后重新选择：%(names)s") % {"names": names}
            )
        for officer in officers:
            why = rules.cleanup_reasons(officer, day, minimum)
            first = rules.first_reason(officer, day, minimum)
            _remove(officer, day, first, f"{reason}（{'；'.join(why)}）", actor=actor)
    return officers


def _remove(
    officer: EnforcementOfficer,
    day: datetime.date,
    removal_reason: str,
    status_reason: str,
    *,
    actor: User | None,
) -> None:
    """清理: the certificate ends on `day`; the journal says why."""
    officer.removal_reason = removal_reason
    officer.status, officer.status_changed_on = OfficerStatus.REMOVED, day
    officer.status_reason = status_reason[:500]
    officer.save()
    _event(
        EventType.OFFICER_REMOVED,
        actor=actor,
        officer=officer,
        effective_on=day,
        note=officer.status_reason,
    )


def remove_departed_officers(
    officer_ids: Iterable[int],
    *,
    actor: User | None,
    why: str,
    reason: str,
    on: datetime.date | None,
) -> list[EnforcementOfficer]:
    """清理 of officers who left enforcement: 调离 (transferred) or 退休 (retired), declared by
    the rule-of-law office with its document, for holders (在岗 or 暂停) — no rule finds these.
    One transaction and one request id; the certificate ends (清理), the journal says why."""
    _allowed(actor, REVIEW, EnforcementOfficer)
    if why not in DECLARED_REMOVAL_REASONS:
        raise ValidationError({"why": _("请选择清理原因：调离或退休。")})
    reason = _required(reason, "reason", _("请填写清理依据或说明。"))
    day = _not_future(on, "on")
    ids = sorted(set(officer_ids))
    if not ids:
        raise ValidationError(_("请至少选择一名执法人员。"))
    label = RemovalReason(why).label
    with transaction.atomic(), audit_context(actor=actor, reason=reason):
        officers = list(
            EnforcementOfficer.objects.select_for_update().filter(pk__in=ids).order_by("id")
        )
        ended = [o for o in officers if not o.holds_certificate]
        if ended or len(officers) != len(ids):
            names = "、".join(o.name for o in ended) or _("（已不存在）")
            raise ValidationError(
                _("以下人员已不持有执法证（已注销或已清理），无需清理：%(names)s")
                % {"names": names}
            )
        for officer in officers:
            _remove(officer, day, why, f"{reason}（{label}）", actor=actor)
    return officers
