"""Issuing bodies of normative documents from a file (`documents.registers`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chengxin.audit.models import AuditEntry
from chengxin.core.tests.test_organisation_support import (
    DEPARTMENT_HEADER,
    GOVERNMENT,
    credit_code,
    load,
    set_up_district_with_market,
    write_file,
)
from chengxin.documents.choices import BodyKind
from chengxin.documents.models import IssuingBody

pytestmark = pytest.mark.django_db

HEADER = ["名称", "文号代字", "类型", "对应部门", "备案机关", "编号格式", "确认日期"]


@pytest.fixture(autouse=True)
def _district(tmp_path: Path) -> None:
    set_up_district_with_market(tmp_path)


def test_issuing_bodies_are_confirmed(tmp_path: Path) -> None:
    rows = [
        [GOVERNMENT, "市政规", "区政府", "", "枣庄市人民政府", "", ""],
        [
            "市中区市场监督管理局",
            "市市监规",
            "部门",
            credit_code("market"),
            GOVERNMENT,
            "",
            "2024-01-01",
        ],
    ]
    assert load("issuing_bodies", write_file(tmp_path / "bodies.xlsx", HEADER, rows)).status == 0
    market = IssuingBody.objects.get(code="市市监规")
    assert (market.kind, market.department and market.department.name, market.is_confirmed) == (
        BodyKind.DEPARTMENT,
        "市中区市场监督管理局",
        True,
    )
    government = IssuingBody.objects.get(name=GOVERNMENT)
    assert (government.kind, government.department, government.confirmed_on) == (
        BodyKind.DISTRICT_GOVERNMENT,
        None,
        None,
    )


def test_an_invalid_row_names_its_row_column_and_problem(tmp_path: Path) -> None:
    rows = [
        ["甲局", "甲规", "委员会", "不存在的局", "", "", ""],
        ["乙局", "甲规", "部门", "", GOVERNMENT, "{year}号", ""],
    ]
    run = load("issuing_bodies", write_file(tmp_path / "bodies.csv", HEADER, rows))
    assert run.status == 1
    errors = run.err.splitlines()
    assert any(line.startswith("第 2 行【类型】：“委员会”不是可选值") for line in errors)
    assert "第 2 行【备案机关】：必填，不能为空" in errors
    assert any(line.startswith("第 3 行【编号格式】：") for line in errors)
    assert not IssuingBody.objects.exists()


def test_a_rerun_changes_nothing_and_a_new_code_updates(tmp_path: Path) -> None:
    rows = [["甲局", "甲规", "部门", "", GOVERNMENT, "", ""]]
    path = write_file(tmp_path / "bodies.csv", HEADER, rows, encoding="gbk")
    assert load("issuing_bodies", path).status == 0
    entries = AuditEntry.objects.count()
    assert "未变化 1" in load("issuing_bodies", path).out
    assert AuditEntry.objects.count() == entries
    rows[0][1] = "甲局规"
    assert "更新 1" in load("issuing_bodies", write_file(tmp_path / "b.csv", HEADER, rows)).out
    assert IssuingBody.objects.get(name="甲局").code == "甲局规"


REVIEW_HEADER = [*HEADER[:6], "合法性审核机构", HEADER[6]]
JUSTICE = "市中区司法局"


def _justice(tmp_path: Path) -> None:
    row = [JUSTICE, "司法局", credit_code("justice"), "政府部门", ""]
    load("departments", write_file(tmp_path / "justice.csv", DEPARTMENT_HEADER, [row]))


def test_the_reviewing_unit_defaults_to_the_one_115_names(tmp_path: Path) -> None:
    """An empty 合法性审核机构: the justice bureau for the government, the department's own
    法制机构 for a department (国办发〔2018〕115号); a named one is taken as it is."""
    _justice(tmp_path)
    rows = [
        [GOVERNMENT, "市政规", "区政府", "", "枣庄市人民政府", "", "", ""],
        ["市中区市场监督管理局", "市市监规", "部门", credit_code("market"), GOVERNMENT, "", "", ""],
        ["甲局", "甲规", "部门", credit_code("market"), GOVERNMENT, "", JUSTICE, ""],
    ]
    path = write_file(tmp_path / "bodies.csv", REVIEW_HEADER, rows)
    assert load("issuing_bodies", path).status == 0
    units = dict(IssuingBody.objects.values_list("code", "reviewing_unit__name"))
    assert units == {"市政规": JUSTICE, "市市监规": "市中区市场监督管理局", "甲规": JUSTICE}
    assert "未变化 3" in load("issuing_bodies", path).out  # the default is stable on a rerun


def test_an_unknown_reviewing_unit_is_a_row_error(tmp_path: Path) -> None:
    rows = [["甲局", "甲规", "部门", "", GOVERNMENT, "", "不存在的法制机构", ""]]
    run = load("issuing_bodies", write_file(tmp_path / "bodies.csv", REVIEW_HEADER, rows))
    assert run.status == 1
    assert any(line.startswith("第 2 行【合法性审核机构】：") for line in run.err.splitlines())
    assert not IssuingBody.objects.exists()
