"""The error report: each rejected row as it was uploaded, with its problems, ready to fix.

The rows hold what was uploaded, full ID numbers included, so the report is handed over only
through `core.spreadsheets` (`report_download` on the web, `save_report` from the command
line), which records each copy in the audit chain. Every uploaded cell is written as text and
made inert there: a cell such as "=HYPERLINK(…)" stays text (with its exact value, so the fixed
report can be uploaded again).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _l

from chengxin.core import registers, spreadsheets
from chengxin.imports.models import ImportBatch

REJECTED_ROWS = spreadsheets.Export(
    "imports.rejected_rows", _l("双公示导入拒收行"), personal_data=True
)
# `chengxin import --report`: the audit entry's actor.
COMMAND = "chengxin import"


class Rejection(Protocol):
    """A refused row as the report needs it (ImportRejection, screening's ListImportRejection)."""

    row_number: Any

    @property
    def cells(self) -> list[str]: ...

    errors: Any


class RejectingBatch(Protocol):
    """A batch with a header and rejected rows (ImportBatch, the registries' import batches)."""

    pk: Any
    header: Any

    @property
    def rejections(self) -> Any: ...


def rejections_sheet(header: Sequence[Any], rejections: Iterable[Rejection]) -> spreadsheets.Sheet:
    """The file's own header plus one column of problems, under the original row numbers."""
    return registers.rows_sheet(
        [str(cell) for cell in header],
        ((rejection.row_number, rejection.cells, rejection.errors) for rejection in rejections),
    )


def batch_sheet(batch: RejectingBatch) -> spreadsheets.Sheet:
    return rejections_sheet(batch.header, batch.rejections.order_by("row_number").iterator())


def write_report(batch: ImportBatch, target: IO[bytes] | Path) -> int:
    """The rejected rows of an import batch as XLSX into `target`; returns the row count.
    Only writes: hand the file to a person through `report_download` or `save_report`."""
    return spreadsheets.write_xlsx(target, [batch_sheet(batch)])


def report_download(
    export: spreadsheets.Export, batch: RejectingBatch, *, filename: str, actor: Any
) -> FileResponse:
    """The rejected rows of `batch` as an XLSX download, recorded as a copy of `export`."""
    return spreadsheets.download(
        export,
        spreadsheets.XLSX,
        batch_sheet(batch),
        filename=filename,
        actor=actor,
        object_id=batch.pk,
    )


def save_report(batch: ImportBatch, path: Path) -> int:
    """`chengxin import --report FILE`: the rejected rows written to `path` (XLSX, or CSV for a
    name ending in .csv), recorded with the command as the actor; returns the row count."""
    return spreadsheets.save(
        REJECTED_ROWS, path, batch_sheet(batch), actor_name=COMMAND, object_id=batch.pk
    )
