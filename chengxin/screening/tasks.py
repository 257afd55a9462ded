"""Background jobs of 联合奖惩 (run by `chengxin db_worker`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from chengxin.accounts.models import User
from chengxin.core.sealed_files import stray_temporary_files
from chengxin.screening import batch as batches
from chengxin.screening.batch import run_batch
from chengxin.screening.models import CheckBatch, Scenario


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


def start_batch(
    upload: UploadedFile, *, scenario: Scenario, matter: str, actor: User
) -> CheckBatch:
    """Store the upload, record the batch (batches.store_batch) and queue its job once the
    batch is committed."""
    with transaction.atomic():
        batch, path = batches.store_batch(upload, scenario=scenario, matter=matter, actor=actor)
        transaction.on_commit(lambda: run_check_batch.enqueue(batch.pk, str(path)))
    return batch


def recover_abandoned() -> int:
    """Fail the check batches whose process died and delete stray uploads; `chengxin serve`
    calls it before it starts the job worker (core.supervision.recover_abandoned_work). How
    many batches were failed."""
    failed = batches.recover_abandoned()
    _delete_stray_uploads()
    return failed


def _delete_stray_uploads() -> None:
    """Delete the uploads no waiting or running job holds (they hold ID numbers, sealed; a job
    deletes its upload when it ends, a killed one cannot), and the temporary files of uploads
    whose request died while sealing them."""
    folder = batches.upload_folder()
    if not folder.is_dir():
        return
    jobs = DBTaskResult.objects.filter(
        task_path=run_check_batch.module_path,
        status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING),
    ).values_list("args_kwargs", flat=True)
    kept = {str(path) for job in jobs for path in (job.get("args") or [])[1:2]}
    limit = (timezone.now() - batches.UPLOAD_GRACE).timestamp()
    for path in folder.glob("*.upload"):
        try:
            stray = str(path) not in kept and path.stat().st_mtime < limit
        except FileNotFoundError:
            continue
        if stray:
            path.unlink(missing_ok=True)
    for path in stray_temporary_files(folder, limit):
        path.unlink(missing_ok=True)
