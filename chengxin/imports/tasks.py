"""Background jobs of the imports app (run by `chengxin db_worker`)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone
from django_tasks import task

from chengxin.imports import pipeline
from chengxin.imports.models import ImportBatch

# After a transient database error ("database is locked", a lost connection) the batch rolled
# back and its job is queued again after these waits; after the last, the batch fails.
RETRY_AFTER = (
    datetime.timedelta(seconds=30),
    datetime.timedelta(minutes=2),
    datetime.timedelta(minutes=10),
)


@task()
def run_import(batch_id: int, attempt: int = 1) -> dict[str, Any]:
    """Import an uploaded file. The pipeline deletes the upload when the batch ends, finished or
    failed: it holds personal data (sealed, and read through the key, never unsealed onto
    disk), and the batch keeps its SHA-256 and the rejected rows (encrypted). django-tasks
    does not retry a job, so this one queues itself again after a transient database error,
    `len(RETRY_AFTER)` times at most."""
    batch = ImportBatch.objects.select_related("department", "uploaded_by").get(pk=batch_id)
    requeue = _next_attempt(batch_id, attempt) if attempt <= len(RETRY_AFTER) else None
    batch = pipeline.run_batch(batch, Path(batch.stored_file), requeue=requeue)
    return {"status": batch.status, "read": batch.rows_read, "rejected": batch.rows_rejected}


def _next_attempt(batch_id: int, attempt: int) -> pipeline.Requeue:
    delay = RETRY_AFTER[attempt - 1]

    def requeue() -> tuple[int, datetime.timedelta]:
        later = run_import.using(run_after=timezone.now() + delay)
        later.enqueue(batch_id, attempt=attempt + 1)
        return attempt + 1, delay

    return requeue


def recover_abandoned() -> int:
    """Fail the import batches whose process died and delete their uploads; `chengxin serve`
    calls it before it starts the job worker (core.supervision.recover_abandoned_work)."""
    return pipeline.recover_abandoned()
