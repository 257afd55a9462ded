"""Uploaded documents go to the test's own folder; rate-limit counters start empty."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

from chengxin.decisions.tests.fixtures import (  # noqa: F401
    advance,
    decision_catalogue,
    lawadmin,
    lead_unit,
    legal,
    liaison,
    make_decision,
)


@pytest.fixture(autouse=True)
def _media_dir(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
