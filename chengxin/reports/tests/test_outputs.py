"""The command, the PDF, the DOCX and the staff page of the annual report."""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import localdate
from fontTools.ttLib import TTFont
from PIL import Image

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.core.fonts import FONT_FILES
from chengxin.publicity.choices import Timeliness
from chengxin.publicity.models import LicenseRecord, PenaltyRecord
from chengxin.reports import charts
from chengxin.reports.collect import collect
from chengxin.reports.figures import Chart
from chengxin.reports.models import AnnualReport
from chengxin.reports.render import docx_bytes, pdf_bytes, title
from chengxin.reports.tests.conftest import embedded_fonts, make_record, pdf_links, pdf_text

pytestmark = pytest.mark.django_db

PAGE = "/staff/reports/annual/"


@pytest.fixture
def records(make_department: Callable[..., Department]) -> Callable[[int], None]:
    market = make_department(name="台儿庄区市场监督管理局", short_name="区市场监管局")

    def make(n: int) -> None:
        for day in range(1, n + 1):
            make_record(
                LicenseRecord, market, datetime.date(localdate().year, 1, day), Timeliness.ON_TIME
            )
        make_record(PenaltyRecord, market, datetime.date(localdate().year, 2, 1), Timeliness.LATE)

    return make


def docx_table_values(data: bytes) -> dict[str, str]:
    """指标 → 数值 of every figures table in the document."""
    document = docx.Document(io.BytesIO(data))
    found = {}
    for table in document.tables:
        for row in table.rows[1:]:
            found[row.cells[0].text] = row.cells[1].text
    return found


# --- the command -----------------------------------------------------------------------------


def test_the_command_writes_a_docx_and_a_pdf_with_the_figures(records, tmp_path) -> None:
    tmp_path = tmp_path / "out"
    records(3)  # 3 licences + 1 penalty, 3 of 4 on time
    out = io.StringIO()
    call_command(
        "report", "annual", "--year", str(localdate().year), "--output", str(tmp_path), stdout=out
    )

    files = {path.suffix: path for path in tmp_path.iterdir()}
    assert set(files) == {".docx", ".pdf"}
    table = docx_table_values(files[".docx"].read_bytes())
    assert table["上传行政许可信息"] == "3 条"
    assert table["上传行政处罚信息"] == "1 条"
    assert table["共计信用信息"] == "4 条"
    assert table["7 个工作日内按时公示率"] == "75.0 %"
    document = docx.Document(str(files[".docx"]))
    texts = [p.text for p in document.paragraphs]
    assert title(localdate().year) in texts
    missing = [c for c in collect(localdate().year).chapters if not c.is_available]
    assert texts.count("无数据") == len(missing)  # chapters of modules that have not landed
    drawn = [c for ch in collect(localdate().year).chapters for c in ch.charts if any(c.values)]
    assert len(drawn) >= 2  # publicity: by month and by department
    assert len(document.inline_shapes) == len(drawn)  # the charts, as pictures; empty: a line
    assert "各月上传的行政许可、行政处罚信息（条）" not in texts  # drawn, not said empty
    assert "各业务场景命中次数：本年度无记录" in texts  # no check was made

    text = pdf_text(files[".pdf"].read_bytes())
    assert title(localdate().year) in text
    assert "上传行政许可信息" in text and "75.0 %" in text

    # Each file is kept with its hash, and the output says where it is.
    kept = AnnualReport.objects.order_by("format")
    assert [k.format for k in kept] == ["docx", "pdf"]
    for report in kept:
        written = files[f".{report.format}"].read_bytes()
        assert report.sha256 == hashlib.sha256(written).hexdigest() in out.getvalue()
        assert report.path.read_bytes() == written and report.generated_by is None
        assert report.year == localdate().year and report.size == len(written)


def test_the_command_writes_one_format_when_asked(records, tmp_path) -> None:
    tmp_path = tmp_path / "out"
    records(1)
    call_command(
        "report",
        "annual",
        "--year",
        str(localdate().year),
        "--format",
        "pdf",
        "--output",
        str(tmp_path),
        stdout=io.StringIO(),
    )
    assert [p.suffix for p in tmp_path.iterdir()] == [".pdf"]
    assert AnnualReport.objects.get().format == "pdf"


def test_the_command_refuses_a_future_year(tmp_path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="年度应在 2000 年至今年之间"):
        call_command(
            "report", "annual", "--year", str(localdate().year + 1), "--output", str(tmp_path)
        )
    a_file = tmp_path / "report.pdf"
    a_file.write_bytes(b"")
    with pytest.raises(CommandError, match="不是文件夹"):
        call_command("report", "annual", "--year", str(localdate().year), "--output", str(a_file))
    assert not AnnualReport.objects.exists()


# --- the PDF and the charts ------------------------------------------------------------------


def test_the_pdf_uses_only_the_embedded_report_font(records) -> None:
    records(2)
    pdf = pdf_bytes(collect(localdate().year), site_url="https://credit.example")
    assert embedded_fonts(pdf) <= {"Report-Sans", "Report-Sans-Bold"}
    # Figures link to their lists when the PDF knows the site.
    licences = collect(localdate().year).figure("publicity.licenses")
    assert licences is not None
    assert f"https://credit.example{licences.url}" in pdf_links(pdf)


def test_chart_labels_are_in_the_font(records) -> None:
    """Every character a chart label uses is in the font drawn with (no boxes)."""
    records(2)
    content = collect(localdate().year)
    labels = "".join(
        str(chart.title) + "".join(chart.labels) for c in content.chapters for chart in c.charts
    )
    for name in FONT_FILES.values():
        cmap = TTFont(Path(settings.REPORT_FONT_DIR) / name, lazy=True).getBestCmap()
        assert [ch for ch in set(labels) if ord(ch) not in cmap and not ch.isspace()] == []


def test_a_chart_is_a_png_of_the_displayed_size_times_the_scale() -> None:
    data = charts.png(Chart("k", "各月上传信息（条）", ("1月", "2月"), (30907, 1474)))
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (charts.WIDTH * charts.SCALE, charts.HEIGHT * charts.SCALE)
    pie = charts.png(Chart("k", "结果", ("维持", "撤销"), (3, 1), kind="pie"))
    assert Image.open(io.BytesIO(pie)).size == image.size
    assert charts.png(Chart("k", "空", (), ())) and charts.png(Chart("k", "零", ("a",), (0,)))


def test_the_docx_says_no_data_for_a_missing_chapter() -> None:
    content = collect(localdate().year, [])
    data = docx_bytes(content)
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert paragraphs.count("无数据") == len(content.chapters)


# --- the staff page --------------------------------------------------------------------------


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_log_in() -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_enforcement_officer_may_not_see_the_report(make_user) -> None:
    officer = make_user(Role.ENFORCEMENT_OFFICER)
    assert client_for(officer).get(PAGE).status_code == 403
    url = reverse("reports:generate", args=[localdate().year])
    assert client_for(officer).post(url, {"format": "pdf"}).status_code == 403


@pytest.mark.parametrize("role", [Role.RULE_OF_LAW_ADMIN, Role.CREDIT_ADMIN])
def test_the_report_page_shows_figures_linked_to_their_lists(role, records, make_user) -> None:
    records(2)
    page = client_for(make_user(role)).get(PAGE, {"year": localdate().year})
    assert page.status_code == 200
    html = page.content.decode()
    assert title(localdate().year) in html
    licences = collect(localdate().year).figure("publicity.licenses")
    assert licences is not None and licences.value == 2
    assert f'<a href="{licences.url.replace("&", "&amp;")}"><strong>2</strong> 条</a>' in html
    assert 'src="data:image/png;base64,' in html


def test_the_page_shows_no_data_for_chapters_without_a_module(make_user) -> None:
    html = client_for(make_user(Role.RULE_OF_LAW_ADMIN)).get(PAGE).content.decode()
    for chapter in collect(localdate().year).chapters:  # whichever modules have landed
        markup = html.split(f'id="chapter-{chapter.key}"')[1].split("</section>")[0]
        assert ("该模块尚未上线，本章暂无数据。" in markup) is (not chapter.is_available)


def test_a_bad_year_is_a_clear_message(make_user) -> None:
    response = client_for(make_user(Role.RULE_OF_LAW_ADMIN)).get(
        PAGE, {"year": localdate().year + 1}
    )
    assert response.status_code == 400
    assert "年度不能晚于今年。" in response.content.decode()


def test_the_page_costs_the_same_queries_whatever_the_records(records, make_user) -> None:
    client = client_for(make_user(Role.RULE_OF_LAW_ADMIN))
    records(1)
    client.get(PAGE)  # warm caches (sessions, the calendar)
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE).status_code == 200
    records(20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(PAGE).status_code == 200
    assert len(many) == len(few)
    assert len(few) <= 150  # every installed module's figures: a handful of queries each


def test_the_modules_of_this_change_cost_a_fixed_number_of_queries(records) -> None:
    from chengxin.publicity import annual as publicity
    from chengxin.repair import annual as repair
    from chengxin.screening import annual as screening

    found = [("p", publicity.sections), ("s", screening.sections), ("r", repair.sections)]
    records(5)
    with CaptureQueriesContext(connection) as queries:
        collect(localdate().year, found)
    assert len(queries) <= 20


def test_a_download_is_generated_kept_and_downloadable_again(records, make_user) -> None:
    records(1)
    admin = make_user(Role.RULE_OF_LAW_ADMIN)
    client = client_for(admin)
    response = client.post(reverse("reports:generate", args=[localdate().year]), {"format": "docx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = b"".join(response.streaming_content)
    assert docx_table_values(data)["上传行政许可信息"] == "1 条"
    # In the DOCX too, each value links to its list on this site.
    licences = collect(localdate().year).figure("publicity.licenses")
    assert licences is not None
    links = [
        link.address
        for table in docx.Document(io.BytesIO(data)).tables
        for row in table.rows
        for paragraph in row.cells[1].paragraphs
        for link in paragraph.hyperlinks
    ]
    assert f"http://testserver{licences.url}" in links
    kept = AnnualReport.objects.get()
    assert kept.generated_by == admin and kept.sha256 == hashlib.sha256(data).hexdigest()
    # The kept copy is listed on the page and served as it was, even after the data changed.
    records(5)
    page = client.get(PAGE).content.decode()
    assert reverse("reports:file", args=[kept.pk]) in page and kept.sha256 in page
    again = client.get(reverse("reports:file", args=[kept.pk]))
    assert b"".join(again.streaming_content) == data
    # The change log has the new row, attributed to the user.
    from chengxin.audit.models import AuditEntry

    entry = AuditEntry.objects.get(object_type="reports.annualreport")
    assert entry.actor == admin and entry.action == "created"


def test_an_unknown_format_or_year_is_not_found(make_user) -> None:
    client = client_for(make_user(Role.RULE_OF_LAW_ADMIN))
    assert (
        client.post(
            reverse("reports:generate", args=[localdate().year]), {"format": "xls"}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("reports:generate", args=[1999]), {"format": "pdf"}).status_code == 404
    )
    assert not AnnualReport.objects.exists()


def test_the_navigation_offers_the_report_to_its_viewers(make_user) -> None:
    from chengxin.core.navigation import navigation_for

    def titles(user: Any) -> list[str]:
        return [str(title) for title, _items in navigation_for(user)]

    assert "年度报告" in titles(make_user(Role.RULE_OF_LAW_ADMIN))
    assert "年度报告" in titles(make_user(Role.CREDIT_ADMIN))
    assert "年度报告" not in titles(make_user(Role.ENFORCEMENT_OFFICER))


@pytest.mark.parametrize(
    ("peak", "axis"), [(0, 4), (4, 4), (5, 8), (9, 20), (30, 40), (100, 100), (169, 200)]
)
def test_chart_axes_end_on_four_whole_steps(peak: float, axis: float) -> None:
    assert charts._nice_ceiling(peak) == axis
