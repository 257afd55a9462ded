from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Cached pages and figures of one test's data must not answer the next test."""
    cache.clear()
    yield
    cache.clear()
