"""Background jobs of the imports app (run by `chengxin db_worker`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django_tasks import task

from chengxin.imports.models import ImportBatch
from chengxin.imports.pipeline import run_batch


@task()
def run_import(batch_id: int) -> dict[str, Any]:
    """Import an uploaded file, then delete the upload: it holds personal data in plaintext,
    and the batch keeps its SHA-256 and the rejected rows (encrypted)."""
    batch = ImportBatch.objects.select_related("department", "uploaded_by").get(pk=batch_id)
    path = Path(batch.stored_file)
    try:
        batch = run_batch(batch, path)
    finally:
        path.unlink(missing_ok=True)
    return {"status": batch.status, "read": batch.rows_read, "rejected": batch.rows_rejected}
