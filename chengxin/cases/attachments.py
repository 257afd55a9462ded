"""Documents attached to case steps: checked like repair evidence (type read from the content,
size-limited), kept outside the web root and sealed (core.sealed_files), served to staff who may
view the case."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from chengxin.cases.models import CaseAttachment, CaseStep
from chengxin.core.sealed_files import write_sealed
from chengxin.repair.evidence import CheckedFile
from chengxin.repair.evidence import check_files as check_evidence

SUFFIXES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def folder() -> Path:
    configured = getattr(settings, "CASE_ATTACHMENT_DIR", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).parent / "case-attachments"


def download_name(item: CaseAttachment) -> str:
    """The name a document is saved under: the uploaded name's stem with the suffix of the type
    read from the content, so a PDF uploaded as "x.html" is never opened as a web page."""
    stem = Path(item.original_name.replace("\\", "/")).stem.strip(". ") or "attachment"
    return stem + SUFFIXES.get(item.content_type, ".bin")


def check_files(uploads: list[UploadedFile]) -> list[CheckedFile]:
    """PDF, JPG or PNG only, same limits as repair evidence; a ValidationError names the file."""
    return check_evidence(uploads) if uploads else []


def attach(step: CaseStep, checked: list[CheckedFile]) -> None:
    if not checked:
        return
    target = folder()
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    for item in checked:
        stored_name = secrets.token_hex(16) + SUFFIXES[item.content_type]
        write_sealed(target / stored_name, item.content)
        CaseAttachment.objects.create(
            step=step,
            original_name=item.original_name,
            stored_name=stored_name,
            content_type=item.content_type,
            size=len(item.content),
            sha256=item.sha256,
        )
