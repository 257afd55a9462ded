"""The command, the PDF and the DOCX as official documents, the staff pages, the public pages,
the dashboard's reminders."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localdate
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.core.fonts import FONT_FILES
from chengxin.publicity.choices import Timeliness
from chengxin.publicity.models import LicenseRecord, PenaltyRecord
from chengxin.reports import actions, charts
from chengxin.reports.collect import collect
from chengxin.reports.figures import Chart
from chengxin.reports.fonts import DOCX_FONTS, SERIF_FILES
from chengxin.reports.models import AnnualReport, ReportStatus, RuleOfLawReport
from chengxin.reports.render import docx_bytes, pdf_bytes
from chengxin.reports.tests.conftest import embedded_fonts, make_record, pdf_links, pdf_text

pytestmark = pytest.mark.django_db

PAGE = "/staff/reports/annual/"
WRITTEN = {"duty": "主要负责同志履行第一责任人职责。", "plans": "下一年度继续推进。"}
# What must never be printed in a filed report: notes for staff.
INTERNAL_NOTES = ("点击数字", "未按年度筛选", "条不计入", "列表为当前", "列表含", "系统日志")


@pytest.fixture
def market(make_department: Callable[..., Department]) -> Department:
    return make_department(name="台儿庄区市场监督管理局", short_name="区市场监管局")


@pytest.fixture
def records(market: Department) -> Callable[[int], None]:
    def make(n: int) -> None:
        for day in range(1, n + 1):
            make_record(
                LicenseRecord, market, datetime.date(localdate().year, 1, day), Timeliness.ON_TIME
            )
        make_record(PenaltyRecord, market, datetime.date(localdate().year, 2, 1), Timeliness.LATE)

    return make


@pytest.fixture
def office(make_user: Callable[..., User]) -> User:
    return make_user(Role.RULE_OF_LAW_ADMIN)


def draft_document(office: User, **texts: str) -> Any:
    report = actions.create_draft(localdate().year, actor=office)
    actions.save_texts(report, WRITTEN | texts, actor=office)
    return report, actions.document_for(report, links=False)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the command -----------------------------------------------------------------------------


def test_the_command_writes_the_report_as_filed(records, tmp_path) -> None:
    out_dir = tmp_path / "out"
    records(3)  # 3 licences + 1 penalty, 3 of 4 on time
    out = io.StringIO()
    call_command(
        "report", "annual", "--year", str(localdate().year), "--output", str(out_dir), stdout=out
    )
    files = {path.suffix: path for path in out_dir.iterdir()}
    assert set(files) == {".docx", ".pdf"}
    paragraphs = [p.text for p in docx.Document(str(files[".docx"])).paragraphs]
    assert any("全年上报行政许可信息3条，行政处罚信息1条，共计4条" in p for p in paragraphs)
    assert any("7个工作日内公示的占75%" in p for p in paragraphs)
    text = pdf_text(files[".pdf"].read_bytes())
    assert "一、" in text and "二、存在的不足和原因" in text
    kept = AnnualReport.objects.order_by("format")
    assert [k.format for k in kept] == ["docx", "pdf"]
    for report in kept:
        written = files[f".{report.format}"].read_bytes()
        assert report.sha256 == hashlib.sha256(written).hexdigest() in out.getvalue()
        assert report.path.read_bytes() == written and report.generated_by is None


def test_the_command_writes_the_latest_version(records, tmp_path, office) -> None:
    records(1)
    report = actions.create_draft(localdate().year, actor=office)
    actions.save_texts(report, {"plans": "命令行读取的版本。"}, actor=office)
    call_command(
        "report",
        "annual",
        "--year",
        str(localdate().year),
        "--format",
        "docx",
        "--output",
        str(tmp_path),
        stdout=io.StringIO(),
    )
    (written,) = tmp_path.glob("*.docx")
    assert "命令行读取的版本。" in [p.text for p in docx.Document(str(written)).paragraphs]
    assert AnnualReport.objects.get().report == report


def test_the_command_refuses_a_future_year(tmp_path) -> None:
    with pytest.raises(CommandError, match="年度应在 2000 年至今年之间"):
        call_command(
            "report", "annual", "--year", str(localdate().year + 1), "--output", str(tmp_path)
        )
    a_file = tmp_path / "report.pdf"
    a_file.write_bytes(b"")
    with pytest.raises(CommandError, match="不是文件夹"):
        call_command("report", "annual", "--year", str(localdate().year), "--output", str(a_file))
    assert not AnnualReport.objects.exists()


# --- the PDF ---------------------------------------------------------------------------------


def test_the_pdf_is_an_official_document(records, office) -> None:
    records(2)
    _report, document = draft_document(office)
    pdf = pdf_bytes(document)
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:  # A4, in points
        assert (
            round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
        )
    text = pdf_text(pdf)
    for heading in (
        "一、",
        "（一）依法全面履行政府职能",
        "二、存在的不足和原因",
        "五、其他需要报告的情况",
    ):
        assert heading in text
    assert re.search(r"— 1 —", text) and re.search(r"— 2 —", text)  # page numbers
    assert not re.search(r"\d %", text)  # no space before %
    assert not re.search(r"\d,\d{3}", text)  # no group separators
    for note in INTERNAL_NOTES:
        assert note not in text, note
    assert "无数据" not in text.split("附件1")[0]  # a figure without data is left out of the text
    assert pdf_links(pdf) == []  # a filed report is read on paper
    # The serif stand-ins (title bold, body regular) and the 黑体 stand-in, all embedded.
    assert embedded_fonts(pdf) == {"Official-Serif", "Official-Serif-Bold", "Report-Sans-Bold"}


@pytest.mark.parametrize("rows", [20, 21, 22])  # without the rule: 1, 2, 3 rows
def test_the_appendix_does_not_leave_stray_rows(rows: int) -> None:
    """Whatever the number of figures, the table's last page holds at least three rows."""
    from chengxin.reports.compose import AppendixRow, Document

    appendix = [
        AppendixRow(f"k.{n}", f"指标{n:02d}号", "1件", "—", "—", "分子说明较长" * 4, "—", "当年")
        for n in range(1, rows + 1)
    ]
    made = Document(2026, "标题", "", "落款", "2027-03-01", 1, True, [], [], appendix, [], "")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes(made))).pages]
    last = next(text for text in reversed(pages) if f"指标{rows:02d}号" in text)
    assert len(re.findall(r"指标\d\d号", last)) >= 3


def test_the_fonts_are_complete_files(records) -> None:
    """The title and body stand-ins cover every character of the report's fixed text."""
    for name in SERIF_FILES.values():
        cmap = TTFont(Path(settings.REPORT_FONT_DIR) / name, lazy=True).getBestCmap()
        for char in "法治政府建设年度报告存在的不足和原因党政主要负责人—（）、。％":
            assert ord(char) in cmap, (name, char)


def test_chart_labels_are_in_the_font(records) -> None:
    records(2)
    content = collect(localdate().year)
    labels = "".join(
        str(chart.title) + "".join(chart.labels) for c in content.chapters for chart in c.charts
    )
    for name in FONT_FILES.values():
        cmap = TTFont(Path(settings.REPORT_FONT_DIR) / name, lazy=True).getBestCmap()
        assert [ch for ch in set(labels) if ord(ch) not in cmap and not ch.isspace()] == []


def test_chart_labels_are_printed_in_full() -> None:
    long = "台儿庄区综合行政执法局（城市管理局）执法大队"
    lines = charts.wrap(long, 120)
    assert "".join(lines) == long and len(lines) > 1  # wrapped, never cut with "…"
    short = charts.wrap("1月", 120)
    assert short == ["1月"]
    one = charts.png(Chart("k", "t", ("a",), (1,)))
    more = charts.png(Chart("k", "t", (long, "区市场监管局"), (3, 1)))
    assert Image.open(io.BytesIO(more)).size[1] > Image.open(io.BytesIO(one)).size[1]
    assert Image.open(io.BytesIO(more)).size[0] == charts.WIDTH * charts.SCALE
    assert charts.png(Chart("k", "结果", ("维持", "撤销"), (3, 1), kind="pie"))
    assert charts.png(Chart("k", "空", (), ())) and charts.png(Chart("k", "零", ("a",), (0,)))


@pytest.mark.parametrize(
    ("peak", "axis"), [(0, 4), (4, 4), (5, 8), (9, 20), (30, 40), (100, 100), (169, 200)]
)
def test_chart_axes_end_on_four_whole_steps(peak: float, axis: float) -> None:
    assert charts._nice_ceiling(peak) == axis


# --- the DOCX --------------------------------------------------------------------------------


def test_the_docx_is_an_official_document(records, office) -> None:
    records(2)
    _report, document = draft_document(office)
    data = docx_bytes(document)
    word = docx.Document(io.BytesIO(data))
    section = word.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.top_margin.cm, 1) == 3.7 and round(section.left_margin.cm, 1) == 2.8
    styles = word.styles
    assert styles["Title"].font.name == "方正小标宋简体" and styles["Title"].font.size.pt == 22
    assert styles["Body"].font.name == "仿宋_GB2312" and styles["Body"].font.size.pt == 16
    assert styles["Heading 1"].font.name == "黑体"
    assert styles["Heading 2"].font.name == "楷体_GB2312"
    for name in ("Title", "Heading 1", "Heading 2"):
        assert str(styles[name].font.color.rgb) == "000000"  # not Word's blue
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings[0].startswith("一、") and headings[-1] == "五、其他需要报告的情况"
    assert next(p.text for p in word.paragraphs if p.style.name == "Heading 2").startswith("（一）")
    texts = "\n".join(p.text for p in word.paragraphs)
    for note in INTERNAL_NOTES:
        assert note not in texts, note
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        fonts = archive.read("word/fontTable.xml").decode()
        footers = "".join(
            archive.read(name).decode() for name in archive.namelist() if "footer" in name
        )
        settings_xml = archive.read("word/settings.xml").decode()
    for name, fallbacks in DOCX_FONTS.values():  # each official font named, with its fallback
        assert f'w:name="{name}"' in fonts and f'w:val="{fallbacks[0]}"' in fonts
    assert "— " in footers and " PAGE " in footers and "evenAndOddHeaders" in settings_xml
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["序号", "指标", "本年度"]
    assert "w:tblHeader" in table.rows[0]._tr.xml and "w:cantSplit" in table.rows[1]._tr.xml


# --- the staff pages -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in() -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_enforcement_officer_may_not_see_the_reports(make_user) -> None:
    officer = make_user(Role.ENFORCEMENT_OFFICER)
    assert client_for(officer).get(PAGE).status_code == 403
    assert client_for(officer).post(reverse("reports:create"), {"year": 2025}).status_code == 403


def test_the_office_drafts_edits_and_finalises(records, office) -> None:
    records(2)
    client = client_for(office)
    year = localdate().year
    response = client.post(reverse("reports:create"), {"year": year})
    report = RuleOfLawReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{PAGE}{report.pk}/"
    page = client.get(f"{PAGE}{report.pk}/").content.decode()
    licences = collect(year).figure("publicity.licenses")
    assert licences is not None
    assert (
        f'<a href="{licences.url.replace("&", "&amp;")}" data-key="publicity.licenses">2</a>'
        in page
    )
    # Finalising without parts 三 and 四 is refused, with the reason.
    refused = client.post(reverse("reports:finalise", args=[report.pk]))
    assert refused.status_code == 400 and "尚未撰写" in refused.content.decode()
    saved = client.post(
        reverse("reports:save", args=[report.pk]),
        {
            "issuer": report.issuer,
            "addressee": report.addressee,
            "dated": "",
            "slot-duty": WRITTEN["duty"],
            "slot-plans": WRITTEN["plans"],
            "dismissed": ["late_publicity"],
        },
    )
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.texts["shortcomings.dismissed"] == "late_publicity"
    assert client.post(reverse("reports:finalise", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.is_final and {f.format for f in report.files.all()} == {"docx", "pdf"}
    page = client.get(f"{PAGE}{report.pk}/").content.decode()
    assert "内容和数字已固定" in page and "修改记录" in page and WRITTEN["duty"][:6] in page
    # A finalised version's download is its kept file, not a new rendering.
    kept = report.files.get(format="pdf")
    download = client.post(reverse("reports:download", args=[report.pk]), {"format": "pdf"})
    assert b"".join(download.streaming_content) == kept.path.read_bytes()
    assert report.files.count() == 2


def test_a_department_liaison_sees_and_writes_only_its_own(make_user, market, office) -> None:
    liaison = make_user(Role.LEGAL_AFFAIRS_OFFICER, department=market)
    client = client_for(liaison)
    year = localdate().year - 1
    assert client.get(PAGE, {"year": year}).status_code == 200
    response = client.post(reverse("reports:create"), {"year": year, "scope": "department"})
    report = RuleOfLawReport.objects.get()
    assert response.status_code == 302 and report.department == market
    # Not the government's report.
    assert client.post(reverse("reports:create"), {"year": year}).status_code == 403
    government = actions.create_draft(year, actor=office)
    assert client.get(f"{PAGE}{government.pk}/").status_code == 403
    other = make_user(Role.LEGAL_AFFAIRS_OFFICER)
    assert client_for(other).get(f"{PAGE}{report.pk}/").status_code == 403
    # The office sees every department's state against the deadline.
    page = client_for(office).get(PAGE, {"year": year}).content.decode()
    assert market.name in page and "草稿" in page
    # Once submitted, the government's draft links to it, to quote from.
    actions.save_texts(report, WRITTEN, actor=liaison)
    actions.submit(report, actor=liaison)
    page = client_for(office).get(f"{PAGE}{government.pk}/").content.decode()
    assert f'href="{PAGE}{report.pk}/">{market.name}</a>' in page


def test_a_bad_year_is_a_clear_message(office) -> None:
    response = client_for(office).get(PAGE, {"year": localdate().year + 1})
    assert response.status_code == 400
    assert "年度不能晚于今年。" in response.content.decode()


def test_the_navigation_offers_the_reports_to_the_office_and_liaisons(make_user) -> None:
    from chengxin.core.navigation import navigation_for

    def titles(user: Any) -> list[str]:
        return [str(title) for title, _items in navigation_for(user)]

    assert "年度报告" in titles(make_user(Role.RULE_OF_LAW_ADMIN))
    assert "年度报告" in titles(make_user(Role.LEGAL_AFFAIRS_OFFICER))
    assert "年度报告" not in titles(make_user(Role.ENFORCEMENT_OFFICER))


# --- the public pages ------------------------------------------------------------------------


def test_published_reports_are_on_the_portal(records, office) -> None:
    records(1)
    year = localdate().year - 1
    index = reverse("reports_public:index")
    assert "暂无公开的年度报告" in Client().get(index).content.decode()
    report = actions.create_draft(year, actor=office)
    actions.save_texts(report, WRITTEN, actor=office)
    client = client_for(office)
    client.post(reverse("reports:finalise", args=[report.pk]))
    assert Client().get(reverse("reports_public:detail", args=[year])).status_code == 404
    client.post(reverse("reports:publish", args=[report.pk]))
    listing = Client().get(index).content.decode()
    assert f'href="{reverse("reports_public:detail", args=[year])}"' in listing
    detail = Client().get(reverse("reports_public:detail", args=[year])).content.decode()
    assert "二、存在的不足和原因" in detail and "/staff/" not in detail  # no staff links
    pdf = Client().get(reverse("reports_public:download", args=[year, "pdf"]))
    report.refresh_from_db()
    assert b"".join(pdf.streaming_content) == report.files.get(format="pdf").path.read_bytes()
    assert Client().get(reverse("reports_public:download", args=[year, "xls"])).status_code == 404
    # 政务公开 links to it.
    assert index in Client().get(reverse("portal:open")).content.decode()


def test_a_later_published_version_replaces_the_earlier(office) -> None:
    year = localdate().year - 1
    first = actions.create_draft(year, actor=office)
    actions.save_texts(first, WRITTEN, actor=office)
    first = actions.publish(actions.finalise(first, actor=office), actor=office)
    second = actions.new_version(first, actor=office)
    actions.save_texts(second, {"other": "更正了统计口径。"}, actor=office)
    second = actions.publish(actions.finalise(second, actor=office), actor=office)
    from chengxin.reports.views_public import published

    assert published() == [second]


# --- the dashboard ---------------------------------------------------------------------------


def pending(user: User, today: datetime.date) -> dict[str, int]:
    from chengxin.core.attention import pending_for

    return {p.item.key: p.count for p in pending_for(user, today)}


def test_the_dashboard_warns_of_the_calendar(make_user, market, office) -> None:
    year = localdate().year - 1
    liaison = make_user(Role.LEGAL_AFFAIRS_OFFICER, department=market)
    before = datetime.date(year + 1, 2, 10)  # 19 days before 1 March
    assert pending(liaison, before).get("reports_own_due_soon") == 1
    assert "reports_departments_late" not in pending(office, before)
    after = datetime.date(year + 1, 3, 2)
    assert pending(office, after)["reports_departments_late"] >= 1
    assert pending(liaison, after)["reports_departments_late"] == 1
    assert pending(office, datetime.date(year + 1, 3, 15))["reports_publication_due_soon"] == 1
    assert pending(office, datetime.date(year + 1, 4, 2))["reports_publication_overdue"] == 1
    # still overdue in December, when next year's reports are being written
    assert pending(office, datetime.date(year + 1, 12, 7))["reports_publication_overdue"] == 1
    # the departments' deadline is next year's by then: none is late in December
    assert "reports_departments_late" not in pending(office, datetime.date(year + 1, 12, 7))
    report = actions.create_draft(year, actor=liaison, department=market)
    actions.save_texts(report, WRITTEN, actor=liaison)
    actions.submit(report, actor=liaison)
    assert pending(office, after)["reports_departments_submitted"] == 1
    assert "reports_departments_submitted" not in pending(liaison, after)
    actions.return_report(report, "补充", actor=office)
    assert pending(liaison, after)["reports_returned"] == 1
    assert RuleOfLawReport.objects.get().status == ReportStatus.RETURNED
    assert timezone.localdate() == localdate()


# --- 附件说明 and the 落款 (GB/T 9704-2012 7.3.4, 7.3.5) -----------------------------------------


def _made(*, appendix: bool, charts: bool) -> Any:
    from chengxin.reports.compose import AppendixRow, ChartSpec, Document

    rows = [AppendixRow("k.1", "指标", "1件", "—", "—", "分子", "—", "当年")] if appendix else []
    specs = [ChartSpec("c.1", "图", ["甲"], [1.0])] if charts else []
    return Document(2026, "标题", "", "落款", "2027-03-01", 1, True, [], [], rows, specs, "")


@pytest.mark.parametrize(
    ("appendix", "charts", "lines", "labels"),
    [
        (True, True, ["附件：1.主要指标及统计口径", "2.主要数据图表"], ["附件1", "附件2"]),
        (True, False, ["附件：主要指标及统计口径"], ["附件"]),  # one: no number
        (False, True, ["附件：主要数据图表"], ["附件"]),
        (False, False, [], []),  # none: no 附件说明
    ],
)
def test_the_attachments_are_listed_under_the_text(appendix, charts, lines, labels) -> None:
    made = _made(appendix=appendix, charts=charts)
    assert made.annex_lines == lines
    assert [label for label, _name in made.annexes] == labels


def test_the_closing_page_holds_text_the_attachments_and_the_signature(records, office) -> None:
    records(2)
    _report, document = draft_document(office)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes(document))).pages]
    closing = next(text for text in pages if "附件：1.主要指标及统计口径" in text)
    assert "五、其他需要报告的情况" in closing and document.dated_text in closing
    assert closing.index("附件：") < closing.index(document.dated_text)
    word = docx.Document(io.BytesIO(docx_bytes(document)))
    texts = [p.text for p in word.paragraphs]
    start = texts.index("附件：1.主要指标及统计口径")
    assert texts[start + 1] == "2.主要数据图表"
    assert texts.index(document.issuer) > start
    kept = word.paragraphs[texts.index("五、其他需要报告的情况") : texts.index(document.issuer)]
    assert all(p.paragraph_format.keep_with_next for p in kept)


def test_a_chapters_computed_sentences_are_one_paragraph(records, office) -> None:
    records(3)
    _report, document = draft_document(office)
    credit = next(b for b in document.parts[0].blocks if b.slot == "measures.oversight")
    computed = [p for p in credit.paragraphs if any(run.key for run in p.runs)]
    assert len(computed) == 1 and computed[0].text.count("。") >= 2
    assert not any(
        p.text.startswith("其中") for b in document.parts[0].blocks for p in b.paragraphs
    )
