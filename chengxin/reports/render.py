"""The annual report as HTML (the staff page), PDF (WeasyPrint) and DOCX (python-docx).

The staff page and the PDF share one template, `reports/_report.html`; the DOCX is built from the
same `AnnualReportContent`. Charts are the same PNG images in all three (`charts.png`). The PDF
embeds the credit report's CJK font (`core.fonts.font_faces`, settings.REPORT_FONT_DIR); a
DOCX cannot embed fonts portably, so it names common Chinese fonts (SimSun, SimHei) and the
reader's word processor supplies them — its charts are images with the glyphs drawn in.

`generate` renders one format and keeps the file (`AnnualReport`, see models.py).
"""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.core import regions
from chengxin.core.fonts import font_faces
from chengxin.reports import charts
from chengxin.reports.collect import FAILED_NOTE, AnnualReportContent, Chapter, collect
from chengxin.reports.figures import NO_DATA, Chart, Section
from chengxin.reports.models import AnnualReport, ReportFormat, storage_dir

STYLESHEET = Path(__file__).resolve().parent / "static" / "reports" / "report.css"
BODY_FONT, HEADING_FONT = "SimSun", "SimHei"


def title(year: int) -> str:
    return _("%(district)s%(year)s年法治政府建设情况报告") % {
        "district": regions.district_name(),
        "year": year,
    }


@dataclass(frozen=True)
class ChartImage:
    chart: Chart
    png: bytes

    @property
    def is_empty(self) -> bool:
        """Nothing to draw (no series, or every value 0): one line says so instead."""
        return not any(self.chart.values)

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    @property
    def rows(self) -> list[tuple[str, str]]:
        """The chart's data as (label, value) rows: the table beside the image."""
        return [
            (label, f"{value:,}")
            for label, value in zip(self.chart.labels, self.chart.values, strict=True)
        ]


@dataclass(frozen=True)
class SectionView:
    section: Section
    images: tuple[ChartImage, ...]


@dataclass(frozen=True)
class ChapterView:
    chapter: Chapter
    sections: tuple[SectionView, ...]


def chapter_views(content: AnnualReportContent) -> list[ChapterView]:
    """The chapters with their charts drawn, as the template walks them."""
    return [
        ChapterView(
            chapter,
            tuple(
                SectionView(section, tuple(_image(chart) for chart in section.charts))
                for section in chapter.sections
            ),
        )
        for chapter in content.chapters
    ]


def _image(chart: Chart) -> ChartImage:
    return ChartImage(chart, b"" if not any(chart.values) else charts.png(chart))


def template_context(content: AnnualReportContent, *, link_base: str | None) -> dict[str, Any]:
    """What `reports/_report.html` needs. `link_base`: "" for links relative to this site (the
    staff page), "https://host" for absolute links (a PDF), None for no links."""
    return {
        "content": content,
        "chapters": chapter_views(content),
        "report_title": title(content.year),
        "link_base": link_base,
        "failed_note": FAILED_NOTE,
        "no_data": NO_DATA,
        "district_name": regions.district_name(),
    }


# --- PDF ------------------------------------------------------------------------------------


def pdf_bytes(content: AnnualReportContent, *, site_url: str | None = None) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    context = template_context(content, link_base=site_url.rstrip("/") if site_url else None)
    html = render_to_string("reports/annual_pdf.html", context)
    # Local files and data: URIs only; a resource that cannot be loaded stops the rendering.
    fetcher = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    fonts = FontConfiguration()
    stylesheets = [
        CSS(string=font_faces(), font_config=fonts, url_fetcher=fetcher),
        CSS(filename=str(STYLESHEET), font_config=fonts, url_fetcher=fetcher),
    ]
    document = HTML(string=html, base_url=STYLESHEET.parent.as_uri() + "/", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=stylesheets, font_config=fonts)
    return pdf


# --- DOCX -----------------------------------------------------------------------------------


def docx_bytes(content: AnnualReportContent, *, site_url: str | None = None) -> bytes:
    """The report as DOCX; with `site_url`, each value links to its list (as in the PDF)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    for name, family, size in (
        ("Normal", BODY_FONT, 11),
        ("Title", HEADING_FONT, 20),
        ("Heading 1", HEADING_FONT, 15),
        ("Heading 2", HEADING_FONT, 13),
    ):
        style: Any = document.styles[name]
        style.font.name = family
        style.font.size = Pt(size)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), family)
    document.core_properties.title = title(content.year)
    heading = document.add_heading(title(content.year), level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        _(
            "本报告各项数字均由系统根据各模块数据计算生成（%(time)s）。“无数据”表示该模块尚未上线或数据无法计算，不等于零。"
        )
        % {"time": timezone.localtime(content.computed_at).strftime("%Y-%m-%d %H:%M")}
    )
    for number, view in enumerate(chapter_views(content), start=1):
        chapter = view.chapter
        document.add_heading(f"{_chinese_number(number)}、{chapter.title}", level=1)
        if not chapter.is_available:
            document.add_paragraph(str(FAILED_NOTE) if chapter.failed else str(NO_DATA))
            continue
        for part in view.sections:
            section = part.section
            if len(view.sections) > 1:
                document.add_heading(str(section.title), level=2)
            if not section.is_available:
                document.add_paragraph(str(NO_DATA))
                continue
            table = document.add_table(rows=1, cols=3)
            table.style = "Table Grid"
            for cell, text in zip(
                table.rows[0].cells, (_("指标"), _("数值"), _("说明")), strict=True
            ):
                cell.text = text
            for figure in section.figures:
                cells = table.add_row().cells
                cells[0].text = str(figure.label)
                unit = str(figure.unit) if figure.has_data else ""
                value = f"{figure.text} {unit}".strip()
                if site_url and figure.url:
                    _hyperlink(cells[1].paragraphs[0], site_url.rstrip("/") + figure.url, value)
                else:
                    cells[1].text = value
                cells[2].text = str(figure.note)
            for note in section.notes:
                document.add_paragraph(str(note))
            for image in part.images:
                if image.is_empty:
                    document.add_paragraph(
                        _("%(chart)s：本年度无记录") % {"chart": image.chart.title}
                    )
                else:
                    document.add_picture(io.BytesIO(image.png), width=Cm(15))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _hyperlink(paragraph: Any, url: str, text: str) -> None:
    """A link run in `paragraph` (python-docx has no API for it: the WordprocessingML element)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    properties.append(style)
    run.append(properties)
    node = OxmlElement("w:t")
    node.text = text
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


# --- generating and keeping -----------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    report: AnnualReport
    data: bytes


def render(content: AnnualReportContent, fmt: str, *, site_url: str | None = None) -> bytes:
    if fmt == ReportFormat.PDF:
        return pdf_bytes(content, site_url=site_url)
    if fmt == ReportFormat.DOCX:
        return docx_bytes(content, site_url=site_url)
    raise ValueError(f"Unknown report format {fmt!r}")


def generate(
    year: int,
    formats: tuple[str, ...],
    *,
    actor: User | None,
    site_url: str | None = None,
    content: AnnualReportContent | None = None,
) -> list[Generated]:
    """Compute the report for `year` once, render it in each format and keep each file."""
    content = content or collect(year)
    missing = [chapter.key for chapter in content.chapters if not chapter.is_available]
    folder = storage_dir()
    folder.mkdir(parents=True, exist_ok=True)
    done = []
    for fmt in formats:
        data = render(content, fmt, site_url=site_url)
        stored_name = f"{year}-{secrets.token_hex(12)}.{fmt}"
        (folder / stored_name).write_bytes(data)
        report = AnnualReport.objects.create(
            year=year,
            format=fmt,
            generated_at=content.computed_at,
            generated_by=actor,
            stored_name=stored_name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            missing_chapters=missing,
        )
        done.append(Generated(report, data))
    return done
