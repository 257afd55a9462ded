"""Repair evidence is kept sealed (core.sealed_files): applicants' identity papers and receipts."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from chengxin.core.sealed_files import SealedFolder

FOLDERS = (SealedFolder("repair-evidence", lambda: Path(settings.REPAIR_EVIDENCE_DIR)),)
