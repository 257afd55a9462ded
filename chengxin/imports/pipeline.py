"""Running an import batch: stream the file, process it in chunks, commit once.

The whole batch is one transaction, so a process killed mid-import leaves nothing of the batch.
The process running a batch holds a lock file for it (`core.supervision.holding`) and records its
host and PID on the batch; `recover_abandoned()` fails a batch left QUEUED or RUNNING by a process
that died, with a reason the page shows, and deletes its upload. `chengxin serve` runs it before
it starts (or restarts) the job worker, and every file import runs it first (ADR 0016). An
upload is deleted as soon as its batch ends, finished or failed. A transient database error
("database is locked", a lost connection) rolls the batch back, and a job may queue it again.

Progress goes to the cache, which other processes can read while the transaction is still open
(SQLite allows one writer, so it cannot go to the database).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus

from chengxin.audit import log
from chengxin.audit.choices import AuditAction
from chengxin.audit.context import audit_context
from chengxin.core import sealed_files, supervision
from chengxin.core.public_data import notify_public_data_changed
from chengxin.core.readers import Table, UnreadableFile, open_table
from chengxin.imports import worker_boot
from chengxin.imports.choices import BatchStatus
from chengxin.imports.models import ACTIVE_STATUSES, ImportBatch, ImportRejection
from chengxin.publicity import release
from chengxin.publicity.importing import RecordImporter, RowError, ValidRow

logger = logging.getLogger(__name__)
CHUNK_ROWS = 2000  # rows checked at a time (in the second process for a large file)
# Rows staged per write transaction: SQLite has one writer, and every other writer — a staff
# member saving a form — waits for this transaction (docs/performance.md).
WRITE_ROWS = 250
PARALLEL_MIN_ROWS = 20_000  # below this, starting a worker process costs more than it saves
IN_FLIGHT_CHUNKS = 2  # bounded: the file is never read much ahead of what is written
STALLED_AFTER = datetime.timedelta(minutes=10)
PROGRESS_TTL = int(STALLED_AFTER.total_seconds())
# A QUEUED batch with no job left to run it, or a stray upload, is abandoned after this long:
# the web request stores the upload before it creates the batch and queues the job.
QUEUED_GRACE = datetime.timedelta(minutes=10)
ENDED = (BatchStatus.FINISHED, BatchStatus.FAILED)
ABANDONED_MESSAGE = "导入中断（处理进程意外停止），本批次未写入任何记录。请重新导入。"
BUSY_MESSAGE = "本单位同类数据的另一导入批次（{other}）正在处理，本批次未写入任何记录。请稍后重试。"
WAITING_MESSAGE = "等待本单位同类数据的另一导入批次（{other}）处理完毕后开始。"
WAIT_POLL_SECONDS = 2.0
RELEASE_RETRY_MESSAGE = (
    "数据库暂时不可用（{error}），本批次已通过校验，正在入库；"
    "将在 {minutes} 分钟后自动继续（第 {attempt} 次）。"
)
RETRY_MESSAGE = (
    "数据库暂时不可用（{error}），本批次未写入任何记录；"
    "将在 {minutes} 分钟后自动重试（第 {attempt} 次）。"
)

# Queue the next attempt of a batch's job (inside the caller's transaction) and say which
# attempt it is and after how long it runs; given by the job while attempts are left.
Requeue = Callable[[], tuple[int, datetime.timedelta]]


class WorkerDied(Exception):
    """The process running an import job ended before the job did."""


class Busy(Exception):
    """Another batch of the department's records of this kind is active; the batch was failed
    with this message (`run_rows`, whose caller should try again later)."""


def progress_key(batch_id: int) -> str:
    return f"import-progress:{batch_id}"


def read_progress(batch: ImportBatch) -> dict[str, Any]:
    """Rows read so far, the estimated total and a percentage, for the progress bar; whether a
    RUNNING batch was interrupted (its process died: the next recovery marks it failed)."""
    if batch.status in ENDED:
        return {"rows_read": batch.rows_read, "rows_total": batch.rows_read, "percent": 100}
    cached = cache.get(progress_key(batch.pk)) or {}
    if batch.status == BatchStatus.RELEASING:  # read and checked: the rows are being let out
        # Until the first release step, the cache still holds the reading phase's progress.
        released, to_release = cached.get("released", 0), cached.get("to_release", 0)
        return {
            "rows_read": batch.rows_read,
            "rows_total": batch.rows_read,
            "percent": min(99, 100 * released // to_release) if to_release else 99,
            "interrupted": False,  # a recovery finishes it
        }
    read, total = cached.get("rows_read", 0), cached.get("rows_total", 0)
    return {
        "rows_read": read,
        "rows_total": total,
        "percent": min(99, 100 * read // total) if total else 0,
        "interrupted": batch.status == BatchStatus.RUNNING and _interrupted(batch, cached),
    }


def _interrupted(batch: ImportBatch, progress: Any) -> bool:
    known = _runner_gone(batch, timezone.now())
    if known is None:  # run on another host: no progress for a while says so
        started = batch.started_at
        return progress is None and started is not None and timezone.now() - started > STALLED_AFTER
    # The runner ends the batch before it lets go of its lock: read the status again.
    return known and ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING).exists()


def run_lock(batch_id: int) -> str:
    return supervision.lock_name("import", batch_id)


def _runner_gone(batch: ImportBatch, now: datetime.datetime) -> bool | None:
    """Whether the process that runs this RUNNING batch has gone; None: not for this host to say.

    The runner holds the batch's lock file from before it marks the batch RUNNING until after it
    has ended it, and the kernel lets go of the lock when the process ends, however it ends.
    """
    if batch.runner_host == supervision.host_name():
        return not supervision.is_held(run_lock(batch.pk))
    if not batch.runner_host:  # marked RUNNING before runners were recorded (migration 0002)
        return batch.started_at is not None and now - batch.started_at > STALLED_AFTER
    return None  # the recovery on that host judges it (ADR 0016: several hosts)


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


def upload_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def delete_upload(batch: ImportBatch) -> None:
    """Delete the batch's stored upload (a web upload; the command line's file is the user's)."""
    if batch.stored_file:
        path = Path(batch.stored_file)
        if path.parent == upload_folder():
            path.unlink(missing_ok=True)


def run_batch(batch: ImportBatch, path: Path, *, requeue: Requeue | None = None) -> ImportBatch:
    """Import the file at `path` into `batch`; the batch ends FINISHED or FAILED with a message
    (or QUEUED again, after a transient database error, when `requeue` is given). Batches on
    this host whose process died are failed, or finished, first. While another batch of the
    department's records of this kind is active, this one waits for it."""
    try:
        recover_abandoned(exclude=batch.pk)
    except Exception:  # never a reason not to import
        logger.exception("recovering abandoned import batches failed")
    return _run(batch, lambda: open_table(path), requeue, wait=True)


def run_rows(batch: ImportBatch, header: list[str], rows: list[list[Any]]) -> ImportBatch:
    """Import rows already in memory (the JSON API) through the same pipeline.

    :raises Busy: another batch of the department's records of this kind is active (the batch
        is failed with the message).
    """
    table = Table(header, iter(enumerate(rows, start=1)), "json", len(rows))
    return _run(batch, lambda: table, None, wait=False)


def _run(
    batch: ImportBatch, open_source: Callable[[], Table], requeue: Requeue | None, *, wait: bool
) -> ImportBatch:
    with supervision.holding(run_lock(batch.pk)) as held:
        if held:  # else another process runs this batch
            _run_held(batch, open_source, requeue, wait)
    batch.refresh_from_db()
    return batch


def _run_held(
    batch: ImportBatch, open_source: Callable[[], Table], requeue: Requeue | None, wait: bool
) -> None:
    try:
        if not _claim(batch, wait=wait):
            if batch.status == BatchStatus.RELEASING:  # past its commit point: finish it
                with audit_context(actor=batch.uploaded_by, reason=f"导入批次 #{batch.pk}"):
                    _release(batch)
            return  # else run already, or failed by a recovery
        with audit_context(actor=batch.uploaded_by, reason=f"导入批次 #{batch.pk}"):
            _import(batch, open_source())
    except Busy:
        raise
    except UnreadableFile as exc:
        _fail(batch, str(exc))
    except Exception as exc:
        transient = supervision.is_transient_database_error(exc)
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()  # a lost connection: open a new one
        if ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.RELEASING).exists():
            # Past the commit point: never failed. The next attempt (or recovery) goes on.
            logger.exception("import batch %s: releasing stopped; it will go on", batch.pk)
            if requeue is not None and transient:
                _queue_release_again(batch, requeue, exc)
        elif requeue is not None and transient:
            _queue_again(batch, requeue, exc)
        else:
            # Nothing of the batch is visible: say so on the batch, keep the trace in the log.
            logger.exception("import batch %s failed", batch.pk)
            message = f"导入失败，本批次未写入任何记录（{type(exc).__name__}）。请联系系统管理员。"
            _fail(batch, message)
    finally:
        cache.delete(progress_key(batch.pk))
    # Ended, and committed, before the lock is let go: a recovery never fails a finished batch.
    if ImportBatch.objects.filter(pk=batch.pk, status__in=ENDED).exists():
        delete_upload(batch)


def _claim(batch: ImportBatch, *, wait: bool) -> bool:
    """QUEUED → RUNNING, recording this process; False when the batch was not QUEUED.

    One batch per department and kind runs at a time (the database's constraint). While
    another runs, this one waits (`wait`: a file's batch; recovering abandoned batches as it
    waits) or fails at once with a message naming the other (the API's, whose caller is
    waiting for an answer). Anything an earlier attempt of this batch staged is discarded.
    """
    while True:
        try:
            with transaction.atomic():
                claimed = ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.QUEUED).update(
                    status=BatchStatus.RUNNING,
                    started_at=timezone.now(),
                    runner_host=supervision.host_name(),
                    runner_pid=os.getpid(),
                    error_message="",
                )
        except IntegrityError:
            other = _active_batch(batch)
            if not wait:
                message = BUSY_MESSAGE.format(other=other)
                _fail(batch, message, status=BatchStatus.QUEUED)
                raise Busy(message) from None
            ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.QUEUED).update(
                error_message=WAITING_MESSAGE.format(other=other)
            )
            time.sleep(WAIT_POLL_SECONDS)
            recover_abandoned(exclude=batch.pk)
            continue
        batch.refresh_from_db()
        if claimed:
            _discard(batch)
        return bool(claimed)


def _active_batch(batch: ImportBatch) -> str:
    active = ImportBatch.objects.filter(
        department=batch.department_id, kind=batch.kind, status__in=ACTIVE_STATUSES
    ).first()
    return f"#{active.pk}" if active else ""


def _queue_again(batch: ImportBatch, requeue: Requeue, exc: Exception) -> None:
    """After a transient database error before the commit point: what the batch staged is
    discarded, and it is QUEUED again, with the next attempt of its job queued in the same
    transaction; FAILED if that fails too. (Should the discarding fail, the next attempt's
    claim discards it.)"""
    logger.warning("import batch %s: %s; it will be tried again", batch.pk, exc)
    try:
        _discard(batch)
        with transaction.atomic():
            attempt, delay = requeue()
            minutes = max(1, round(delay.total_seconds() / 60))
            error = f"{type(exc).__name__}: {str(exc)[:200]}"
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=BatchStatus.QUEUED,
                runner_host="",
                runner_pid=None,
                error_message=RETRY_MESSAGE.format(error=error, minutes=minutes, attempt=attempt),
            )
    except Exception:
        logger.exception("import batch %s could not be queued again", batch.pk)
        _fail(batch, f"导入失败，本批次未写入任何记录（{type(exc).__name__}）。请重新导入。")


def _fail(batch: ImportBatch, message: str, **unchanged: Any) -> bool:
    """FAILED with `message` and no counts, and whatever it staged discarded; with `unchanged`
    fields (`status=…`), only a batch that still has those values. Never a batch past its
    commit point (RELEASING). Whether it was failed."""
    failed = (
        ImportBatch.objects.filter(pk=batch.pk, **unchanged)
        .exclude(status__in=(BatchStatus.RELEASING, BatchStatus.FINISHED))
        .update(
            status=BatchStatus.FAILED,
            error_message=message,
            finished_at=timezone.now(),
            rows_read=0,
            rows_created=0,
            rows_updated=0,
            rows_unchanged=0,
            rows_rejected=0,
        )
    )
    if failed:
        _discard(batch)
    return bool(failed)


def _discard(batch: ImportBatch) -> None:
    """Delete what the batch staged and the rows it rejected (an earlier attempt's, or a failed
    batch's), in short transactions."""
    release.discard_batch(batch.pk)
    ImportRejection.objects.filter(batch=batch.pk).delete()


def _queue_release_again(batch: ImportBatch, requeue: Requeue, exc: Exception) -> None:
    """After a transient database error while releasing: the next attempt of the job goes on."""
    try:
        with transaction.atomic():
            attempt, delay = requeue()
            minutes = max(1, round(delay.total_seconds() / 60))
            error = f"{type(exc).__name__}: {str(exc)[:200]}"
            ImportBatch.objects.filter(pk=batch.pk).update(
                error_message=RELEASE_RETRY_MESSAGE.format(
                    error=error, minutes=minutes, attempt=attempt
                )
            )
    except Exception:
        logger.exception("import batch %s: the next release attempt could not be queued", batch.pk)


# --- recovery -----------------------------------------------------------------------------------


def recover_abandoned(*, exclude: int | None = None) -> int:
    """Fail the batches whose process died before their commit point (RUNNING: its lock is
    free; QUEUED: no job is left to run it) and discard what they staged; finish releasing
    those whose process died after it (RELEASING). Delete their uploads and any upload no
    unfinished batch holds, and mark their jobs failed. Only batches run on this host are judged
    by their lock (ADR 0016). Idempotent, and safe beside running imports: every change is
    conditional on the status it saw. Returns how many batches were failed or finished."""
    now = timezone.now()
    unfinished = ImportBatch.objects.filter(
        status__in=(BatchStatus.QUEUED, BatchStatus.RUNNING, BatchStatus.RELEASING)
    )
    pending = list(unfinished.exclude(pk=exclude or 0).select_related("department", "uploaded_by"))
    jobs = _import_jobs() if pending else {}
    failed, finished = [], []
    for batch in pending:
        if not _abandoned(batch, jobs, now):
            continue
        if batch.status == BatchStatus.RELEASING:
            if _finish_abandoned(batch):
                finished.append(batch)
        elif _fail(batch, ABANDONED_MESSAGE, **_as_seen(batch)):
            logger.warning("import batch %s was abandoned by its process: marked failed", batch.pk)
            failed.append(batch)
    for batch in failed + finished:
        delete_upload(batch)
    _fail_jobs([job for batch in failed + finished for job in jobs.get(batch.pk, [])], now)
    _delete_stray_uploads(set(unfinished.values_list("stored_file", flat=True)), now)
    return len(failed) + len(finished)


def _finish_abandoned(batch: ImportBatch) -> bool:
    """Take over a RELEASING batch whose process died and release it; whether it finished."""
    took = ImportBatch.objects.filter(pk=batch.pk, **_as_seen(batch)).update(
        runner_host=supervision.host_name(), runner_pid=os.getpid()
    )
    if not took:
        return False
    with supervision.holding(run_lock(batch.pk), wait_seconds=0) as held:
        if not held:
            return False
        logger.warning("import batch %s was left releasing by its process: finishing it", batch.pk)
        with audit_context(actor=batch.uploaded_by, reason=f"导入批次 #{batch.pk}"):
            _release(batch)
    return ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.FINISHED).exists()


def _as_seen(batch: ImportBatch) -> dict[str, Any]:
    """The fields that say a batch is still the one judged (not run again since)."""
    fields = ("status", "started_at", "runner_host", "runner_pid")
    return {name: getattr(batch, name) for name in fields}


def _abandoned(batch: ImportBatch, jobs: dict[int, list[Any]], now: datetime.datetime) -> bool:
    if batch.status in ACTIVE_STATUSES:
        return bool(_runner_gone(batch, now))
    # QUEUED: waiting for its job, or for the next attempt after a transient error.
    for job in jobs.get(batch.pk, []):
        if job.status == TaskResultStatus.READY:
            return False
        if (
            job.status == TaskResultStatus.RUNNING
            and job.started_at
            and now - job.started_at < QUEUED_GRACE
        ):
            return False  # the job is about to claim the batch
    return now - batch.created_at > QUEUED_GRACE


# The job that runs a batch (imports.tasks.run_import, which calls this module: named here, not
# imported, so that the two do not import each other; imports.tests check the name).
IMPORT_TASK = "chengxin.imports.tasks.run_import"


def _import_jobs() -> dict[int, list[Any]]:
    """The import jobs waiting or running, by batch."""
    from django_tasks_db.models import DBTaskResult

    by_batch: dict[int, list[Any]] = {}
    jobs = DBTaskResult.objects.filter(
        task_path=IMPORT_TASK,
        status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING),
    ).only("id", "status", "started_at", "args_kwargs")
    for job in jobs:
        args, kwargs = job.args_kwargs.get("args") or [], job.args_kwargs.get("kwargs") or {}
        batch_id = args[0] if args else kwargs.get("batch_id")
        if isinstance(batch_id, int):
            by_batch.setdefault(batch_id, []).append(job)
    return by_batch


def _fail_jobs(jobs: list[Any], now: datetime.datetime) -> None:
    """Jobs still RUNNING for a dead process: FAILED, as django-tasks-db would have said."""
    from django_tasks_db.models import DBTaskResult

    running = [job.pk for job in jobs if job.status == TaskResultStatus.RUNNING]
    if running:
        DBTaskResult.objects.filter(pk__in=running, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{__name__}.{WorkerDied.__qualname__}",
            traceback=f"{WorkerDied.__doc__}\n{ABANDONED_MESSAGE}",
        )


def _delete_stray_uploads(kept: set[str], now: datetime.datetime) -> None:
    """Uploads no QUEUED or RUNNING batch holds: a batch that ended, or a request that died
    between storing the file and creating the batch; and the temporary file of a request that
    died while sealing its upload (core.sealed_files.write_atomically)."""
    folder = upload_folder()
    if not folder.is_dir():
        return
    limit = (now - QUEUED_GRACE).timestamp()
    for path in folder.glob("*.upload"):
        try:
            stray = str(path) not in kept and path.stat().st_mtime < limit
        except FileNotFoundError:
            continue
        if stray:
            path.unlink(missing_ok=True)
    for path in sealed_files.stray_temporary_files(folder, limit):
        path.unlink(missing_ok=True)


def _import(batch: ImportBatch, table: Table) -> None:
    """Read, check and stage the file a chunk per transaction, then pass the commit point and
    release the batch. A kill before the commit point leaves staged rows that the recovery
    discards; after it, staged rows that the recovery releases."""
    importer = RecordImporter(
        batch.kind, batch.department, batch=batch, actor=batch.uploaded_by, dry_run=batch.is_dry_run
    )
    importer.set_header(table.header)
    totals = dict.fromkeys(TOTALS, 0)
    durations: list[float] = []  # of each write transaction: what other writers may wait for
    for chunk_size, outcomes in _validated(importer, table):
        for start in range(0, len(outcomes), WRITE_ROWS):
            began = time.perf_counter()
            with transaction.atomic():
                result = importer.write(outcomes[start : start + WRITE_ROWS])
                ImportRejection.objects.bulk_create(
                    ImportRejection(
                        batch=batch,
                        row_number=e.row_number,
                        cells_ciphertext=ImportRejection.seal(e.cells),
                        errors=e.problems,
                    )
                    for e in result.rejected
                )
            durations.append(time.perf_counter() - began)
            totals["rows_created"] += result.created
            totals["rows_updated"] += result.updated
            totals["rows_unchanged"] += result.unchanged
            totals["rows_rejected"] += len(result.rejected)
        totals["rows_read"] += chunk_size
        progress = {"rows_read": totals["rows_read"], "rows_total": table.estimated_rows or 0}
        cache.set(progress_key(batch.pk), progress, PROGRESS_TTL)
    # The commit point: one short update. From here the batch is released, not failed.
    passed = ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING).update(
        status=BatchStatus.RELEASING,
        rows_total=totals["rows_read"],
        header=table.header,
        encoding=table.encoding,
        **totals,
    )
    if not passed:  # failed meanwhile by a recovery that judged this process dead
        raise WorkerDied(f"batch {batch.pk} is no longer running")
    batch.refresh_from_db()
    _log_transactions(batch, "staged", durations)
    _release(batch)


def _log_transactions(batch: ImportBatch, phase: str, seconds: list[float]) -> None:
    """How long the batch's write transactions of one phase held the database (the budget:
    tens of milliseconds each, docs/performance.md)."""
    if seconds:
        ordered = sorted(seconds)
        logger.info(
            "import batch %s %s in %d transactions: median %.0f ms, p99 %.0f ms, longest %.0f ms",
            batch.pk,
            phase,
            len(ordered),
            1000 * ordered[len(ordered) // 2],
            1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
            1000 * ordered[-1],
        )


TOTALS = ("rows_read", "rows_created", "rows_updated", "rows_unchanged", "rows_rejected")


def _release(batch: ImportBatch) -> None:
    """Let the batch's staged rows out in bounded steps, then end it FINISHED with its audit
    entry, in one transaction. Run by the importing process, or by a recovery for a batch whose
    process died after the commit point. A dry run has nothing to let out."""
    if not batch.is_dry_run:
        released = 0
        total = batch.rows_created + batch.rows_updated
        durations: list[float] = []

        def advance(count: int, seconds: float) -> None:
            nonlocal released
            released += count
            durations.append(seconds)
            progress = {"rows_read": batch.rows_read, "released": released, "to_release": total}
            cache.set(progress_key(batch.pk), progress, PROGRESS_TTL)

        release.release_batch(batch.kind, batch.pk, progress=advance)
        _log_transactions(batch, "released", durations)
    with transaction.atomic():
        ended = ImportBatch.objects.filter(
            pk=batch.pk, status__in=(BatchStatus.RUNNING, BatchStatus.RELEASING)
        ).update(status=BatchStatus.FINISHED, finished_at=timezone.now())
        if not ended:
            return
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
                        **{name: getattr(batch, name) for name in TOTALS},
                    },
                )
            ]
        )
        notify_public_data_changed()


def _validated(
    importer: RecordImporter, table: Table
) -> Iterator[tuple[int, list[ValidRow | RowError]]]:
    """The file's rows checked, a chunk at a time. A large file is checked in a second process
    while this one stages the previous chunk: checking is CPU work that needs no database, and
    the machines this runs on have at least two cores."""
    if (table.estimated_rows or 0) < PARALLEL_MIN_ROWS or (os.cpu_count() or 1) < 2:
        for chunk in chunks(table.rows, CHUNK_ROWS):
            yield len(chunk), importer.validator.validate_chunk(chunk)
        return
    context = multiprocessing.get_context("spawn")  # a fork would share the database connection
    # The validation process dies with this one (worker_boot.start): it must not outlive a
    # worker killed mid-import.
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=worker_boot.start, initargs=(os.getpid(),)
    ) as pool:
        pending: deque[tuple[int, Future[list[ValidRow | RowError]]]] = deque()
        for chunk in chunks(table.rows, CHUNK_ROWS):
            pending.append((len(chunk), pool.submit(importer.validator.validate_chunk, chunk)))
            if len(pending) > IN_FLIGHT_CHUNKS:
                size, future = pending.popleft()
                yield size, future.result()
        while pending:
            size, future = pending.popleft()
            yield size, future.result()
