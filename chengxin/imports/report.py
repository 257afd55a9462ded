"""The error report: each rejected row as it was uploaded, with its problems, ready to fix."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chengxin.imports.models import ImportBatch

# Translated when the report is written (`_()`): the report is made in the active language.
ERRORS_HEADER = gettext_noop("错误说明（修改后删除本列重新上传）")


class Rejection(Protocol):
    """A refused row as the report needs it (ImportRejection, screening's ListImportRejection)."""

    row_number: Any

    @property
    def cells(self) -> list[str]: ...

    errors: Any


def write_report(batch: ImportBatch, target: IO[bytes] | Path) -> None:
    """The rejected rows of an import batch; see `write_rejections`."""
    write_rejections(batch.header, batch.rejections.order_by("row_number").iterator(), target)


def write_rejections(
    header: Sequence[Any], rejections: Iterable[Rejection], target: IO[bytes] | Path
) -> None:
    """An XLSX whose columns are the file's own header plus one column of problems.

    Every cell is written as text (`write_string`): a cell such as "=HYPERLINK(…)" from an upload
    stays inert text in the report.
    """
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True})
    sheet = workbook.add_worksheet(_("拒收行"))
    bold = workbook.add_format({"bold": True, "bg_color": "#FDE8E8"})
    wrap = workbook.add_format({"text_wrap": True, "font_color": "#7F1010"})
    titles = [str(cell) for cell in header]
    sheet.write_string(0, 0, _("原行号"), bold)
    for col, title in enumerate(titles, start=1):
        sheet.write_string(0, col, title, bold)
    sheet.write_string(0, len(titles) + 1, _(ERRORS_HEADER), bold)
    sheet.set_column(len(titles) + 1, len(titles) + 1, 80)
    for row, rejection in enumerate(rejections, start=1):
        sheet.write_number(row, 0, rejection.row_number)
        for col, value in enumerate(rejection.cells, start=1):
            sheet.write_string(row, col, value)
        sheet.write_string(row, len(titles) + 1, "；\n".join(rejection.errors), wrap)
    workbook.close()


def report_bytes(batch: ImportBatch) -> bytes:
    buffer = io.BytesIO()
    write_report(batch, buffer)
    return buffer.getvalue()
