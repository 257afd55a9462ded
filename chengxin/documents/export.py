"""The document register (规范性文件登记簿) as an XLSX file, written by `core.spreadsheets`
(text cells a spreadsheet would run as a formula are made inert there). The register holds no
personal data: its downloads are not recorded."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.core import spreadsheets
from chengxin.documents.choices import FilingTimeliness, Validity
from chengxin.documents.models import NormativeDocument

REGISTER_EXPORT = spreadsheets.Export("documents.register", _l("规范性文件登记簿"))


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
        document.document_number,
        document.title,
        document.issuing_body.name,
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
        document.filed_with,
    ]


def register_response(documents: Iterable[NormativeDocument]) -> FileResponse:
    sheet = spreadsheets.Sheet(
        header(),
        (row(document) for document in documents),
        name=_("规范性文件登记簿"),
        widths={0: 22, 1: 48, 2: 28} | dict.fromkeys(range(3, 14), 13),
        freeze_header=True,
    )
    name = f"documents-register-{timezone.localdate():%Y%m%d}"
    return spreadsheets.download(REGISTER_EXPORT, spreadsheets.XLSX, sheet, filename=name)
