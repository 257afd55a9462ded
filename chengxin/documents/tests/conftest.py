"""Document test fixtures; rate-limit counters do not leak between tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from chengxin.documents.tests.fixtures import (  # noqa: F401
    lawadmin,
    liaison,
    make_body,
    make_document,
    market_body,
    market_department,
    reviewer,
)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
