"""A department's (or township's) own annual report is composed from its own figures."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from chengxin.accounts.choices import DepartmentKind, Role
from chengxin.accounts.models import Department, User
from chengxin.publicity.choices import Timeliness
from chengxin.publicity.models import LicenseRecord, PenaltyRecord
from chengxin.reports import actions
from chengxin.reports.collect import collect
from chengxin.reports.tests.conftest import make_record

pytestmark = pytest.mark.django_db

YEAR = 2025  # a past year: every verdict is final, whatever today is


@pytest.fixture
def market(make_department: Callable[..., Department]) -> Department:
    return make_department(name="台儿庄区市场监督管理局", short_name="区市场监管局")


@pytest.fixture
def transport(make_department: Callable[..., Department]) -> Department:
    return make_department(name="台儿庄区交通运输局", short_name="区交通运输局")


@pytest.fixture
def records(market: Department, transport: Department) -> None:
    make_record(LicenseRecord, market, datetime.date(YEAR, 1, 1))  # the year's first day
    make_record(LicenseRecord, market, datetime.date(YEAR, 12, 31))  # and its last
    make_record(LicenseRecord, market, datetime.date(YEAR, 6, 1), Timeliness.LATE)
    make_record(LicenseRecord, market, datetime.date(YEAR + 1, 1, 1))  # next year's
    for day in range(1, 6):
        make_record(LicenseRecord, transport, datetime.date(YEAR, 3, day))
    make_record(PenaltyRecord, transport, datetime.date(YEAR, 4, 1), Timeliness.LATE)


def values(department: Department | None) -> dict[str, object]:
    content = collect(YEAR, department=department)
    return {f.key: f.value for chapter in content.chapters for f in chapter.figures}


def test_a_departments_figures_are_its_own_and_not_the_districts(
    records: None, market: Department
) -> None:
    own, district = values(market), values(None)
    assert own["publicity.licenses"] == 3 and district["publicity.licenses"] == 8
    assert own["publicity.penalties"] == 0 and district["publicity.penalties"] == 1
    assert own["publicity.licenses_late"] == 1
    assert own["publicity.on_time_rate"] != district["publicity.on_time_rate"]
    # The exports for the upper platform are the district's: not in a department's report.
    assert "publicity.exports" not in own and "publicity.exports" in district


def test_a_departments_figures_equal_the_lists_they_link_to(
    records: None, market: Department, make_user: Callable[..., User]
) -> None:
    office = make_user(Role.RULE_OF_LAW_ADMIN)  # sees every department's records
    report = actions.create_draft(YEAR, actor=office, department=market)
    document = actions.document_for(report, links=True)
    linked = [run for run in document.figure_runs() if run.url]
    assert {run.key for run in linked} >= {"publicity.licenses", "publicity.licenses_late"}
    client = Client()
    client.force_login(office)
    for run in linked:
        assert f"department={market.pk}" in run.url, run.url
        page = client.get(run.url)
        assert page.status_code == 200, run.url
        assert page.context["page"].paginator.count == int(run.text), (run.key, run.url)
    text = "".join(p.text for b in document.parts[0].blocks for p in b.paragraphs)
    assert "全年上报行政许可信息3条" in text and "8条" not in text


def test_a_department_without_rows_reads_zero_and_no_rate(
    records: None, make_department: Callable[..., Department]
) -> None:
    township = make_department(name="台儿庄区马兰屯镇人民政府", kind=DepartmentKind.TOWNSHIP)
    own = values(township)
    assert own["publicity.licenses"] == 0 and own["publicity.penalties"] == 0
    assert own["publicity.on_time_rate"] is None  # 无数据, not the district's rate
