"""Evidence files and outbox messages of repair tests go to the test's own folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings


@pytest.fixture(autouse=True)
def _evidence_dir(tmp_path: Path) -> Iterator[None]:
    with override_settings(
        REPAIR_EVIDENCE_DIR=tmp_path / "evidence", SYNC_OUTBOX_DIR=tmp_path / "outbox"
    ):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Rate-limit counters and cached public pages of one test must not affect the next."""
    cache.clear()
    yield
    cache.clear()
