"""A register's file uploaded on a staff page: one batch, its counts and its rejected rows.

Every register of `core.registers` with a `batch_model` is uploaded the same way (views in
`imports.views_registers`): the upload sealed into a private temporary file with its SHA-256
(a process killed meanwhile leaves ciphertext only), a batch row saying who sent which file,
then `core.registers.load` in one transaction with the batch's counts and the rejected rows
(encrypted, `imports.RejectedRow`) — a crash writes nothing and the batch says it failed.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.accounts.permissions import IMPORT, VIEW, can
from chengxin.audit.context import audit_context
from chengxin.core import registers
from chengxin.core.readers import UnreadableFile
from chengxin.core.sealed_files import write_sealed
from chengxin.imports.choices import RegistryImportStatus
from chengxin.imports.models import RegistryImport

logger = logging.getLogger(__name__)


def batch_model(entry: registers.Register) -> type[RegistryImport]:
    """The register's batch model; LookupError for a register without staff uploads."""
    if not entry.batch_model:
        raise LookupError(entry.key)
    model: type[RegistryImport] = apps.get_model(entry.batch_model)
    return model


def batches(entry: registers.Register, user: User) -> QuerySet[RegistryImport]:
    """The register's batches `user` may see, newest first."""
    model = batch_model(entry)
    found = model.objects.restrict(user, VIEW).select_related("uploaded_by")
    if model.register_field:
        found = found.filter(**{model.register_field: entry.key})
    return found


def may_upload(entry: registers.Register, user: User) -> bool:
    return bool(entry.batch_model) and can(user, IMPORT, batch_model(entry))


@contextmanager
def stored_upload(upload: UploadedFile) -> Iterator[tuple[Path, str]]:
    """The upload sealed (core.sealed_files) into a private temporary folder, with the SHA-256
    of its plaintext; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="chengxin-upload-") as folder:
        path = Path(folder) / "upload"
        yield path, write_sealed(path, upload.chunks())


def upload_file(
    entry: registers.Register,
    upload: UploadedFile,
    *,
    actor: User,
    options: Mapping[str, Any] | None = None,
) -> RegistryImport:
    """Load an uploaded file into `entry` in this request; returns the ended batch.

    Precondition: `actor` may import on the batch model's area. The batch keeps the options
    its model has fields for (the power list's reason, document and effective date)."""
    if not may_upload(entry, actor):
        raise PermissionDenied
    model = batch_model(entry)
    options = dict(options or {})
    fields = {name: value for name, value in options.items() if _has_field(model, name)}
    if model.register_field:
        fields[model.register_field] = entry.key
    with stored_upload(upload) as (path, sha256):
        batch = model.objects.create(
            uploaded_by=actor, file_name=(upload.name or "")[:255], file_sha256=sha256, **fields
        )
        context = registers.Context(actor=actor, options=options)
        try:
            with audit_context(actor=actor), transaction.atomic():
                result = registers.load(entry, path, context)
                _finish(batch, result)
        except UnreadableFile as exc:
            _fail(batch, str(exc))
        except Exception as exc:
            logger.exception("%s %s failed", batch._meta.label, batch.pk)
            message = _("导入失败，本批次未写入任何数据（%(error)s）。请联系系统管理员。")
            _fail(batch, message % {"error": type(exc).__name__})
    batch.refresh_from_db()
    return batch


def _has_field(model: type[RegistryImport], name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)


def _finish(batch: RegistryImport, result: registers.LoadResult) -> None:
    rejection_model: Any = batch.rejections.model
    rejection_model.objects.bulk_create(
        rejection_model(
            batch=batch,
            row_number=row.number,
            cells_ciphertext=rejection_model.seal(row.cells),
            errors=row.problems,
        )
        for row in result.rejected
    )
    counts = result.counts
    batch.header = result.header
    batch.encoding = result.encoding
    batch.status = RegistryImportStatus.FINISHED
    batch.rows_read = len(result.rows)
    batch.rows_created = counts[registers.Outcome.CREATED]
    batch.rows_updated = counts[registers.Outcome.UPDATED]
    batch.rows_unchanged = counts[registers.Outcome.UNCHANGED]
    batch.rows_rejected = len(result.rejected)
    batch.finished_at = timezone.now()
    batch.save()


def _fail(batch: RegistryImport, message: str) -> None:
    type(batch).objects.filter(pk=batch.pk).update(
        status=RegistryImportStatus.FAILED, error_message=message, finished_at=timezone.now()
    )
