"""The lookups the cases app makes on other tables have an index in the database."""

from __future__ import annotations

import pytest
from django.db import connection

from chengxin.publicity.models import PenaltyRecord

pytestmark = pytest.mark.django_db


def test_penalty_records_are_indexed_by_authority_and_decision_number() -> None:
    """link_penalty_records (every decision) and the 网外循环 report find a body's records by
    处罚机关统一社会信用代码 and 决定书文号: an index leads with both."""
    table = PenaltyRecord._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    leading = {tuple(info["columns"][:2]) for info in constraints.values() if info.get("index")}
    assert ("authority_credit_code", "decision_number") in leading
