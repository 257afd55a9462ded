"""Evidence files: type read from the content (not the name), size-limited, kept off the web root
and sealed (core.sealed_files: applicants' identity papers and receipts are personal data)."""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from chengxin.core.sealed_files import write_sealed

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    content: bytes
    content_type: str
    sha256: str


def sniff(content: bytes) -> str | None:
    """The content type from the file's first bytes, or None if not an accepted type."""
    for magic, content_type in SIGNATURES:
        if content.startswith(magic):
            return content_type
    return None


def check_file(upload: UploadedFile) -> CheckedFile:
    """Read and check one upload; a ValidationError names the file and the problem."""
    name = (upload.name or "file")[-200:]
    limit = settings.REPAIR_EVIDENCE_MAX_MB * 1024 * 1024
    if (upload.size or 0) > limit:
        raise ValidationError(
            _("“%(name)s”超过 %(mb)d MB。") % {"name": name, "mb": settings.REPAIR_EVIDENCE_MAX_MB}
        )
    content = upload.read()
    content_type = sniff(content)
    if content_type is None:
        raise ValidationError(_("“%(name)s”不是 PDF、JPG 或 PNG 文件。") % {"name": name})
    if content_type != "application/pdf":
        try:
            Image.open(io.BytesIO(content)).verify()
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise ValidationError(_("“%(name)s”图片已损坏，无法打开。") % {"name": name}) from exc
    return CheckedFile(name, content, content_type, hashlib.sha256(content).hexdigest())


def check_files(uploads: list[UploadedFile]) -> list[CheckedFile]:
    if len(uploads) > settings.REPAIR_EVIDENCE_MAX_FILES:
        raise ValidationError(
            _("最多上传 %(count)d 个文件。") % {"count": settings.REPAIR_EVIDENCE_MAX_FILES}
        )
    return [check_file(upload) for upload in uploads]


def store(checked: CheckedFile) -> str:
    """Seal the file under a random name; returns that name."""
    folder = settings.REPAIR_EVIDENCE_DIR
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    suffix = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
    stored_name = secrets.token_hex(16) + suffix[checked.content_type]
    write_sealed(folder / stored_name, checked.content)
    return stored_name
