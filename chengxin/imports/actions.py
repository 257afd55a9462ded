"""Starting an import from an upload."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import IMPORT, can
from chengxin.core.sealed_files import write_sealed
from chengxin.imports.choices import BatchSource
from chengxin.imports.models import ImportBatch
from chengxin.imports.tasks import run_import


def start_import(
    upload: UploadedFile, *, kind: str, department: Department, actor: User, dry_run: bool = False
) -> ImportBatch:
    """Store the upload sealed (core.sealed_files: it holds full ID numbers), record the batch
    and queue its job once the batch is committed.

    Precondition: `actor` may import for `department` (a reporter: only their own).
    """
    probe = ImportBatch(department=department)
    if not can(actor, IMPORT, probe):
        raise PermissionDenied
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.upload"
    sha256 = write_sealed(path, upload.chunks())
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=kind,
            department=department,
            uploaded_by=actor,
            source=BatchSource.WEB,
            file_name=(upload.name or "")[:255],
            file_sha256=sha256,
            stored_file=str(path),
            is_dry_run=dry_run,
        )
        transaction.on_commit(lambda: run_import.enqueue(batch.pk))
    return batch
