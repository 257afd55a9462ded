"""Web uploads waiting for their import job are kept sealed (core.sealed_files): full ID numbers."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from chengxin.core.sealed_files import SealedFolder

FOLDERS = (
    SealedFolder("import-uploads", lambda: Path(settings.MEDIA_ROOT) / "imports", "*.upload"),
)
