"""Importing a registry file (list entries, officers, power items) in the request.

Each registry brings a row importer (parse, check, create or update by natural key) and a
`RegistryImport` batch model; this module does the rest the same way for all of them: the upload
kept with its SHA-256, every row read in one transaction (a crash writes nothing and the batch
says why), rejected rows kept encrypted for the report to fix and re-upload.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from chengxin.accounts.models import User
from chengxin.audit.context import audit_context
from chengxin.core.readers import Table, UnreadableFile, open_table
from chengxin.core.sealed_files import write_sealed
from chengxin.core.text import cell_text
from chengxin.imports.choices import RegistryImportStatus
from chengxin.imports.models import RegistryImport

logger = logging.getLogger(__name__)

BatchT = TypeVar("BatchT", bound=RegistryImport)


@dataclass
class RegistryResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, list[str], list[str]]] = field(default_factory=list)


class RowImporter(Protocol):
    result: RegistryResult

    def set_header(self, header: Sequence[Any]) -> None: ...

    def import_row(self, row_number: int, cells: Sequence[Any]) -> list[str]: ...


@contextmanager
def stored_upload(upload: UploadedFile) -> Iterator[tuple[Path, str]]:
    """The upload sealed (core.sealed_files) into a private temporary folder, with the SHA-256
    of its plaintext; removed afterwards. A process killed meanwhile leaves ciphertext only."""
    with tempfile.TemporaryDirectory(prefix="chengxin-upload-") as folder:
        path = Path(folder) / "upload"
        yield path, write_sealed(path, upload.chunks())


@contextmanager
def uploaded_batch(
    model: type[BatchT], upload: UploadedFile, *, actor: User, **fields: Any
) -> Iterator[tuple[BatchT, Path]]:
    """The upload stored in a temporary file (`stored_upload`) and its new batch row: who sent
    it, the file's name and SHA-256, and the registry's own `fields`."""
    with stored_upload(upload) as (path, sha256):
        batch = model(
            uploaded_by=actor, file_name=(upload.name or "")[:255], file_sha256=sha256, **fields
        )
        batch.save()
        yield batch, path


def run_registry_import(
    batch: BatchT,
    path: Path,
    make_importer: Callable[[], RowImporter],
    *,
    actor: User,
    failure_message: str,
) -> BatchT:
    """Read `path` into `batch` in one transaction; the batch ends FINISHED or FAILED.

    `failure_message` (with `%(error)s`) tells the uploader that nothing was written when the
    import crashed; the traceback goes to the log, never to the user.
    """
    try:
        with audit_context(actor=actor):
            table = open_table(path)
            importer = make_importer()
            importer.set_header(table.header)
            _write(batch, table, importer)
    except UnreadableFile as exc:
        _fail(batch, str(exc))
    except Exception as exc:
        logger.exception("%s %s failed", batch._meta.label, batch.pk)
        _fail(batch, failure_message % {"error": type(exc).__name__})
    batch.refresh_from_db()
    return batch


def _write(batch: RegistryImport, table: Table, importer: RowImporter) -> None:
    rejection_model: Any = batch.rejections.model  # type: ignore[attr-defined]
    with transaction.atomic():
        read = 0
        for row_number, cells in table.rows:
            read += 1
            problems = importer.import_row(row_number, cells)
            if problems:
                texts = [cell_text(cell) for cell in cells]
                importer.result.rejected.append((row_number, texts, problems))
        result = importer.result
        rejection_model.objects.bulk_create(
            rejection_model(
                batch=batch,
                row_number=row_number,
                cells_ciphertext=rejection_model.seal(cells),
                errors=problems,
            )
            for row_number, cells, problems in result.rejected
        )
        batch.header = [str(cell) for cell in table.header]
        batch.encoding = table.encoding
        batch.status = RegistryImportStatus.FINISHED
        batch.rows_read = read
        batch.rows_created, batch.rows_updated = result.created, result.updated
        batch.rows_unchanged, batch.rows_rejected = result.unchanged, len(result.rejected)
        batch.finished_at = timezone.now()
        batch.save()


def _fail(batch: RegistryImport, message: str) -> None:
    type(batch).objects.filter(pk=batch.pk).update(
        status=RegistryImportStatus.FAILED, error_message=message, finished_at=timezone.now()
    )
