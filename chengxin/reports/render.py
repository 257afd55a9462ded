"""The annual report as HTML (staff and public pages), PDF (WeasyPrint) and DOCX (python-docx),
all from one `compose.Document`, typeset as an official document (GB/T 9704-2012, docs/adr/0025).

- PDF: `reports/document_pdf.html` with `static/reports/official.css`: A4, 版心 156 × 225 mm, title
  2号 in a 宋/明 serif, body 3号 in 22 lines, headings 一、（一）1., page numbers "— 1 —" on the
  outer side; the fonts embedded (reports/fonts.py).
- DOCX: the same layout in Word's terms; fonts are named, not embedded: the official ones
  (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) with a fallback each in the font table.
- No links and no internal notes in either file: a filed report is read on paper. The staff page
  links every figure to its list.

`generate` renders a report version in each format and keeps the file (`AnnualReport`).
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
from chengxin.reports import charts
from chengxin.reports.compose import Document, Paragraph
from chengxin.reports.fonts import DOCX_FONTS, font_faces
from chengxin.reports.models import AnnualReport, ReportFormat, RuleOfLawReport, storage_dir

STYLESHEET = Path(__file__).resolve().parent / "static" / "reports" / "official.css"

BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
TABLE_PT = 10.5  # 五号
LINE_PT = 28.9  # 225 mm / 22 lines


@dataclass(frozen=True)
class ChartImage:
    title: str
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def chart_images(document: Document) -> list[ChartImage]:
    return [ChartImage(spec.title, charts.png(spec.chart())) for spec in document.charts]


def template_context(document: Document, *, link_base: str | None) -> dict[str, Any]:
    """What `reports/_document.html` needs. `link_base`: "" for links on this site (the staff
    page), None for no links (the public page, the PDF)."""
    return {"document": document, "link_base": link_base, "images": chart_images(document)}


# --- PDF ------------------------------------------------------------------------------------


def pdf_bytes(document: Document) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    html = render_to_string("reports/document_pdf.html", template_context(document, link_base=None))
    # Local files and data: URIs only; a resource that cannot be loaded stops the rendering.
    fetcher = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    fonts = FontConfiguration()
    stylesheets = [
        CSS(string=font_faces(), font_config=fonts, url_fetcher=fetcher),
        CSS(filename=str(STYLESHEET), font_config=fonts, url_fetcher=fetcher),
    ]
    page = HTML(string=html, base_url=STYLESHEET.parent.as_uri() + "/", url_fetcher=fetcher)
    pdf: bytes = page.write_pdf(stylesheets=stylesheets, font_config=fonts)
    return pdf


# --- DOCX -----------------------------------------------------------------------------------


def docx_bytes(document: Document) -> bytes:
    import docx
    from docx.enum.section import WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Cm, Pt

    word = docx.Document()
    _styles(word)
    _font_table(word)
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.3)
    section.start_type = WD_SECTION.NEW_PAGE
    word.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    word.core_properties.title = document.title
    word.core_properties.author = document.issuer

    title = word.add_paragraph(style="Title")
    for index, line in enumerate(document.title_lines):
        if index:
            title.add_run().add_break()
        title.add_run(line)
    if document.addressee:
        word.add_paragraph("", style="Body")  # one blank line under the title (7.3.2)
        word.add_paragraph(document.addressee, style="Addressee")
    for paragraph in document.preface:
        _paragraph(word, paragraph)
    closing: list[Any] = []  # the last part, the 附件说明 and the 落款: kept on one page
    for part in document.parts:
        closing = [word.add_paragraph(part.heading, style="Heading 1")]
        for paragraph in part.paragraphs:
            closing.append(_paragraph(word, paragraph))
        for block in part.blocks:
            closing.append(word.add_paragraph(block.heading, style="Heading 2"))
            for paragraph in block.paragraphs:
                closing.append(_paragraph(word, paragraph))
    if document.annex_lines:
        # 附件说明: one blank line under the text, two characters in (7.3.4).
        closing.append(word.add_paragraph("", style="Body"))
        for index, line in enumerate(document.annex_lines):
            item = word.add_paragraph(line, style="Addressee")
            item.paragraph_format.first_line_indent = Pt(BODY_PT * (2 if index == 0 else 5))
            closing.append(item)
    closing.append(word.add_paragraph("", style="Body"))
    closing.append(word.add_paragraph(document.issuer, style="Signature"))
    word.add_paragraph(document.dated_text, style="Signature")
    for item in closing:
        item.paragraph_format.keep_with_next = True

    if document.appendix:
        label = word.add_paragraph(document.annexes[0][0], style="Annex Label")
        label.paragraph_format.page_break_before = True
        word.add_paragraph(_("主要指标及统计口径"), style="Title")
        headers = (_("序号"), _("指标"), _("本年度"), _("上年度"), _("同比"), _("统计口径"))
        table = word.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths = (Cm(0.9), Cm(3.7), Cm(1.8), Cm(1.8), Cm(2.1), Cm(5.3))  # 15.6 cm: 版心
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            _cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _repeat_header(table.rows[0])
        for number, row in enumerate(document.appendix, start=1):
            definition = row.numerator
            if row.denominator != "—":
                definition += _("，除以") + row.denominator
            definition += _("；") + row.period
            values = (str(number), row.label, row.value, row.previous, row.change, definition)
            cells = table.add_row().cells
            for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
                align = WD_ALIGN_PARAGRAPH.RIGHT if 2 <= index <= 4 else None
                _cell(cell, text, align=align)
            _cant_split(table.rows[-1])
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid: what LibreOffice and WPS lay out by
        for row_ in table.rows:
            for cell, width in zip(row_.cells, widths, strict=True):
                cell.width = width  # what Word lays out by
        note = word.add_paragraph(
            _(
                "注：“无数据”指该指标的计算基数为零或相关工作尚未纳入系统，不等于零；"
                "“—”指上年度无可比数据。"
            ),
            style="Table Text",
        )
        note.paragraph_format.space_before = Pt(4)
    images = chart_images(document)
    if images:
        label = word.add_paragraph(document.annexes[-1][0], style="Annex Label")
        label.paragraph_format.page_break_before = True
        word.add_paragraph(_("主要数据图表"), style="Title")
        for number, image in enumerate(images, start=1):
            holder = word.add_paragraph(style="Caption Text")
            holder.paragraph_format.keep_with_next = True
            holder.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            holder.add_run().add_picture(io.BytesIO(image.png), width=Cm(15.6))
            word.add_paragraph(
                _("图%(n)s　%(title)s") % {"n": number, "title": image.title},
                style="Caption Text",
            )
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _paragraph(word: Any, paragraph: Paragraph) -> Any:
    item = word.add_paragraph(style="Body")
    if paragraph.label:
        item.add_run(paragraph.label).bold = True
    item.add_run("".join(run.text for run in paragraph.runs))
    return item


def _set_fonts(style: Any, role: str, size: float, *, bold: bool = False) -> None:
    """The style's font: the official one for East Asian text and Latin alike, black, no theme
    font (a theme font would override the named one)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    name = DOCX_FONTS[role][0]
    style.font.name = name
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), name)


def _styles(word: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    styles = word.styles

    def layout(style: Any, *, indent: bool, align: Any = None, exact: bool = True) -> None:
        form = style.paragraph_format
        form.space_before = form.space_after = Pt(0)
        if exact:
            form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            form.line_spacing = Pt(LINE_PT)
        form.first_line_indent = Pt(BODY_PT * 2) if indent else Pt(0)
        form.left_indent = form.right_indent = Pt(0)
        form.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if align is None else align
        form.widow_control = True
        # On every style, not only Normal: LibreOffice and WPS do not inherit it from the base.
        _no_auto_space(style)

    normal = styles["Normal"]

    def paragraph_style(name: str) -> Any:
        try:
            return styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            return style

    _set_fonts(normal, "body", BODY_PT)
    layout(normal, indent=False)
    body = paragraph_style("Body")
    body.base_style = normal
    _set_fonts(body, "body", BODY_PT)
    layout(body, indent=True)
    title = styles["Title"]
    _set_fonts(title, "title", TITLE_PT)
    layout(title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    title.paragraph_format.line_spacing = 1.3
    title.paragraph_format.space_after = Pt(LINE_PT)
    _no_border(title)
    addressee = paragraph_style("Addressee")
    _set_fonts(addressee, "body", BODY_PT)
    layout(addressee, indent=False)
    for name, role in (("Heading 1", "heading1"), ("Heading 2", "heading2")):
        heading = styles[name]
        _set_fonts(heading, role, BODY_PT)
        layout(heading, indent=True)
        heading.paragraph_format.keep_with_next = True
    signature = paragraph_style("Signature")
    _set_fonts(signature, "body", BODY_PT)
    layout(signature, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.right_indent = Pt(BODY_PT * 2)
    annex = paragraph_style("Annex Label")
    _set_fonts(annex, "heading1", BODY_PT)
    layout(annex, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)
    table_text = paragraph_style("Table Text")
    _set_fonts(table_text, "body", TABLE_PT)
    layout(table_text, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT, exact=False)
    table_text.paragraph_format.line_spacing = 1.15
    caption = paragraph_style("Caption Text")
    _set_fonts(caption, "body", 12)
    layout(caption, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    caption.paragraph_format.space_after = Pt(8)


def _no_auto_space(style: Any) -> None:
    """No extra space between Chinese and Latin letters or digits ("146条", not "146 条"):
    the text is spaced as written."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = style.element.get_or_add_pPr()
    if properties.find(qn("w:autoSpaceDE")) is not None:
        return
    later = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:jc")
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):  # in the schema's order, before w:spacing
        element = OxmlElement(name)
        element.set(qn("w:val"), "0")
        properties.insert_element_before(element, *later)


def _no_border(style: Any) -> None:
    """The default template's Title has a bottom border and spacing: an official title has none."""
    from docx.oxml.ns import qn

    properties = style.element.find(qn("w:pPr"))
    if properties is not None:
        for border in properties.findall(qn("w:pBdr")):
            properties.remove(border)


def _font_table(word: Any) -> None:
    """Name each official font in the font table with its fallback (w:altName) and GB2312
    charset, so a reader's office without it substitutes the right kind of type."""
    from lxml import etree  # type: ignore[import-untyped]

    part = next(
        (p for p in word.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"),
        None,
    )
    if part is None:
        return
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = etree.fromstring(part.blob)
    for name, fallbacks in DOCX_FONTS.values():
        font = etree.SubElement(root, f"{{{ns}}}font")
        font.set(f"{{{ns}}}name", name)
        alt = etree.SubElement(font, f"{{{ns}}}altName")
        alt.set(f"{{{ns}}}val", fallbacks[0])
        charset = etree.SubElement(font, f"{{{ns}}}charset")
        charset.set(f"{{{ns}}}val", "86")
        family = etree.SubElement(font, f"{{{ns}}}family")
        family.set(f"{{{ns}}}val", "modern" if name in ("黑体",) else "roman")
        pitch = etree.SubElement(font, f"{{{ns}}}pitch")
        pitch.set(f"{{{ns}}}val", "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number(paragraph: Any, alignment: Any) -> None:
    """ "— 1 —" in 4号 宋体, one character in from the outer edge (7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.alignment = alignment
    form = paragraph.paragraph_format
    form.first_line_indent = Pt(0)
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        form.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        form.left_indent = Pt(PAGE_NUMBER_PT)

    def run(text: str = "") -> Any:
        item = paragraph.add_run(text)
        item.font.size = Pt(PAGE_NUMBER_PT)
        item.font.name = DOCX_FONTS["page_number"][0]
        item._element.get_or_add_rPr().get_or_add_rFonts().set(
            qn("w:eastAsia"), DOCX_FONTS["page_number"][0]
        )
        return item

    def field(kind: str) -> None:
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), kind)
        run()._element.append(mark)

    run("— ")
    field("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    run()._element.append(instruction)
    field("separate")
    run("1")
    field("end")
    run(" —")


def _cell(cell: Any, text: str, *, bold: bool = False, align: Any = None) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.style = "Table Text"
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    if bold:
        run.bold = True


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))
    _cant_split(row)


def _cant_split(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


# --- generating and keeping -----------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    report: AnnualReport
    data: bytes


def render(document: Document, fmt: str) -> bytes:
    if fmt == ReportFormat.PDF:
        return pdf_bytes(document)
    if fmt == ReportFormat.DOCX:
        return docx_bytes(document)
    raise ValueError(f"Unknown report format {fmt!r}")


def generate(
    document: Document,
    formats: tuple[str, ...],
    *,
    actor: User | None,
    report: RuleOfLawReport | None = None,
    missing: list[str] | None = None,
) -> list[Generated]:
    """Render `document` in each format and keep each file (with its SHA-256)."""
    folder = storage_dir()
    folder.mkdir(parents=True, exist_ok=True)
    done = []
    for fmt in formats:
        data = render(document, fmt)
        stored_name = f"{document.year}-{secrets.token_hex(12)}.{fmt}"
        (folder / stored_name).write_bytes(data)
        kept = AnnualReport.objects.create(
            year=document.year,
            format=fmt,
            generated_at=timezone.now(),
            generated_by=actor,
            stored_name=stored_name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            missing_chapters=missing or [],
            report=report if report is not None and report.pk else None,
        )
        done.append(Generated(kept, data))
    return done
