"""Enforcement bodies from a file (`agencies.registers`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chengxin.accounts.models import Department
from chengxin.agencies.choices import BodyKind, BodyStatus, EventType, Sector
from chengxin.agencies.models import AgencyEvent, EnforcementBody
from chengxin.core.tests.test_organisation_support import (
    credit_code,
    load,
    set_up_district_with_market,
    write_file,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "名称",
    "统一社会信用代码",
    "主体类型",
    "委托机关",
    "执法依据",
    "执法领域",
    "执法地域",
    "确认文件",
    "确认日期",
    "对应部门",
]


def body(
    name: str, seed: str, kind: str = "法定", entrusting: str = "", department: str = ""
) -> list[str]:
    return [
        name,
        credit_code(seed),
        kind,
        entrusting,
        "《中华人民共和国行政处罚法》",
        "市场监管",
        "市中区",
        "市中区人民政府关于公布行政执法主体的通知",
        "2024/1/1",
        department,
    ]


@pytest.fixture(autouse=True)
def _district(tmp_path: Path) -> None:
    set_up_district_with_market(tmp_path)


def test_bodies_are_confirmed_with_their_department_and_entrusting_body(tmp_path: Path) -> None:
    rows = [
        body(
            "市中区某某执法中队", "squad", "受委托", "市中区市场监督管理局"
        ),  # named before it comes
        body("市中区市场监督管理局", "market", department=credit_code("market")),
    ]
    run = load("enforcement_bodies", write_file(tmp_path / "bodies.xlsx", HEADER, rows))
    assert run.status == 0, run.err

    market = EnforcementBody.objects.get(credit_code=credit_code("market"))
    assert (market.kind, market.status, market.department and market.department.name) == (
        BodyKind.STATUTORY,
        BodyStatus.ACTIVE,
        "市中区市场监督管理局",
    )
    squad = EnforcementBody.objects.get(name="市中区某某执法中队")
    assert squad.entrusting_body == market
    assert AgencyEvent.objects.filter(type=EventType.BODY_CONFIRMED).count() == 2


def test_the_models_rules_reject_a_row_by_its_column(tmp_path: Path) -> None:
    rows = [
        body("市中区某某执法中队", "squad", "受委托"),
        body("市中区某某局", "bureau", "法定", department="不存在的局"),
        [*body("市中区某某所", "office", "法定")[:8], "2024-13-01", ""],
    ]
    run = load("enforcement_bodies", write_file(tmp_path / "bodies.csv", HEADER, rows))
    assert run.status == 1
    errors = run.err.splitlines()
    assert "第 2 行【委托机关】：受委托组织必须填写委托机关。" in errors
    assert (
        "第 3 行【对应部门】：“不存在的局”不是已登记的部门，应填部门名称或统一社会信用代码"
        in errors
    )
    assert "第 4 行【确认日期】：日期格式不正确，应为 YYYY-MM-DD 或 YYYY/MM/DD" in errors
    assert not EnforcementBody.objects.exists()


def test_a_rerun_changes_nothing(tmp_path: Path) -> None:
    path = write_file(
        tmp_path / "bodies.csv", HEADER, [body("市中区某某局", "bureau")], encoding="gbk"
    )
    assert load("enforcement_bodies", path).status == 0
    events = AgencyEvent.objects.count()
    assert "未变化 1" in load("enforcement_bodies", path).out
    assert AgencyEvent.objects.count() == events

    changed = body("市中区某某局", "bureau")
    changed[5] = "市场监管、知识产权"
    run = load("enforcement_bodies", write_file(tmp_path / "changed.csv", HEADER, [changed]))
    assert "更新 1" in run.out
    assert AgencyEvent.objects.filter(type=EventType.BODY_CHANGED).count() == 1


WITH_REVIEW = [*HEADER, "执法领域类别", "法制审核机构"]


def test_the_sector_and_reviewing_unit_are_loaded_and_an_empty_sector_keeps_the_known_one(
    tmp_path: Path,
) -> None:
    """国办发〔2018〕118号: a body's reviewing unit may be other than its own department's."""
    justice = Department.objects.create(name="市中区司法局")
    row = [*body("市中区市场监督管理局", "market"), "市场监管", "市中区司法局"]
    assert (
        load("enforcement_bodies", write_file(tmp_path / "a.csv", WITH_REVIEW, [row])).status == 0
    )
    market = EnforcementBody.objects.get(credit_code=credit_code("market"))
    assert (market.sector, market.legal_review_department) == (Sector.MARKET_REGULATION, justice)

    row[-2:] = ["", ""]  # boundary: empty cells
    assert (
        load("enforcement_bodies", write_file(tmp_path / "b.csv", WITH_REVIEW, [row])).status == 0
    )
    market.refresh_from_db()
    assert (market.sector, market.legal_review_department) == (Sector.MARKET_REGULATION, None)


def test_an_unknown_sector_or_reviewing_unit_is_named_by_row_and_column(tmp_path: Path) -> None:
    rows = [
        [*body("市中区某某局", "bureau"), "林业", ""],
        [*body("市中区某某所", "office"), "", "不存在的司法局"],
    ]
    run = load("enforcement_bodies", write_file(tmp_path / "bad.csv", WITH_REVIEW, rows))
    assert run.status == 1
    errors = run.err.splitlines()
    assert any(line.startswith("第 2 行【执法领域类别】：“林业”不是可选值") for line in errors)
    assert any(
        line.startswith("第 3 行【法制审核机构】：“不存在的司法局”不是已登记的部门")
        for line in errors
    )
    assert not EnforcementBody.objects.exists()
