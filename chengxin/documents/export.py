"""The document register (规范性文件登记簿) as an XLSX file, with XlsxWriter as the project does
(publicity.export). Text cells that a spreadsheet would run as a formula are neutralised; the
register holds no personal data."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.documents.choices import FilingTimeliness, Validity
from chengxin.documents.models import NormativeDocument
from chengxin.publicity.export import neutralise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header() -> list[str]:
    return [
        _("文号"),
        _("文件名称"),
        _("制定主体"),
        _("状态"),
        _("效力"),
        _("登记日期"),
        _("印发日期"),
        _("公布日期"),
        _("施行日期"),
        _("有效期至"),
        _("备案期限"),
        _("报送备案日期"),
        _("备案情况"),
        _("备案机关"),
    ]


def _day(value: datetime.date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def row(document: NormativeDocument) -> list[str]:
    validity = getattr(document, "validity", "") or document.validity_on()
    timeliness = getattr(document, "filing_timeliness", None)
    if timeliness is None:
        timeliness = document.filing_timeliness_on()
    return [
        neutralise(document.document_number),
        neutralise(document.title),
        neutralise(document.issuing_body.name),
        str(document.get_status_display()),
        str(Validity(validity).label),
        _day(document.registered_on),
        _day(document.issued_on),
        _day(document.published_on),
        _day(document.effective_on),
        _day(document.valid_until),
        _day(document.filing_due),
        _day(document.filed_on),
        str(FilingTimeliness(timeliness).label) if timeliness else "",
        neutralise(document.filed_with),
    ]


def write_xlsx(documents: Iterable[NormativeDocument]) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet(_("规范性文件登记簿"))
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, header(), bold)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 2, 28)
    sheet.set_column(3, 13, 13)
    count = 0
    for count, document in enumerate(documents, start=1):
        sheet.write_row(count, 0, row(document))
    workbook.close()
    return buffer.getvalue(), count


def register_response(documents: Iterable[NormativeDocument]) -> HttpResponse:
    content, _count = write_xlsx(documents)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    name = f"documents-register-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
