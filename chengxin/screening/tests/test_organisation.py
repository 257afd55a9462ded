"""List types from a file (`screening.registers`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chengxin.core.tests.test_organisation_support import load, set_up_district, write_file
from chengxin.screening.choices import ListKind
from chengxin.screening.models import ListType, Measure
from chengxin.screening.reference import LIST_TYPES

pytestmark = pytest.mark.django_db

HEADER = ["代码", "名单名称", "名单类别", "认定部门", "设立依据", "可申请信用修复"]
BASIS = "《某某管理办法》第十条"


@pytest.fixture(autouse=True)
def _district() -> None:
    set_up_district()


def test_the_national_list_types_and_measures_are_installed_by_migration() -> None:
    codes = set(ListType.objects.values_list("code", flat=True))
    assert {row[0] for row in LIST_TYPES} <= codes
    assert Measure.objects.filter(source="national").exists()


def test_list_types_are_created(tmp_path: Path) -> None:
    rows = [
        [
            "construction_market",
            "建筑市场主体严重失信名单",
            "失信主体名单",
            "住房城乡建设部门",
            BASIS,
            "",
        ],
        ["green_enterprise", "环保诚信企业", "trust", "生态环境部门", BASIS, "否"],
    ]
    assert load("list_types", write_file(tmp_path / "types.xlsx", HEADER, rows)).status == 0
    construction = ListType.objects.get(code="construction_market")
    assert (construction.kind, construction.is_repairable) == (ListKind.DISHONESTY, True)
    green = ListType.objects.get(code="green_enterprise")
    assert (green.kind, green.is_repairable) == (ListKind.TRUST, False)


def test_an_invalid_row_names_its_row_column_and_problem(tmp_path: Path) -> None:
    rows = [
        ["建筑 市场", "建筑市场名单", "黑名单", "住房城乡建设部门", BASIS, "也许"],
        ["local_list", "失信被执行人", "失信主体名单", "", BASIS, ""],
    ]
    run = load("list_types", write_file(tmp_path / "types.csv", HEADER, rows))
    assert run.status == 1
    errors = run.err.splitlines()
    assert any(line.startswith("第 2 行【名单类别】：“黑名单”不是可选值") for line in errors)
    assert "第 2 行【可申请信用修复】：应填“是”或“否”" in errors
    assert "第 3 行【认定部门】：必填，不能为空" in errors
    assert not ListType.objects.filter(code="local_list").exists()


def test_a_model_rule_and_a_rerun(tmp_path: Path) -> None:
    rows = [
        ["local_list", "本地名单", "失信主体名单", "某部门", BASIS, "是"],
        ["bad code", "另一名单", "失信主体名单", "某部门", BASIS, "是"],
    ]
    path = write_file(tmp_path / "types.csv", HEADER, rows, encoding="gbk")
    first = load("list_types", path)
    assert first.status == 1 and first.err.startswith("第 3 行【代码】：")
    again = load("list_types", path)
    assert "新增 0，更新 0，未变化 1，拒收 1" in again.out
