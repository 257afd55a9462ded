"""Factory of power items, as a pytest fixture importable by other apps:

    from chengxin.powers.tests.fixtures import make_power_item

`make_power_item(**overrides)` lists a 行政处罚 item through powers.actions.add_power_item (so it
has its 新增 adjustment), effective a year ago by default; pass `effective_on=` to change that,
`category="license"` (a code) or a PowerCategory, and any item field.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.utils.timezone import localdate

from chengxin.accounts.models import Department
from chengxin.powers.actions import add_power_item
from chengxin.powers.choices import NATIONAL_CATEGORIES
from chengxin.powers.models import PowerCategory, PowerItem

_numbers = itertools.count(1)


def national_category(code: str) -> PowerCategory:
    """A seeded category; seeded again when a transactional test flushed the migration's rows."""
    names = dict(NATIONAL_CATEGORIES)
    ordering = list(names).index(code) * 10 + 10
    category, _created = PowerCategory.objects.get_or_create(
        code=code, defaults={"name": names[code], "ordering": ordering}
    )
    return category


@pytest.fixture
def make_power_item(
    db: None, make_department: Callable[..., Department]
) -> Callable[..., PowerItem]:
    def make(**overrides: Any) -> PowerItem:
        n = next(_numbers)
        effective_on = overrides.pop("effective_on", None) or (
            localdate() - datetime.timedelta(days=365)
        )
        reason = overrides.pop("reason", "权力清单编制")
        document = overrides.pop("document", "台政办发〔2025〕1号")
        category = overrides.pop("category", "penalty")
        if isinstance(category, str):
            category = national_category(category)
        values: dict[str, Any] = {
            "code": f"CF{n:08d}",
            "name": f"对违反某法规行为的行政处罚{n}",
            "category": category,
            "legal_basis": "《中华人民共和国食品安全法》第一百二十四条",
            "time_limit": "90日",
            "fee_basis": "不收费",
            "supervision_phone": "0632-6611000",
        }
        values.update(overrides)
        if "implementing_department" not in overrides:
            values["implementing_department"] = make_department()
        adjustment = add_power_item(
            values, actor=None, reason=reason, document=document, effective_on=effective_on
        )
        return adjustment.item

    return make
