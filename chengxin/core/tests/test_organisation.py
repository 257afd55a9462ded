"""`chengxin setup --template/--load`: the district's organisation from files (core.registers).

The kinds' own rules are tested in each app's tests/test_organisation.py; here the command, the
registry, the reports, references within a file and a whole district loaded from its templates.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from chengxin.accounts.choices import DepartmentKind
from chengxin.accounts.models import Department
from chengxin.agencies.models import EnforcementBody
from chengxin.audit.models import AuditEntry
from chengxin.core import registers
from chengxin.core.readers import open_table
from chengxin.core.tests.test_organisation_support import (
    DEPARTMENT_HEADER,
    DISTRICT,
    GOVERNMENT,
    credit_code,
    load,
    set_up_district,
    template,
    write_file,
)
from chengxin.documents.models import IssuingBody
from chengxin.powers.models import PowerItem
from chengxin.screening.models import ListType

pytestmark = pytest.mark.django_db

KINDS = [
    "departments",
    "townships",
    "enforcement_bodies",
    "issuing_bodies",
    "power_items",
    "list_types",
]
HEADER = DEPARTMENT_HEADER


def departments(tmp_path: Path, rows: list[list[str]], name: str = "departments.csv") -> Path:
    return write_file(tmp_path / name, HEADER, rows)


def test_the_kinds_are_listed_in_loading_order() -> None:
    assert [kind.key for kind in registers.setup_registers()] == KINDS
    listed = template("list")
    assert listed.status == 0
    assert [line.split("\t")[0] for line in listed.out.splitlines()] == KINDS


def test_an_unknown_kind_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    set_up_district()
    for run in (template("staff"), load("staff", departments(tmp_path, []))):
        assert run.status == 2
        assert "没有“staff”这种文件" in run.err and "departments" in run.err


@pytest.mark.parametrize("kind", KINDS)
def test_a_template_names_the_installed_district_and_never_the_demo(
    kind: str, tmp_path: Path
) -> None:
    set_up_district()
    printed = template(kind)
    assert printed.status == 0
    assert "台儿庄" not in printed.out and "370405" not in printed.out
    header, example = printed.out.lstrip("\ufeff").splitlines()
    registered = registers.get(kind, setup=True)
    assert header.split(",") == [column.label for column in registered.columns]
    if kind not in ("list_types",):
        assert DISTRICT in example

    written = template(kind, tmp_path / f"{kind}.xlsx")
    assert written.status == 0 and "第 2 行为示例" in written.out
    table = open_table(tmp_path / f"{kind}.xlsx")
    assert table.header == header.split(",")
    assert [",".join(str(cell) for cell in cells) for _n, cells in table.rows] == [example]


def test_loading_before_the_district_is_set_up_is_refused(tmp_path: Path) -> None:
    run = load("departments", departments(tmp_path, []))
    assert run.status == 2
    assert "尚未设置本区县" in run.err and "chengxin setup --region-code" in run.err


def test_an_unreadable_file_exits_2(tmp_path: Path) -> None:
    set_up_district()
    assert load("departments", tmp_path / "missing.csv").status == 2
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "文件为空" in load("departments", empty).err
    no_code = write_file(tmp_path / "no-code.csv", ["名称", "类型"], [["某局", "政府部门"]])
    run = load("departments", no_code)
    assert run.status == 2
    assert "缺少必需的列：统一社会信用代码" in run.err
    assert "--template departments" in run.err
    assert Department.objects.count() == 1  # the government only


def test_valid_rows_go_in_and_rejected_rows_are_reported_by_row_and_column(
    tmp_path: Path,
) -> None:
    set_up_district()
    path = departments(
        tmp_path,
        [
            ["市中区财政局", "财政局", credit_code("finance"), "政府部门", ""],
            ["市中区税务局", "", "123", "政府部门", ""],
            ["市中区教育局", "", credit_code("education"), "学校", ""],
        ],
    )
    report = tmp_path / "rejected.xlsx"

    run = load("departments", path, "--report", str(report))

    assert run.status == 1
    assert "读取 3 行，新增 1，更新 0，未变化 0，拒收 2" in run.out
    lines = run.err.splitlines()
    assert lines[0].startswith("第 3 行【统一社会信用代码】：")
    assert lines[1].startswith(
        "第 4 行【类型】：“学校”不是可选值，应为：政府部门、镇街、法律法规授权组织"
    )
    assert Department.objects.filter(name="市中区财政局").exists()
    table = open_table(report)
    assert table.header == ["原行号", *HEADER, "错误说明（修改后删除本列重新导入）"]
    rows = [cells for _n, cells in table.rows]
    assert [row[0] for row in rows] == [3, 4]
    assert rows[0][1] == "市中区税务局" and "统一社会信用代码" in rows[0][-1]


def test_a_parent_may_come_after_its_child_in_the_file(tmp_path: Path) -> None:
    set_up_district()
    path = departments(
        tmp_path,
        [
            [
                "市中区市场监管局某某所",
                "",
                credit_code("office"),
                "政府部门",
                "市中区市场监督管理局",
            ],
            ["市中区市场监督管理局", "", credit_code("market"), "政府部门", ""],
        ],
    )
    assert load("departments", path).status == 0
    office = Department.objects.get(name="市中区市场监管局某某所")
    assert office.parent is not None and office.parent.name == "市中区市场监督管理局"
    assert office.parent.parent is not None and office.parent.parent.name == GOVERNMENT


def test_a_circle_of_parents_is_a_row_error_for_each_row_of_it(tmp_path: Path) -> None:
    set_up_district()
    path = departments(
        tmp_path,
        [
            ["甲局", "", credit_code("a"), "政府部门", "乙局"],
            ["乙局", "", credit_code("b"), "政府部门", credit_code("a")],
            ["丙局", "", credit_code("c"), "政府部门", "丙局"],
            ["丁局", "", credit_code("d"), "政府部门", "乙局"],
        ],
    )
    run = load("departments", path)
    assert run.status == 1
    assert "第 2 行【上级单位】：本文件第 2、3 行的“上级单位”互相引用，构成循环" in run.err
    assert "第 3 行【上级单位】：本文件第 2、3 行的“上级单位”互相引用，构成循环" in run.err
    assert "第 4 行【上级单位】：不能是本行自身" in run.err
    assert "第 5 行【上级单位】：“乙局”是本文件第 3 行，该行未能导入" in run.err
    assert Department.objects.count() == 1


def test_a_key_repeated_in_the_file_is_rejected(tmp_path: Path) -> None:
    set_up_district()
    code = credit_code("same")
    path = departments(
        tmp_path,
        [["甲局", "", code, "政府部门", ""], ["乙局", "", code.lower(), "政府部门", ""]],
    )
    run = load("departments", path)
    assert run.status == 1
    assert run.err.strip() == "第 3 行【统一社会信用代码】：与第 2 行的统一社会信用代码相同"


def test_every_write_is_in_the_audit_log_as_the_systems(tmp_path: Path) -> None:
    set_up_district()
    load("departments", departments(tmp_path, [["甲局", "", credit_code("a"), "政府部门", ""]]))
    entry = AuditEntry.objects.get(
        object_type="accounts.department", action="created", object_repr="甲局"
    )
    assert entry.reason == "command line: setup --load departments"
    assert entry.actor is None


def test_a_whole_district_loads_from_the_templates_it_filled_in(tmp_path: Path) -> None:
    """Another district than the demo's: each template written, filled in and loaded."""
    set_up_district()
    extra_rows = {
        "departments": [["市中区司法局", "司法局", credit_code("justice"), "政府部门", ""]],
        "townships": [["某某镇人民政府", "某某镇", credit_code("town"), ""]],
    }
    for kind in KINDS:
        template_path = tmp_path / f"{kind}-template.xlsx"
        template(kind, template_path)
        table = open_table(template_path)
        rows = [[str(cell) for cell in cells] for _n, cells in table.rows]
        filled = write_file(
            tmp_path / f"{kind}.xlsx", table.header, rows + extra_rows.get(kind, [])
        )
        run = load(kind, filled)
        assert run.status == 0, run.err

    market = Department.objects.get(name="市中区市场监督管理局")
    assert market.parent is not None and market.parent.name == GOVERNMENT
    assert Department.objects.get(name="某某镇人民政府").kind == DepartmentKind.TOWNSHIP
    assert EnforcementBody.objects.get(name="市中区市场监督管理局").department == market
    issuing = IssuingBody.objects.get(name="市中区市场监督管理局")
    assert (issuing.code, issuing.department, issuing.filing_authority) == (
        "市市监规",
        market,
        GOVERNMENT,
    )
    assert PowerItem.objects.get(code="CF-0001").implementing_department == market
    assert ListType.objects.filter(code="construction_market").exists()


def test_a_template_on_stdout_is_csv_excel_reads_as_utf8() -> None:
    set_up_district()
    out = template("departments").out
    assert out.startswith("\ufeff名称,")
    assert io.StringIO(out).read().count("\n") == 2
