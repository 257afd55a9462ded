"""Running an import batch: stream the file, process it in chunks, commit once.

The whole batch is one transaction, so a process killed mid-import leaves nothing of the batch
(the batch row itself is marked FAILED by the next worker start or stays QUEUED/RUNNING with no
records). Progress goes to the cache, which other processes can read while the transaction is
still open (SQLite allows one writer, so it cannot go to the database).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from chengxin.audit import log
from chengxin.audit.choices import AuditAction
from chengxin.audit.context import audit_context
from chengxin.imports import worker_boot
from chengxin.imports.choices import BatchStatus
from chengxin.imports.models import ImportBatch, ImportRejection
from chengxin.imports.readers import Table, UnreadableFile, open_table
from chengxin.portal.cache import bump_public_version
from chengxin.publicity.importing import ChunkResult, RecordImporter, RowError, ValidRow

logger = logging.getLogger(__name__)
CHUNK_ROWS = 2000
PARALLEL_MIN_ROWS = 20_000  # below this, starting a worker process costs more than it saves
IN_FLIGHT_CHUNKS = 2  # bounded: the file is never read much ahead of what is written
STALLED_AFTER = datetime.timedelta(minutes=10)
PROGRESS_TTL = int(STALLED_AFTER.total_seconds())


def progress_key(batch_id: int) -> str:
    return f"import-progress:{batch_id}"


def read_progress(batch: ImportBatch) -> dict[str, int]:
    """Rows read so far, the estimated total and a percentage, for the progress bar."""
    if batch.status in (BatchStatus.FINISHED, BatchStatus.FAILED):
        return {"rows_read": batch.rows_read, "rows_total": batch.rows_read, "percent": 100}
    cached = cache.get(progress_key(batch.pk))
    # A running batch whose worker has written no progress for a while was interrupted (the
    # process died); its transaction rolled back, so it wrote nothing.
    stalled = (
        cached is None
        and batch.status == BatchStatus.RUNNING
        and batch.started_at is not None
        and timezone.now() - batch.started_at > STALLED_AFTER
    )
    read, total = (cached["rows_read"], cached["rows_total"]) if cached else (0, 0)
    return {
        "rows_read": read,
        "rows_total": total,
        "percent": min(99, 100 * read // total) if total else 0,
        "stalled": stalled,
    }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def chunks(
    rows: Iterator[tuple[int, list[Any]]], size: int
) -> Iterator[list[tuple[int, list[Any]]]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def run_batch(batch: ImportBatch, path: Path) -> ImportBatch:
    """Import the file at `path` into `batch`; the batch ends FINISHED or FAILED with a message."""
    return _run(batch, lambda: open_table(path))


def run_rows(batch: ImportBatch, header: list[str], rows: list[list[Any]]) -> ImportBatch:
    """Import rows already in memory (the JSON API) through the same pipeline."""
    return _run(batch, lambda: Table(header, iter(enumerate(rows, start=1)), "json", len(rows)))


def _run(batch: ImportBatch, open_source: Callable[[], Table]) -> ImportBatch:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, started_at=timezone.now()
    )
    batch.refresh_from_db()
    try:
        with audit_context(actor=batch.uploaded_by, reason=f"导入批次 #{batch.pk}"):
            _import(batch, open_source())
    except UnreadableFile as exc:
        _fail(batch, str(exc))
    except Exception as exc:
        # The batch rolled back: say so on the batch, keep the trace in the log.
        logger.exception("import batch %s failed", batch.pk)
        _fail(batch, f"导入失败，本批次未写入任何记录（{type(exc).__name__}）。请联系系统管理员。")
    finally:
        cache.delete(progress_key(batch.pk))
    batch.refresh_from_db()
    return batch


def _fail(batch: ImportBatch, message: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.FAILED,
        error_message=message,
        finished_at=timezone.now(),
        rows_read=0,
        rows_created=0,
        rows_updated=0,
        rows_unchanged=0,
        rows_rejected=0,
    )


def _import(batch: ImportBatch, table: Table) -> None:
    importer = RecordImporter(
        batch.kind, batch.department, batch=batch, actor=batch.uploaded_by, dry_run=batch.is_dry_run
    )
    importer.set_header(table.header)
    totals = {
        "rows_read": 0,
        "rows_created": 0,
        "rows_updated": 0,
        "rows_unchanged": 0,
        "rows_rejected": 0,
    }
    with transaction.atomic():
        for chunk_size, result in _results(importer, table):
            ImportRejection.objects.bulk_create(
                ImportRejection(
                    batch=batch,
                    row_number=e.row_number,
                    cells_ciphertext=ImportRejection.seal(e.cells),
                    errors=e.problems,
                )
                for e in result.rejected
            )
            totals["rows_read"] += chunk_size
            totals["rows_created"] += result.created
            totals["rows_updated"] += result.updated
            totals["rows_unchanged"] += result.unchanged
            totals["rows_rejected"] += len(result.rejected)
            progress = {"rows_read": totals["rows_read"], "rows_total": table.estimated_rows or 0}
            cache.set(progress_key(batch.pk), progress, PROGRESS_TTL)
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FINISHED,
            finished_at=timezone.now(),
            rows_total=totals["rows_read"],
            header=table.header,
            encoding=table.encoding,
            **totals,
        )
        log.append(
            [
                log.Event(
                    action=AuditAction.CREATED,
                    object_type="imports.importbatch",
                    object_id=str(batch.pk),
                    object_repr=str(batch)[:200],
                    after={
                        "kind": batch.kind,
                        "department": batch.department.credit_code,
                        "file_sha256": batch.file_sha256,
                        "dry_run": batch.is_dry_run,
                        **totals,
                    },
                )
            ]
        )
        bump_public_version()


def _results(importer: RecordImporter, table: Table) -> Iterator[tuple[int, ChunkResult]]:
    """Validated-and-written chunks. A large file is validated in a second process while this
    one writes the previous chunk: validation is CPU work that needs no database, and the
    machines this runs on have at least two cores."""
    if (table.estimated_rows or 0) < PARALLEL_MIN_ROWS or (os.cpu_count() or 1) < 2:
        for chunk in chunks(table.rows, CHUNK_ROWS):
            yield len(chunk), importer.process(chunk)
        return
    context = multiprocessing.get_context("spawn")  # a fork would share the database connection
    with ProcessPoolExecutor(1, mp_context=context, initializer=worker_boot.start) as pool:
        pending: deque[tuple[int, Future[list[ValidRow | RowError]]]] = deque()
        for chunk in chunks(table.rows, CHUNK_ROWS):
            pending.append((len(chunk), pool.submit(importer.validator.validate_chunk, chunk)))
            if len(pending) > IN_FLIGHT_CHUNKS:
                size, future = pending.popleft()
                yield size, importer.write(future.result())
        while pending:
            size, future = pending.popleft()
            yield size, importer.write(future.result())
