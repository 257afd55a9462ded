"""Batch-check uploads waiting for their job are kept sealed (core.sealed_files): ID numbers."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from chengxin.core.sealed_files import SealedFolder

FOLDERS = (
    SealedFolder("screening-uploads", lambda: Path(settings.MEDIA_ROOT) / "screening", "*.upload"),
)
