"""The dashboard items of enforcement cases (cases.attention)."""

from __future__ import annotations

from typing import Any

import pytest

from chengxin.accounts.choices import Role
from chengxin.core.tests.test_attention_helpers import item, pending

pytestmark = pytest.mark.django_db


def test_who_is_asked(make_user: Any) -> None:
    reviewer = make_user(Role.LEGAL_REVIEWER)
    handler = make_user(Role.ENFORCEMENT_OFFICER)
    assert item("cases_reviews_pending").concerns(reviewer)
    assert not item("cases_reviews_pending").concerns(handler)
    assert item("cases_publicity_overdue").concerns(handler)
    assert not item("cases_publicity_overdue").concerns(reviewer)
    assert pending(reviewer, "cases_reviews_pending") == 0  # nothing waiting: not shown
