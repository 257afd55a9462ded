"""The open statistics page (公开统计): its figures, CSV downloads, markup and cost."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chengxin.portal import statistics
from chengxin.publicity import stats
from chengxin.publicity.choices import RecordStatus, Timeliness
from chengxin.publicity.models import LicenseRecord, PenaltyRecord
from chengxin.publicity.tests.test_stats import make_record

pytestmark = pytest.mark.django_db

ON_TIME, LATE, PROVISIONAL = Timeliness.ON_TIME, Timeliness.LATE, Timeliness.PROVISIONAL
DAY = datetime.date(2026, 5, 20)
PAGE = reverse("portal_statistics:page")
CSV_URL = reverse("portal_statistics:csv")


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """The figures are cached for ten minutes: no test may see another's."""
    cache.clear()
    yield
    cache.clear()


def today() -> datetime.date:
    return timezone.localdate()


def month(figures: statistics.Statistics, label: str) -> statistics.MonthRow:
    return next(row for row in figures.months if row.month == label)


def categories(rows: list[statistics.CategoryRow]) -> dict[str, int]:
    return {row.category: row.count for row in rows}


def download(client, table: str) -> list[list[str]]:
    response = client.get(CSV_URL, {"table": table})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def chart_data(html: str) -> dict:
    match = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html)
    assert match, "the chart data block is missing"
    return json.loads(match.group(1))


# --- the figures ----------------------------------------------------------------------------


def test_monthly_series_counts_published_records_by_decision_month(make_department) -> None:
    department = make_department()
    may = datetime.date(2026, 5, 4)
    make_record(LicenseRecord, department, may)
    make_record(PenaltyRecord, department, may)
    make_record(PenaltyRecord, department, datetime.date(2026, 3, 31))
    make_record(PenaltyRecord, department, datetime.date(2025, 5, 31))  # 13 months back
    for status in (RecordStatus.WITHDRAWN, RecordStatus.SUBMITTED, RecordStatus.DRAFT):
        make_record(PenaltyRecord, department, may, status=status)

    figures = statistics.compute(DAY)

    assert [row.month for row in figures.months][::11] == ["2025-06", "2026-05"]
    assert len(figures.months) == 12
    may_row = month(figures, "2026-05")
    assert (may_row.licenses.total, may_row.penalties.total) == (1, 1)
    assert month(figures, "2026-03").penalties.total == 1
    assert month(figures, "2026-04").both == stats.TimelinessCounts()


def test_on_time_rate_excludes_provisional_verdicts(make_department) -> None:
    department = make_department()
    for verdict in (ON_TIME, ON_TIME, LATE, PROVISIONAL, PROVISIONAL):
        make_record(PenaltyRecord, department, datetime.date(2026, 5, 4), verdict)
    make_record(LicenseRecord, department, datetime.date(2026, 5, 5), ON_TIME)
    make_record(
        LicenseRecord, department, datetime.date(2026, 5, 6), LATE, status=RecordStatus.WITHDRAWN
    )

    may = month(statistics.compute(DAY), "2026-05")

    assert may.both == stats.TimelinessCounts(total=6, on_time=3, late=1, provisional=2)
    assert may.both.on_time_rate == Decimal("75.0")  # 3 / (3 + 1), not 3 / 6
    assert month(statistics.compute(DAY), "2026-04").both.on_time_rate is None


def test_departments_count_the_current_year_most_records_first(make_department) -> None:
    small, large = make_department(name="乙局"), make_department(name="甲局")
    withdrawn_only = make_department()
    make_record(LicenseRecord, small, datetime.date(2026, 2, 1))
    make_record(LicenseRecord, large, datetime.date(2026, 1, 1))
    make_record(PenaltyRecord, large, datetime.date(2026, 5, 20))
    make_record(PenaltyRecord, large, datetime.date(2025, 12, 31))  # last year
    make_record(PenaltyRecord, withdrawn_only, DAY, status=RecordStatus.WITHDRAWN)

    rows = statistics.compute(DAY).departments

    assert [(row.name, row.licenses, row.penalties, row.total) for row in rows] == [
        ("甲局", 1, 1, 2),
        ("乙局", 1, 0, 1),
    ]


def test_a_penalty_with_two_categories_counts_in_both(make_department) -> None:
    department = make_department()
    decided = datetime.date(2026, 3, 1)
    make_record(PenaltyRecord, department, decided, penalty_categories="警告;罚款")
    make_record(PenaltyRecord, department, decided, penalty_categories="罚款")
    make_record(PenaltyRecord, department, decided, penalty_categories="罚款")
    make_record(PenaltyRecord, department, decided, penalty_categories="罚款；罚款")
    # 、 inside a category's own name in the law does not split it.
    make_record(PenaltyRecord, department, decided, penalty_categories="没收违法所得、没收非法财物")
    make_record(
        PenaltyRecord,
        department,
        decided,
        penalty_categories="警告",
        status=RecordStatus.WITHDRAWN,
    )

    rows = statistics.compute(DAY).penalty_categories

    assert [(row.category, row.count) for row in rows] == [
        ("罚款", 4),
        ("没收违法所得、没收非法财物", 1),  # equal counts: in the order of the text
        ("警告", 1),
    ]


def test_license_categories_with_blank_ones_last(make_department) -> None:
    department = make_department()
    for category in ("普通", "普通", "其他-备案", ""):
        make_record(LicenseRecord, department, datetime.date(2026, 4, 1), license_category=category)
    make_record(LicenseRecord, department, datetime.date(2025, 4, 1), license_category="特许")

    rows = statistics.compute(DAY).license_categories

    assert [(row.category, row.count) for row in rows] == [("普通", 2), ("其他-备案", 1), ("", 1)]


def test_figures_are_cached(make_department, django_assert_num_queries) -> None:
    department = make_department()
    make_record(PenaltyRecord, department, today())
    first = statistics.current()
    make_record(PenaltyRecord, department, today())

    with django_assert_num_queries(0):
        again = statistics.current()

    assert again == first
    cache.clear()
    assert statistics.current().months[-1].penalties.total == 2


# --- CSV ------------------------------------------------------------------------------------


def test_csv_of_the_months(client, make_department) -> None:
    department = make_department()
    make_record(PenaltyRecord, department, today(), ON_TIME)
    make_record(PenaltyRecord, department, today(), LATE)
    make_record(LicenseRecord, department, today(), PROVISIONAL)

    rows = download(client, "months")

    assert rows[0] == ["月份", "行政许可", "行政处罚", "按时", "超时", "暂定", "按时率（%）"]
    assert len(rows) == 13
    assert rows[-1] == [f"{today():%Y-%m}", "1", "2", "1", "1", "1", "50.0"]
    assert rows[1][-1] == ""  # no verdict that month: empty, not 0


def test_csv_of_the_departments_ends_with_the_total(client, make_department) -> None:
    one, two = make_department(name="甲局"), make_department(name="乙局")
    make_record(LicenseRecord, one, today())
    make_record(PenaltyRecord, one, today())
    make_record(PenaltyRecord, two, today())

    rows = download(client, "departments")

    assert rows == [
        ["单位", "行政许可", "行政处罚", "合计"],
        ["甲局", "1", "1", "2"],
        ["乙局", "0", "1", "1"],
        ["合计", "1", "2", "3"],
    ]


def test_csv_of_the_categories(client, make_department) -> None:
    department = make_department()
    make_record(PenaltyRecord, department, today(), penalty_categories="警告;罚款")
    make_record(LicenseRecord, department, today(), license_category="")

    assert download(client, "penalty_categories")[1:] == [["罚款", "1"], ["警告", "1"]]
    assert download(client, "license_categories") == [["许可类别", "行政许可"], ["未注明", "1"]]


@pytest.mark.parametrize("name", ["=HYPERLINK(1)", "+1", "-1", "@SUM(A1)"])
def test_csv_neutralises_formula_cells(client, make_department, name) -> None:
    department = make_department(name=name)
    make_record(PenaltyRecord, department, today(), penalty_categories=name)
    make_record(LicenseRecord, department, today(), license_category=name)

    for table in ("departments", "license_categories", "penalty_categories"):
        assert download(client, table)[1][0] == "'" + name


@pytest.mark.parametrize("table", ["", "records", "../months"])
def test_csv_of_an_unknown_table_is_not_found(client, table) -> None:
    assert client.get(CSV_URL, {"table": table}).status_code == 404


# --- the page -------------------------------------------------------------------------------


def test_page_shows_the_figures_without_login(client, make_department) -> None:
    department = make_department(short_name="甲局")
    make_record(PenaltyRecord, department, today(), ON_TIME, penalty_categories="警告;罚款")
    make_record(LicenseRecord, department, today(), LATE, license_category="普通")

    response = client.get(PAGE)

    assert response.status_code == 200
    data = chart_data(response.content.decode())
    assert data["months"][-1] == f"{today():%Y-%m}"
    assert (data["licenses"][-1], data["penalties"][-1], data["onTimeRate"][-1]) == (1, 1, 50.0)
    assert data["departments"] == {"names": ["甲局"], "licenses": [1], "penalties": [1]}
    assert data["licenseCategories"] == {"names": ["普通"], "counts": [1]}
    assert data["penaltyCategories"] == {"names": ["罚款", "警告"], "counts": [1, 1]}


def test_page_markup_is_accessible_and_csp_safe(client, make_department) -> None:
    department = make_department()
    make_record(PenaltyRecord, department, today())
    make_record(LicenseRecord, department, today())

    html = client.get(PAGE).content.decode()

    assert " style=" not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert " src=" in tag or 'type="application/json"' in tag, tag
    assert "vendor/echarts/echarts.min.js" in html and "portal/statistics.js" in html
    # Each chart has its data as a table in a <details>, with a caption and scoped headers.
    assert html.count('class="chart"') == 5
    assert html.count("<details>") == html.count("<caption>") == 4
    assert 'scope="col"' in html and 'scope="row"' in html
    for table in statistics_tables():
        assert f"{CSV_URL}?table={table}" in html


def test_page_without_records_has_tables_but_no_empty_charts(client) -> None:
    html = client.get(PAGE).content.decode()

    assert html.count('class="chart"') == 2  # the twelve months, all zero
    assert html.count("暂无已公示的记录。") == 6  # three notes and three empty tables


def test_public_header_links_to_the_page(client) -> None:
    assert f'href="{PAGE}"' in client.get(reverse("portal:home")).content.decode()


def test_page_only_answers_get_and_head(client) -> None:
    assert client.post(PAGE).status_code == 405


def statistics_tables() -> list[str]:
    from chengxin.portal.statistics_views import TABLES

    return list(TABLES)


# --- cost -----------------------------------------------------------------------------------


def test_query_count_does_not_grow_with_records(
    client, make_department, django_assert_max_num_queries
) -> None:
    department = make_department()
    make_record(PenaltyRecord, department, today(), penalty_categories="警告")
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE).status_code == 200
    assert len(few) <= 7  # two monthly, three for the departments, two for the categories

    for n in range(30):
        other = make_department()
        make_record(PenaltyRecord, other, today(), penalty_categories=f"警告;其他-类别{n}")
        make_record(LicenseRecord, other, today() - datetime.timedelta(days=40 * (n % 9)))
    cache.clear()

    with django_assert_max_num_queries(len(few)):
        response = client.get(PAGE)
    assert response.context["figures"].months[-1].penalties.total >= 31


def test_a_download_reads_the_cached_figures(client, make_department, django_assert_num_queries):
    make_record(PenaltyRecord, make_department(), today())
    client.get(PAGE)

    with django_assert_num_queries(0):
        download(client, "months")


# --- in a browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_charts_draw_without_csp_errors(page, live_server, make_department) -> None:
    department = make_department()
    make_record(PenaltyRecord, department, today(), ON_TIME, penalty_categories="警告;罚款")
    make_record(LicenseRecord, department, today(), LATE, license_category="普通")

    page.goto(live_server.url + PAGE)

    page.wait_for_selector(".chart canvas")
    assert page.locator(".chart canvas").count() == 5
    heights = page.evaluate(
        "Array.from(document.querySelectorAll('.chart')).map(e => e.getBoundingClientRect().height)"
    )
    assert heights[:2] == [320, 320] and all(height >= 160 for height in heights)
    page.locator(".chart").nth(2).hover()
    assert page.console_errors == []
