"""The power item import: 新增 / 变更 / 重新列入 by 权力编码 with the batch's basis, the per-row
report, the permission."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chengxin.accounts.models import Department, User
from chengxin.core import registers
from chengxin.imports.registers import upload_file
from chengxin.powers.actions import cancel_power_item
from chengxin.powers.choices import AdjustmentKind, ImportStatus
from chengxin.powers.models import PowerItem
from chengxin.powers.registers import COLUMNS
from chengxin.powers.tests.conftest import logged_in

pytestmark = pytest.mark.django_db

HEADER = [column.label for column in COLUMNS]
MAR1 = datetime.date(2025, 3, 1)
BASIS: dict[str, Any] = {
    "reason": "年度动态调整",
    "document": "台政办发〔2025〕6号",
    "effective_on": MAR1,
}


def upload(rows: list[dict[str, str]], tmp_path: Path) -> SimpleUploadedFile:
    path = tmp_path / "items.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows([[row.get(label, "") for label in HEADER] for row in rows])
    return SimpleUploadedFile("items.csv", path.read_bytes(), content_type="text/csv")


def row(code: str, department: Department, **changes: str) -> dict[str, str]:
    cells = {
        "权力编码": code,
        "权力名称": "对违法行为的处罚",
        "权力类别": "行政处罚",
        "实施主体": department.name,
        "设定依据": "《中华人民共和国食品安全法》",
        "办理时限": "90日",
        "收费依据和标准": "不收费",
        "监督电话": "0632-6611000",
    }
    cells.update(changes)
    return cells


def test_import_adds_changes_relists_and_leaves_identical_rows(
    tmp_path: Path,
    law_admin: User,
    make_power_item: Callable[..., PowerItem],
    make_department: Callable[..., Department],
) -> None:
    department = make_department(name="台儿庄区市场监督管理局", short_name="区市场监管局")
    fields = {
        "implementing_department": department,
        "name": "对违法行为的处罚",
        "legal_basis": "《中华人民共和国食品安全法》",
        "time_limit": "90日",
        "fee_basis": "不收费",
        "supervision_phone": "0632-6611000",
        "effective_on": datetime.date(2025, 1, 1),
    }
    changed = make_power_item(code="CF-1", **fields)
    same = make_power_item(code="CF-2", **fields)
    cancelled = make_power_item(code="CF-3", **fields)
    cancel_power_item(
        cancelled, actor=None, reason="取消", document="台政办发〔2025〕2号", effective_on=MAR1
    )
    rows = [
        row("CF-1", department, **{"办理时限": "60日"}),
        row("CF-2", department),
        row("CF-3", department),
        row("XK-9", department, **{"权力类别": "license", "实施主体": "区市场监管局"}),
    ]

    batch = upload_file(
        registers.get("power_items"), upload(rows, tmp_path), actor=law_admin, options=BASIS
    )

    assert batch.status == ImportStatus.FINISHED, batch.error_message
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged, batch.rows_rejected) == (
        2,
        1,
        1,
        0,
    )
    latest = changed.adjustments.order_by("-version").first()
    assert latest is not None
    assert (latest.kind, latest.snapshot["time_limit"], latest.document) == (
        AdjustmentKind.CHANGE,
        "60日",
        "台政办发〔2025〕6号",
    )
    assert same.adjustments.count() == 1
    assert cancelled.adjustments.order_by("-version").values_list("kind", flat=True)[0] == "add"
    new = PowerItem.objects.get(code="XK-9")
    assert new.category.code == "license" and new.implementing_department == department
    assert set(PowerItem.objects.in_force(on=MAR1).values_list("code", flat=True)) == {
        "CF-1",
        "CF-2",
        "CF-3",
        "XK-9",
    }


def test_bad_rows_are_reported(
    tmp_path: Path, law_admin: User, make_department: Callable[..., Department]
) -> None:
    department = make_department()
    rows = [
        row("A-1", department),
        row("A-2", department, **{"权力类别": "行政审批", "实施主体": "不存在的局"}),
        row("A-1", department),
        row("", department, **{"设定依据": ""}),
    ]
    batch = upload_file(
        registers.get("power_items"), upload(rows, tmp_path), actor=law_admin, options=BASIS
    )
    assert batch.rows_created == 1 and batch.rows_rejected == 3
    errors = {r.row_number: r.errors for r in batch.rejections.all()}
    assert errors[3] == [
        "第 3 行【权力类别】：“行政审批”不是已启用的权力类别，应填类别名称或代码",
        "第 3 行【实施主体】：“不存在的局”不是已登记的部门，应填部门名称、简称或统一社会信用代码",
    ]
    assert errors[4] == ["第 4 行【权力编码】：与第 2 行的权力编码相同"]
    assert errors[5] == [
        "第 5 行【权力编码】：必填，不能为空",
        "第 5 行【设定依据】：必填，不能为空",
    ]


def test_row_dated_before_the_items_latest_adjustment_is_refused(
    tmp_path: Path,
    law_admin: User,
    make_power_item: Callable[..., PowerItem],
) -> None:
    item = make_power_item(code="CF-7", effective_on=datetime.date(2025, 6, 1))
    batch = upload_file(
        registers.get("power_items"),
        upload([row("CF-7", item.implementing_department, **{"办理时限": "1日"})], tmp_path),
        actor=law_admin,
        options=BASIS,
    )
    [rejection] = batch.rejections.all()
    assert rejection.errors[0].startswith(
        "第 2 行【生效日期】：生效日期不能早于该事项最近一次调整的生效日期"
    )


def test_import_needs_permission_and_the_pages_work(
    tmp_path: Path, law_admin: User, case_officer: User, make_department: Callable[..., Department]
) -> None:
    department = make_department()
    with pytest.raises(PermissionDenied):
        upload_file(
            registers.get("power_items"), upload([], tmp_path), actor=case_officer, options=BASIS
        )
    assert (
        logged_in(case_officer).get(reverse("registers:upload", args=["power_items"])).status_code
        == 403
    )
    client = logged_in(law_admin)
    assert client.get(reverse("registers:template", args=["power_items"])).status_code == 200
    response = client.post(
        reverse("registers:upload", args=["power_items"]),
        {
            "file": upload([row("B-1", department), row("", department)], tmp_path),
            "reason": "导入",
            "document": "台政办发〔2025〕7号",
            "effective_on": "2025-03-01",
        },
    )
    page = client.get(response["Location"]).content.decode()
    assert "第 3 行【权力编码】：必填，不能为空" in page
    assert client.get(response["Location"] + "rejected.xlsx").status_code == 200
    assert PowerItem.objects.filter(code="B-1").exists()


def test_duties_and_accountability_columns_are_optional_and_an_empty_cell_keeps_them(
    tmp_path: Path,
    law_admin: User,
    make_power_item: Callable[..., PowerItem],
    make_department: Callable[..., Department],
) -> None:
    department = make_department(name="台儿庄区市场监督管理局")
    kept = make_power_item(
        code="CF-1",
        implementing_department=department,
        name="对违法行为的处罚",
        legal_basis="《中华人民共和国食品安全法》",
        time_limit="90日",
        fee_basis="不收费",
        supervision_phone="0632-6611000",
        duties="原责任事项",
        accountability="原追责情形",
        effective_on=datetime.date(2025, 1, 1),
    )
    rows = [
        row("CF-1", department),  # both cells empty: nothing changes
        row("CF-2", department, **{"责任事项": "受理责任", "追责情形": "不依法受理的"}),
        row("CF-3", department),  # a new item without them: allowed (optional columns)
    ]
    batch = upload_file(
        registers.get("power_items"), upload(rows, tmp_path), actor=law_admin, options=BASIS
    )
    assert (batch.rows_created, batch.rows_unchanged, batch.rows_rejected) == (2, 1, 0)
    kept.refresh_from_db()
    assert (kept.duties, kept.accountability, kept.version) == ("原责任事项", "原追责情形", 1)
    added = PowerItem.objects.get(code="CF-2")
    snapshot = added.adjustments.get().snapshot
    assert (snapshot["duties"], snapshot["accountability"]) == ("受理责任", "不依法受理的")
    assert PowerItem.objects.get(code="CF-3").duties == ""

    changed = [row("CF-1", department, **{"追责情形": "新追责情形"})]
    batch = upload_file(
        registers.get("power_items"), upload(changed, tmp_path), actor=law_admin, options=BASIS
    )
    assert batch.rows_updated == 1
    kept.refresh_from_db()
    assert (kept.duties, kept.accountability) == ("原责任事项", "新追责情形")
    assert kept.adjustments.get(version=2).changed_fields == ["accountability"]


def test_the_template_has_the_two_optional_columns() -> None:
    labels = {column.label: column for column in COLUMNS}
    assert not labels["责任事项"].required and not labels["追责情形"].required
    assert "保留" in str(labels["责任事项"].help)
