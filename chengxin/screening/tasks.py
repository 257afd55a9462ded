"""Background jobs of 联合奖惩 (run by `chengxin db_worker`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django_tasks import task

from chengxin.screening import batch as batches
from chengxin.screening.batch import run_batch
from chengxin.screening.models import CheckBatch


@task()
def run_check_batch(batch_id: int, path: str) -> dict[str, Any]:
    """Check an uploaded applicant or bidder list, then delete the upload: it holds ID numbers
    (sealed, read into memory), and the checks keep only their ciphertext and masked form."""
    batch = CheckBatch.objects.select_related("department", "requested_by", "scenario").get(
        pk=batch_id
    )
    upload = Path(path)
    try:
        batch = run_batch(batch, upload)
    finally:
        upload.unlink(missing_ok=True)
    return {"status": batch.status, "total": batch.total, "rejected": batch.rejected}


def recover_abandoned() -> int:
    """Fail the check batches whose process died and delete stray uploads; `chengxin serve`
    calls it before it starts the job worker (core.supervision.recover_abandoned_work)."""
    return batches.recover_abandoned()
