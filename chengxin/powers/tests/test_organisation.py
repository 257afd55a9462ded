"""The power list from a file (`powers.registers`)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from chengxin.core.tests.test_organisation_support import (
    load,
    set_up_district_with_market,
    write_file,
)
from chengxin.powers.choices import AdjustmentKind
from chengxin.powers.models import PowerAdjustment, PowerCategory, PowerItem

pytestmark = pytest.mark.django_db

HEADER = [
    "权力编码",
    "权力名称",
    "权力类别",
    "实施主体",
    "设定依据",
    "行政相对人类别",
    "办理时限",
    "收费依据和标准",
    "监督电话",
    "依据文件",
    "生效日期",
]
DOCUMENT = "市中区人民政府关于公布行政权力清单的通知"


def item(
    code: str, name: str = "某项行政处罚", category: str = "行政处罚", effective: str = ""
) -> list[str]:
    return [
        code,
        name,
        category,
        "市场监管局",
        "《某某条例》第十条",
        "",
        "",
        "",
        "",
        DOCUMENT,
        effective,
    ]


@pytest.fixture(autouse=True)
def _district(tmp_path: Path) -> None:
    set_up_district_with_market(tmp_path)


def test_the_ten_national_categories_are_installed_by_migration() -> None:
    assert PowerCategory.objects.filter(code__in=["license", "penalty", "other"]).count() == 3
    assert PowerCategory.objects.count() >= 10


def test_items_are_added_with_the_document_and_date(tmp_path: Path) -> None:
    rows = [item("CF-0001", effective="2024-01-01"), item("JC-0001", "某项检查", "inspection")]
    assert load("power_items", write_file(tmp_path / "items.xlsx", HEADER, rows)).status == 0
    penalty = PowerItem.objects.get(code="CF-0001")
    assert penalty.implementing_department.name == "市中区市场监督管理局"
    adjustment = PowerAdjustment.objects.get(item=penalty)
    assert (adjustment.kind, adjustment.document, adjustment.effective_on) == (
        AdjustmentKind.ADD,
        DOCUMENT,
        datetime.date(2024, 1, 1),
    )
    inspection = PowerAdjustment.objects.get(item__code="JC-0001")
    assert inspection.effective_on == timezone.localdate()  # empty: today


def test_an_invalid_row_names_its_row_column_and_problem(tmp_path: Path) -> None:
    rows = [item("CF-0001", category="行政许可费"), item("", effective="去年")]
    rows[1][9] = ""
    run = load("power_items", write_file(tmp_path / "items.csv", HEADER, rows))
    assert run.status == 1
    errors = run.err.splitlines()
    assert "第 2 行【权力类别】：“行政许可费”不是已启用的权力类别，应填类别名称或代码" in errors
    assert "第 3 行【权力编码】：必填，不能为空" in errors
    assert "第 3 行【依据文件】：必填，不能为空" in errors
    assert "第 3 行【生效日期】：日期格式不正确，应为 YYYY-MM-DD 或 YYYY/MM/DD" in errors
    assert not PowerItem.objects.exists()


def test_a_rerun_changes_nothing_and_a_changed_row_is_a_change(tmp_path: Path) -> None:
    path = write_file(
        tmp_path / "items.csv", HEADER, [item("CF-0001", effective="2024-01-01")], encoding="gbk"
    )
    assert load("power_items", path).status == 0
    assert "未变化 1" in load("power_items", path).out
    assert PowerAdjustment.objects.count() == 1

    earlier = item("CF-0001", "改名的处罚", effective="2023-01-01")
    run = load("power_items", write_file(tmp_path / "earlier.csv", HEADER, [earlier]))
    assert run.status == 1 and "第 2 行【生效日期】：生效日期不能早于" in run.err

    changed = item("CF-0001", "改名的处罚", effective="2024-06-01")
    assert "更新 1" in load("power_items", write_file(tmp_path / "c.csv", HEADER, [changed])).out
    penalty = PowerItem.objects.get(code="CF-0001")
    assert (penalty.name, penalty.version) == ("改名的处罚", 2)
    assert penalty.adjustments.order_by("-version")[0].kind == AdjustmentKind.CHANGE
