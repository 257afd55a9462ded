"""The timeliness dashboards: who sees which department, what they show, what they cost."""

from __future__ import annotations

import datetime
import json
import random
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chengxin.accounts.choices import Role
from chengxin.core.tests.fixtures import PASSWORD
from chengxin.publicity import samples
from chengxin.publicity.choices import RecordKind, Timeliness
from chengxin.publicity.importing import RecordImporter
from chengxin.publicity.models import LicenseRecord, PenaltyRecord
from chengxin.publicity.tests.test_stats import make_batch, make_record

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("publicity_timeliness:dashboard")
SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def department_url(department) -> str:
    return reverse("publicity_timeliness:department", args=[department.pk])


def today() -> datetime.date:
    return timezone.localdate()


def chart_data(response) -> dict:
    match = re.search(
        r'<script id="chart-data" type="application/json">(.*?)</script>', response.content.decode()
    )
    assert match, "the chart data block is missing"
    return json.loads(match.group(1))


def import_penalties(department, count: int, seed: int) -> None:
    importer = RecordImporter(RecordKind.PENALTY, department)
    importer.set_header(samples.header(RecordKind.PENALTY))
    rows = samples.sample_rows(
        random.Random(seed),
        RecordKind.PENALTY,
        count,
        (department.name, department.credit_code),
        start=today() - datetime.timedelta(days=300),
        end=today(),
        first_serial=seed * 1000,
    )
    cells = [(n, samples.as_cells(RecordKind.PENALTY, row)) for n, row in enumerate(rows, 2)]
    assert importer.process(cells).created == count


# --- who sees what --------------------------------------------------------------------------


def test_credit_admin_sees_every_department_with_district_totals(
    client, make_user, make_department
):
    first, second = make_department(short_name="市场监管"), make_department(short_name="生态环境")
    make_record(PenaltyRecord, first, today(), Timeliness.ON_TIME)
    make_record(PenaltyRecord, first, today(), Timeliness.LATE)
    make_record(LicenseRecord, second, today(), Timeliness.ON_TIME)
    client.force_login(make_user(Role.CREDIT_ADMIN))

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{department_url(first)}"' in html
    assert f'href="{department_url(second)}"' in html
    rows = {row.department.pk: row for row in response.context["rows"]}
    assert rows[first.pk].year.late == 1
    assert rows[first.pk].year.on_time_rate == 50
    assert rows[second.pk].licenses.month.total == 1
    totals = response.context["totals"]
    assert totals["year"].total == 3
    assert totals["year"].on_time_rate == Decimal("66.7")
    assert "全区合计" in html


def test_inactive_departments_are_listed_only_while_they_have_figures(
    client, make_user, make_department
) -> None:
    closed_with_records = make_department(is_active=False)
    closed_without = make_department(is_active=False)
    make_record(PenaltyRecord, closed_with_records, today(), Timeliness.ON_TIME)
    client.force_login(make_user(Role.CREDIT_ADMIN))

    listed = {row.department for row in client.get(DASHBOARD).context["rows"]}

    assert closed_with_records in listed
    assert closed_without not in listed


def test_credit_admin_drills_down_to_any_department(client, make_user, make_department) -> None:
    department = make_department()
    client.force_login(make_user(Role.CREDIT_ADMIN))

    response = client.get(department_url(department))

    assert response.status_code == 200
    assert response.context["department"] == department
    assert f'href="{DASHBOARD}"' in response.content.decode()  # breadcrumb back to the district


def test_reporter_is_sent_to_their_own_department(client, make_user, make_department) -> None:
    department = make_department()
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=department))

    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"] == department_url(department)


def test_reporter_sees_own_department_only(client, make_user, make_department) -> None:
    mine, other = make_department(), make_department()
    make_record(PenaltyRecord, other, today(), Timeliness.LATE)
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=mine))

    own = client.get(department_url(mine))
    foreign = client.get(department_url(other))

    assert own.status_code == 200
    assert own.context["year_total"].total == 0  # the other department's record is not counted
    assert foreign.status_code == 403


def test_missing_department_is_404(client, make_user) -> None:
    client.force_login(make_user(Role.CREDIT_ADMIN))

    assert client.get(reverse("publicity_timeliness:department", args=[999_999])).status_code == 404


def test_roles_without_records_get_403(client, make_user, make_department) -> None:
    department = make_department()
    client.force_login(make_user(Role.CREDIT_CHECKER, department=department))

    assert client.get(DASHBOARD).status_code == 403
    assert client.get(department_url(department)).status_code == 403


def test_dashboard_needs_a_login(client) -> None:
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- what a department's page shows ---------------------------------------------------------


def test_department_page_lists_late_records_only(client, make_user, make_department) -> None:
    department = make_department()
    late = make_record(
        PenaltyRecord,
        department,
        today(),
        Timeliness.LATE,
        deadline=datetime.date(2026, 1, 12),
        subject_name="迟报主体",
    )
    on_time = make_record(PenaltyRecord, department, today(), Timeliness.ON_TIME)
    provisional = make_record(LicenseRecord, department, today(), Timeliness.PROVISIONAL)
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=department))

    response = client.get(department_url(department))

    html = response.content.decode()
    assert [row.decision_number for row in response.context["late_rows"]] == [late.decision_number]
    assert "迟报主体" in html and "2026-01-12" in html
    assert on_time.decision_number not in html
    assert provisional.decision_number not in html
    year = response.context["year_total"]
    assert (year.total, year.on_time, year.late, year.provisional) == (3, 1, 1, 1)
    assert year.on_time_rate == 50  # the provisional record is not counted as late


def test_department_page_shows_the_rejected_row_rate(client, make_user, make_department) -> None:
    department, other = make_department(), make_department()
    make_batch(department, 200, 10)
    make_batch(other, 100, 100)
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=department))

    response = client.get(department_url(department))

    assert response.context["quality_year"].rejected_rate == 5
    assert response.context["quality_month"].rows_read == 200


def test_chart_data_covers_twelve_months(client, make_user, make_department) -> None:
    department = make_department()
    make_record(PenaltyRecord, department, today(), Timeliness.ON_TIME)
    make_record(PenaltyRecord, department, today(), Timeliness.LATE)
    make_record(LicenseRecord, department, today(), Timeliness.PROVISIONAL)
    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=department))

    data = chart_data(client.get(department_url(department)))

    assert len(data["months"]) == 12
    assert data["months"][-1] == f"{today():%Y-%m}"
    assert data["penalties"][-1] == 2 and data["licenses"][-1] == 1
    assert data["onTimeRate"][-1] == 50.0
    assert data["onTimeRate"][0] is None  # no verdict that month: a gap, not 0 %


def test_pages_have_no_inline_script_or_style(client, make_user, make_department) -> None:
    """The CSP forbids both: the chart data is a JSON block, sizes are set from charts.js."""
    department = make_department()
    make_record(PenaltyRecord, department, today(), Timeliness.LATE)
    client.force_login(make_user(Role.CREDIT_ADMIN))

    for url in (DASHBOARD, department_url(department), reverse("publicity_timeliness:export")):
        html = client.get(url).content.decode()
        assert " style=" not in html
        for tag in re.findall(r"<script[^>]*>", html):
            assert " src=" in tag or 'type="application/json"' in tag, tag


def test_export_link_only_for_those_who_may_export(client, make_user, make_department) -> None:
    department = make_department()
    export_url = reverse("publicity_timeliness:export")
    client.force_login(make_user(Role.CREDIT_ADMIN))
    assert export_url in client.get(department_url(department)).content.decode()

    client.force_login(make_user(Role.DEPARTMENT_REPORTER, department=department))
    assert export_url not in client.get(department_url(department)).content.decode()


# --- cost -----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["district", "department"])
def test_query_count_does_not_grow_with_records(
    client, make_user, make_department, django_assert_max_num_queries, page
) -> None:
    department, other = make_department(), make_department()
    client.force_login(make_user(Role.CREDIT_ADMIN))
    url = DASHBOARD if page == "district" else department_url(department)
    import_penalties(department, 3, seed=1)
    make_record(PenaltyRecord, department, today(), Timeliness.LATE)
    make_batch(department, 10, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    import_penalties(department, 60, seed=2)
    import_penalties(other, 60, seed=3)
    for _ in range(5):
        make_record(PenaltyRecord, department, today(), Timeliness.LATE)
        make_batch(department, 10, 1)
    make_department()

    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200
    counted = sum(month["penalties"].total for month in response.context["months"])
    shown = (
        PenaltyRecord.objects.all()
        if page == "district"
        else PenaltyRecord.objects.filter(department=department)
    )
    assert counted == shown.count()  # every record counted, in the same number of queries


# --- in a browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_charts_draw_without_csp_errors(page, live_server, make_user, make_department) -> None:
    department = make_department()
    import_penalties(department, 30, seed=4)
    make_record(LicenseRecord, department, today(), Timeliness.ON_TIME)
    make_user(Role.CREDIT_ADMIN, username="credit")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("credit")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/staff/")

    page.goto(live_server.url + DASHBOARD)

    page.wait_for_selector(".chart canvas")
    assert page.locator(".chart canvas").count() == 2
    heights = page.evaluate(
        "Array.from(document.querySelectorAll('.chart')).map(e => e.getBoundingClientRect().height)"
    )
    assert heights == [320, 320]
    page.locator(".chart").first.hover()  # the tooltip must not need inline styles either
    assert page.console_errors == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "publicity-dashboard.png", full_page=True)
