"""Dynamic management of the power list (动态调整). Each action checks the actor's permission and
the rule, changes the item, writes a PowerAdjustment with the snapshot of the new version and the
change log, in one transaction. `actor=None` is a system job (demo data, a command).

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
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.accounts.permissions import ADD, CHANGE, can
from chengxin.audit.context import audit_context
from chengxin.powers.choices import AdjustmentKind
from chengxin.powers.models import PowerAdjustment, PowerCategory, PowerItem

#: The fields an adjustment may set (the versioned fields).
EDITABLE_FIELDS = frozenset(PowerItem.VERSIONED_FIELDS) - {"code"}


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
    unknown = set(values) - EDITABLE_FIELDS - {"code"}
    if unknown:
        raise ValidationError(_("不能调整的字段：%s") % "、".join(sorted(unknown)))
    changed = []
    for field, value in values.items():
        if field in {"category", "implementing_department"}:
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


def add_power_item(
    values: Mapping[str, Any],
    *,
    actor: User | None,
    reason: str,
    document: str,
    effective_on: datetime.date,
) -> PowerAdjustment:
    """新增: put a power in the list; a cancelled 权力编码 may be listed again (重新列入)."""
    _allowed(actor, ADD, PowerItem)
    reason, document = _basis(reason, document, effective_on)
    code = str(values.get("code", "")).strip()
    with transaction.atomic(), audit_context(actor=actor, reason=reason):
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


def change_power_item(
    item: PowerItem,
    changes: Mapping[str, Any],
    *,
    actor: User | None,
    reason: str,
    document: str,
    effective_on: datetime.date,
) -> PowerAdjustment:
    """变更: a new version of a listed item from `effective_on`; the 权力编码 stays."""
    _allowed(actor, CHANGE, item)
    reason, document = _basis(reason, document, effective_on)
    if "code" in changes and str(changes["code"]).strip() != item.code:
        raise ValidationError({"code": _("权力编码不能变更；请取消原事项并新增。")})
    with transaction.atomic(), audit_context(actor=actor, reason=reason):
        item = PowerItem.objects.select_for_update().get(pk=item.pk)
        if item.is_cancelled:
            raise ValidationError(_("该事项已取消，不能变更。"))
        _check_order(item, effective_on)
        changed = _apply(item, {k: v for k, v in changes.items() if k != "code"})
        if not changed:
            raise ValidationError(_("没有需要变更的内容。"))
        _allowed(actor, CHANGE, item)  # a new implementing department must be the actor's too
        return _record(
            item,
            AdjustmentKind.CHANGE,
            actor=actor,
            reason=reason,
            document=document,
            effective_on=effective_on,
            changed=changed,
        )


def cancel_power_item(
    item: PowerItem,
    *,
    actor: User | None,
    reason: str,
    document: str,
    effective_on: datetime.date,
) -> PowerAdjustment:
    """取消: the item leaves the list from `effective_on`; its history stays."""
    _allowed(actor, CHANGE, item)
    reason, document = _basis(reason, document, effective_on)
    with transaction.atomic(), audit_context(actor=actor, reason=reason):
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


def save_category(category: PowerCategory, *, actor: User | None) -> PowerCategory:
    """Add or edit a category of the list (the list of categories is local: 中办发〔2015〕21号
    gives ten, localities use others)."""
    _allowed(actor, ADD if category.pk is None else CHANGE, category)
    with transaction.atomic(), audit_context(actor=actor):
        category.full_clean()
        category.save()
    return category
