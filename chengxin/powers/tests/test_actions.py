"""The three adjustments: given an item, when it is added, changed or cancelled, then the item,
the adjustment with its snapshot, and the change log."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chengxin.accounts.models import Department, User
from chengxin.audit.models import AuditEntry
from chengxin.powers import actions
from chengxin.powers.choices import AdjustmentKind
from chengxin.powers.models import PowerCategory, PowerItem

pytestmark = pytest.mark.django_db

MakeItem = Callable[..., PowerItem]
JAN1, MAR1, JUN1 = datetime.date(2025, 1, 1), datetime.date(2025, 3, 1), datetime.date(2025, 6, 1)
BASIS = {"reason": "依据修订", "document": "台政办发〔2025〕5号"}


def values(department: Department, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "code": "XK-370405-01-0001",
        "name": "食品经营许可",
        "category": PowerCategory.objects.get(code="license"),
        "implementing_department": department,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "time_limit": "20个工作日",
    }
    fields.update(overrides)
    return fields


def test_adding_an_item_writes_version_1_with_its_snapshot_and_the_change_log(
    make_department: Callable[..., Department], law_admin: User
) -> None:
    department = make_department(name="台儿庄区行政审批服务局")
    adjustment = actions.add_power_item(
        values(department), actor=law_admin, effective_on=JAN1, **BASIS
    )
    item = adjustment.item
    assert (adjustment.kind, adjustment.version, item.version) == (AdjustmentKind.ADD, 1, 1)
    assert adjustment.snapshot["category_name"] == "行政许可"
    assert adjustment.snapshot["implementing_department_name"] == "台儿庄区行政审批服务局"
    assert adjustment.actor == law_admin and adjustment.document == "台政办发〔2025〕5号"
    entry = AuditEntry.objects.get(object_type="powers.poweritem", action="created")
    assert entry.reason == "依据修订" and entry.actor_id == law_admin.pk


def test_adding_a_listed_code_again_is_refused(make_power_item: MakeItem, law_admin: User) -> None:
    item = make_power_item(effective_on=JAN1)
    with pytest.raises(ValidationError) as excinfo:
        actions.add_power_item(
            values(item.implementing_department, code=item.code),
            actor=law_admin,
            effective_on=MAR1,
            **BASIS,
        )
    assert "code" in excinfo.value.message_dict


def test_every_adjustment_needs_reason_document_and_date(
    make_power_item: MakeItem, law_admin: User
) -> None:
    item = make_power_item(effective_on=JAN1)
    with pytest.raises(ValidationError) as excinfo:
        actions.cancel_power_item(item, actor=law_admin, reason=" ", document="", effective_on=None)  # type: ignore[arg-type]
    assert set(excinfo.value.message_dict) == {"reason", "document", "effective_on"}


def test_change_records_the_changed_fields_and_keeps_the_old_version(
    make_power_item: MakeItem, law_admin: User
) -> None:
    item = make_power_item(effective_on=JAN1, time_limit="90日", name="对无证经营的处罚")
    adjustment = actions.change_power_item(
        item,
        {"time_limit": "60日", "name": "对无证经营的处罚"},
        actor=law_admin,
        effective_on=MAR1,
        **BASIS,
    )
    item.refresh_from_db()
    assert (item.time_limit, item.version) == ("60日", 2)
    assert adjustment.changed_fields == ["time_limit"]
    assert adjustment.changed_labels == ["办理时限"]
    assert item.adjustments.get(version=1).snapshot["time_limit"] == "90日"


def test_change_without_a_difference_is_refused(make_power_item: MakeItem, law_admin: User) -> None:
    item = make_power_item(effective_on=JAN1, time_limit="90日")
    with pytest.raises(ValidationError):
        actions.change_power_item(
            item, {"time_limit": "90日"}, actor=law_admin, effective_on=MAR1, **BASIS
        )
    assert item.adjustments.count() == 1


def test_the_code_cannot_be_changed(make_power_item: MakeItem, law_admin: User) -> None:
    item = make_power_item(effective_on=JAN1)
    with pytest.raises(ValidationError) as excinfo:
        actions.change_power_item(
            item, {"code": "NEW-1"}, actor=law_admin, effective_on=MAR1, **BASIS
        )
    assert "code" in excinfo.value.message_dict


def test_adjustment_on_the_same_day_as_the_latest_is_allowed(
    make_power_item: MakeItem, law_admin: User
) -> None:
    item = make_power_item(effective_on=MAR1)
    adjustment = actions.cancel_power_item(item, actor=law_admin, effective_on=MAR1, **BASIS)
    assert adjustment.version == 2
    assert not PowerItem.objects.in_force(on=MAR1).exists()


def test_cancelled_item_cannot_be_changed_but_can_be_listed_again(
    make_power_item: MakeItem, law_admin: User
) -> None:
    item = make_power_item(effective_on=JAN1)
    actions.cancel_power_item(item, actor=law_admin, effective_on=MAR1, **BASIS)
    with pytest.raises(ValidationError):
        actions.change_power_item(
            item, {"time_limit": "1日"}, actor=law_admin, effective_on=JUN1, **BASIS
        )
    relisted = actions.add_power_item(
        values(item.implementing_department, code=item.code, category=item.category),
        actor=law_admin,
        effective_on=JUN1,
        **BASIS,
    )
    assert relisted.item_id == item.pk and relisted.version == 3
    assert list(PowerItem.objects.in_force(on=MAR1)) == []
    assert list(PowerItem.objects.in_force(on=JUN1)) == [item]


def test_enforcement_officer_may_not_adjust(make_power_item: MakeItem, case_officer: User) -> None:
    item = make_power_item(effective_on=JAN1)
    with pytest.raises(PermissionDenied):
        actions.cancel_power_item(item, actor=case_officer, effective_on=MAR1, **BASIS)
    with pytest.raises(PermissionDenied):
        actions.add_power_item(
            values(item.implementing_department, code="X-2"),
            actor=case_officer,
            effective_on=MAR1,
            **BASIS,
        )
    assert item.adjustments.count() == 1
