"""The list on a day: before and after an adjustment, a cancelled item, the seeded categories."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from chengxin.audit.models import AuditEntry
from chengxin.powers.actions import cancel_power_item, change_power_item
from chengxin.powers.choices import AdjustmentKind
from chengxin.powers.models import PowerCategory, PowerItem

pytestmark = pytest.mark.django_db

MakeItem = Callable[..., PowerItem]
JAN1, MAR1, JUN1 = datetime.date(2025, 1, 1), datetime.date(2025, 3, 1), datetime.date(2025, 6, 1)


def test_ten_national_categories_are_seeded() -> None:
    assert list(PowerCategory.objects.values_list("name", flat=True)) == [
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政征收",
        "行政给付",
        "行政检查",
        "行政确认",
        "行政奖励",
        "行政裁决",
        "其他行政权力",
    ]


def test_item_is_in_force_from_its_effective_date(make_power_item: MakeItem) -> None:
    item = make_power_item(effective_on=MAR1)
    assert not PowerItem.objects.in_force(on=MAR1 - datetime.timedelta(days=1)).exists()
    assert list(PowerItem.objects.in_force(on=MAR1)) == [item]


def test_cancelled_item_leaves_the_list_on_its_effective_date(make_power_item: MakeItem) -> None:
    item = make_power_item(effective_on=JAN1)
    adjustment = cancel_power_item(
        item,
        actor=None,
        reason="法律修改取消该处罚",
        document="台政办发〔2025〕8号",
        effective_on=JUN1,
    )
    assert adjustment.kind == AdjustmentKind.CANCEL and adjustment.version == 2
    assert list(PowerItem.objects.in_force(on=JUN1 - datetime.timedelta(days=1))) == [item]
    assert not PowerItem.objects.in_force(on=JUN1).exists()
    assert AuditEntry.objects.filter(object_id=str(item.pk), reason="法律修改取消该处罚").exists()


def test_changed_item_shows_the_version_of_the_day(make_power_item: MakeItem) -> None:
    item = make_power_item(effective_on=JAN1, time_limit="90日")
    change_power_item(
        item,
        {"time_limit": "60日"},
        actor=None,
        reason="压缩办理时限",
        document="台政办发〔2025〕5号",
        effective_on=MAR1,
    )
    before = PowerItem.objects.with_version_on(MAR1 - datetime.timedelta(days=1)).get()
    after = PowerItem.objects.with_version_on(MAR1).get()
    assert item.adjustments.get(pk=before.version_on).snapshot["time_limit"] == "90日"
    assert item.adjustments.get(pk=after.version_on).snapshot["time_limit"] == "60日"


def test_adjustment_dated_before_the_latest_is_refused(make_power_item: MakeItem) -> None:
    item = make_power_item(effective_on=MAR1)
    with pytest.raises(ValidationError) as excinfo:
        cancel_power_item(
            item, actor=None, reason="取消", document="台政办发〔2025〕8号", effective_on=JAN1
        )
    assert "effective_on" in excinfo.value.message_dict


def test_versions_on_a_day_filter_by_category_department_and_text(
    make_power_item: MakeItem,
) -> None:
    from chengxin.powers.listing import versions_on

    penalty = make_power_item(effective_on=JAN1, name="对无证经营食品的处罚")
    license_ = make_power_item(effective_on=JAN1, category="license", name="食品经营许可")
    cancel_power_item(
        license_, actor=None, reason="取消", document="台政办发〔2025〕8号", effective_on=JUN1
    )
    codes = lambda **kw: {v.snapshot["code"] for v in versions_on(MAR1, **kw)}  # noqa: E731
    assert codes() == {penalty.code, license_.code}
    assert codes(category="license") == {license_.code}
    assert codes(department_id=penalty.implementing_department_id) == {penalty.code}
    assert codes(text="无证") == {penalty.code}
    assert {v.snapshot["code"] for v in versions_on(JUN1)} == {penalty.code}


def test_duties_and_accountability_are_versioned(make_power_item: MakeItem) -> None:
    item = make_power_item(effective_on=JAN1, duties="受理责任", accountability="不依法受理的")
    assert {"duties", "accountability"} <= set(PowerItem.VERSIONED_FIELDS)
    adjustment = change_power_item(
        item,
        {"duties": "受理责任；送达责任"},
        actor=None,
        reason="补充责任事项",
        document="台政办发〔2025〕5号",
        effective_on=MAR1,
    )
    assert adjustment.changed_fields == ["duties"]
    assert adjustment.changed_labels == ["责任事项"]
    before = PowerItem.objects.with_version_on(MAR1 - datetime.timedelta(days=1)).get()
    after = PowerItem.objects.with_version_on(MAR1).get()
    assert item.adjustments.get(pk=before.version_on).snapshot["duties"] == "受理责任"
    assert item.adjustments.get(pk=after.version_on).snapshot["duties"] == "受理责任；送达责任"
    assert item.adjustments.get(pk=after.version_on).snapshot["accountability"] == "不依法受理的"
