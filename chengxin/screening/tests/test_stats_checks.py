"""The credit office's figures (触发 → 响应 → 反馈) against a hand-made set of checks."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.screening import stats
from chengxin.screening.actions import check_subjects, record_feedback
from chengxin.screening.matching import Subject
from chengxin.screening.models import CreditCheck, ListEntry

PAGE = "/staff/screening/statistics/"
# 2026-09-30 is the Wednesday before the National Day holiday (10-01 … 10-07 off, 10-10 a
# make-up workday): a hit checked that day is due on 10-10, overdue from 10-11.
CHECKED_ON = datetime.date(2026, 9, 30)


def run(user: User, scenario: Any, code: str, *subjects: Subject) -> list[CreditCheck]:
    return check_subjects(
        list(subjects),
        department=user.department,
        scenario=scenario(code),
        matter="事项",
        actor=user,
        channel="batch" if len(subjects) > 1 else "web",
        on=CHECKED_ON,
    )


@pytest.fixture
def figures_set(
    checker: User,
    scenario: Any,
    make_entry: Callable[..., ListEntry],
    make_user: Callable[..., User],
    make_department: Callable[..., Department],
) -> dict[str, Any]:
    """Department A (the checker's): procurement 1 hit + 1 candidate + 1 clear; bidding 1 hit
    with feedback (taken). Department B: procurement 1 hit, no feedback."""
    listed = make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")
    other = make_user(
        Role.CREDIT_CHECKER, department=make_department(name="台儿庄区公共资源交易中心")
    )
    run(
        checker,
        scenario,
        "government_procurement",
        Subject(credit_code=listed.credit_code),
        Subject(name="枣庄市台儿庄区华兴建财有限公司"),
        Subject(name="枣庄市台儿庄区永安商贸有限公司"),
    )
    (answered,) = run(checker, scenario, "bidding", Subject(credit_code=listed.credit_code))
    record_feedback(answered, actor=checker, taken=True)
    run(other, scenario, "government_procurement", Subject(credit_code=listed.credit_code))
    return {"a": checker.department, "b": other.department, "other": other}


def today_period() -> stats.Period:
    today = timezone.localdate()
    return stats.Period(today, today)


def test_figures_per_department_and_scenario(figures_set: dict[str, Any]) -> None:
    rows = stats.figures_by_department_and_scenario(
        CreditCheck.objects.all(), today_period(), on=datetime.date(2026, 10, 10)
    )
    table = {(r.department, r.scenario): r.figures for r in rows}
    a, b = figures_set["a"].name, figures_set["b"].name
    assert table == {
        (a, "政府采购"): stats.Figures(3, 1, 1, 0, 0, 1, 0),
        (a, "招标投标"): stats.Figures(1, 1, 0, 1, 0, 1, 1),
        (b, "政府采购"): stats.Figures(1, 1, 0, 0, 0, 1, 0),
    }
    assert table[(a, "政府采购")].hit_rate == Decimal("33.3")
    total = stats.total(rows)
    assert (total.checks, total.hits, total.hit_rate) == (5, 3, Decimal("60.0"))
    assert total.feedback_rate == Decimal("33.3") and total.measures_applied == 1
    assert dict(stats.by_department(rows))[a] == stats.Figures(4, 2, 1, 1, 0, 2, 1)


def test_overdue_counts_working_days_across_the_holiday(figures_set: dict[str, Any]) -> None:
    checks = CreditCheck.objects.all()

    def overdue(on: datetime.date) -> int:
        rows = stats.figures_by_department_and_scenario(checks, today_period(), on=on)
        listed = stats.overdue_checks(checks, today_period(), on=on, limit=50)
        assert len(listed) == stats.total(rows).overdue
        return stats.total(rows).overdue

    # Weekday arithmetic would say 10-05; the official calendar says 10-10 (a make-up Saturday).
    assert overdue(datetime.date(2026, 10, 5)) == 0
    assert overdue(datetime.date(2026, 10, 10)) == 0
    assert (
        overdue(datetime.date(2026, 10, 11)) == 2
    )  # A's procurement hit and B's; not the answered


def test_the_period_counts_checks_by_their_date(figures_set: dict[str, Any]) -> None:
    CreditCheck.objects.filter(department=figures_set["b"]).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    rows = stats.figures_by_department_and_scenario(
        CreditCheck.objects.all(), today_period(), on=CHECKED_ON
    )
    assert stats.total(rows).checks == 4 and {r.department for r in rows} == {figures_set["a"].name}


def test_the_dashboard_per_role(
    client: Client, figures_set: dict[str, Any], checker: User, make_user: Callable[..., User]
) -> None:
    client.force_login(make_user(Role.CREDIT_ADMIN))
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert figures_set["a"].name in page and figures_set["b"].name in page
    assert response.context["total"].checks == 5
    # The checks were run "on" 09-30 but today is later: all unanswered hits are overdue now.
    assert len(response.context["overdue"]) == 2 and "下载统计数据" in page

    client.force_login(checker)
    response = client.get(PAGE)
    assert response.context["total"].checks == 4
    assert figures_set["b"].name not in response.content.decode()


def test_the_date_range_filter(client: Client, figures_set: dict[str, Any], make_user) -> None:
    client.force_login(make_user(Role.CREDIT_ADMIN))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.get(PAGE, {"date_from": tomorrow.isoformat()})
    assert response.context["total"].checks == 0 and response.context["overdue"] == []
    response = client.get(PAGE, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_csv_download(client: Client, figures_set: dict[str, Any], make_user) -> None:
    client.force_login(make_user(Role.CREDIT_ADMIN))
    response = client.get("/staff/screening/statistics.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][:5] == ["核查单位", "业务场景", "核查数", "命中数", "命中率（%）"]
    a = figures_set["a"].name
    assert [a, "政府采购", "3", "1", "33.3", "1", "0", "0.0"] in [row[:8] for row in rows]
    assert rows[-1][:5] == ["合计", "", "5", "3", "60.0"]
    client.force_login(make_user(Role.DEPARTMENT_REPORTER))
    assert client.get("/staff/screening/statistics.csv").status_code == 403


def test_dashboard_query_count_does_not_grow(
    client: Client,
    checker: User,
    scenario: Any,
    make_entry: Callable[..., ListEntry],
    make_user: Callable[..., User],
    django_assert_max_num_queries: Any,
) -> None:
    listed = make_entry()
    run(checker, scenario, "bidding", Subject(credit_code=listed.credit_code))
    client.force_login(make_user(Role.CREDIT_ADMIN))
    client.get(PAGE)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    for _ in range(5):
        other = make_user(Role.CREDIT_CHECKER)
        run(
            other,
            scenario,
            "government_procurement",
            *(Subject(credit_code=listed.credit_code) for _ in range(3)),
        )
    with django_assert_max_num_queries(len(few)):
        response = client.get(PAGE)
    assert response.context["total"].checks == 16 and len(response.context["overdue"]) == 16
