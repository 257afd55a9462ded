"""The factories this app's tests use (agencies, powers and its own); attachments to tmp."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from chengxin.agencies.tests.fixtures import (  # noqa: F401
    make_enforcement_body,
    make_enforcement_officer,
)
from chengxin.cases.tests.fixtures import (  # noqa: F401
    case_body,
    case_department,
    case_officers,
    handler,
    head,
    make_case,
    penalty_item,
    reviewer,
)
from chengxin.powers.tests.fixtures import make_power_item  # noqa: F401


@pytest.fixture(autouse=True)
def _attachment_dir(tmp_path: Path) -> Iterator[None]:
    with override_settings(CASE_ATTACHMENT_DIR=tmp_path / "case-attachments"):
        yield
