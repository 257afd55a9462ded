"""Departments, townships and streets from a file (`accounts.registers`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chengxin.accounts.choices import DepartmentKind
from chengxin.accounts.models import Department
from chengxin.audit.models import AuditEntry
from chengxin.core.tests.test_organisation_support import (
    DEPARTMENT_HEADER,
    GOVERNMENT,
    GOVERNMENT_CODE,
    credit_code,
    load,
    set_up_district,
    write_file,
)

pytestmark = pytest.mark.django_db

HEADER = DEPARTMENT_HEADER


@pytest.fixture(autouse=True)
def _district() -> None:
    set_up_district()


def test_departments_are_created_under_the_government_or_their_parent(tmp_path: Path) -> None:
    path = write_file(
        tmp_path / "departments.xlsx",
        HEADER,
        [
            ["市中区市场监督管理局", "市场监管局", credit_code("market"), "政府部门", ""],
            ["某某街道办事处", "某某街道", credit_code("street"), "镇街", GOVERNMENT],
            [
                "市中区某某中心",
                "",
                credit_code("centre"),
                "authorised_organisation",
                credit_code("market"),
            ],
        ],
    )
    assert load("departments", path).status == 0

    market = Department.objects.get(credit_code=credit_code("market"))
    assert (market.name, market.short_name, market.kind) == (
        "市中区市场监督管理局",
        "市场监管局",
        DepartmentKind.GOVERNMENT_DEPARTMENT,
    )
    assert market.parent is not None and market.parent.credit_code == GOVERNMENT_CODE
    assert Department.objects.get(name="某某街道办事处").kind == DepartmentKind.TOWNSHIP
    centre = Department.objects.get(name="市中区某某中心")
    assert (centre.kind, centre.parent) == (DepartmentKind.AUTHORISED_ORGANISATION, market)


def test_an_invalid_row_names_its_row_column_and_problem(tmp_path: Path) -> None:
    path = write_file(
        tmp_path / "departments.csv",
        HEADER,
        [
            ["", "", "91370402MA3C5ABC1X", "人民政府", "不存在的局"],
            ["市中区某局", "", credit_code("x"), "政府部门", "不存在的局"],
        ],
    )
    run = load("departments", path)
    assert run.status == 1
    errors = run.err.splitlines()
    assert "第 2 行【名称】：必填，不能为空" in errors
    assert any(line.startswith("第 2 行【统一社会信用代码】：") for line in errors)
    assert any(line.startswith("第 2 行【类型】：“人民政府”不是可选值") for line in errors)
    assert (
        "第 3 行【上级单位】：“不存在的局”不是已登记的部门，应填部门名称或统一社会信用代码"
        in errors
    )


def test_the_government_is_not_loaded_from_the_file(tmp_path: Path) -> None:
    path = write_file(
        tmp_path / "departments.csv", HEADER, [["本级政府", "", GOVERNMENT_CODE, "政府部门", ""]]
    )
    run = load("departments", path)
    assert run.status == 1
    assert "第 2 行【统一社会信用代码】：这是本级人民政府的代码" in run.err
    assert Department.objects.get(credit_code=GOVERNMENT_CODE).name == GOVERNMENT


def test_a_parent_below_the_department_itself_is_refused(tmp_path: Path) -> None:
    rows = [
        ["甲局", "", credit_code("a"), "政府部门", ""],
        ["甲局下属所", "", credit_code("b"), "政府部门", "甲局"],
    ]
    load("departments", write_file(tmp_path / "one.csv", HEADER, rows))
    moved = [["甲局", "", credit_code("a"), "政府部门", "甲局下属所"]]
    run = load("departments", write_file(tmp_path / "two.csv", HEADER, moved))
    assert run.status == 1
    assert "第 2 行【上级单位】：上级单位不能是本单位或其下级单位" in run.err


def test_a_rerun_changes_nothing_and_a_changed_row_updates(tmp_path: Path) -> None:
    rows = [["市中区财政局", "财政局", credit_code("finance"), "政府部门", ""]]
    path = write_file(tmp_path / "departments.csv", HEADER, rows, encoding="gbk")
    assert load("departments", path).status == 0
    entries = AuditEntry.objects.count()

    again = load("departments", path)
    assert "新增 0，更新 0，未变化 1" in again.out and "编码 gb18030" in again.out
    assert AuditEntry.objects.count() == entries

    rows[0][1] = "区财政局"
    changed = load("departments", write_file(tmp_path / "changed.csv", HEADER, rows))
    assert "新增 0，更新 1" in changed.out
    assert Department.objects.get(credit_code=credit_code("finance")).short_name == "区财政局"


def test_the_townships_file_has_no_kind_column(tmp_path: Path) -> None:
    header = ["名称", "简称", "统一社会信用代码", "上级单位"]
    rows = [["某某镇人民政府", "某某镇", credit_code("town"), ""]]
    assert load("townships", write_file(tmp_path / "towns.csv", header, rows)).status == 0
    assert Department.objects.get(name="某某镇人民政府").kind == DepartmentKind.TOWNSHIP
