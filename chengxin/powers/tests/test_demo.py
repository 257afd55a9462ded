"""The demo step: a few hundred items across the categories, with adjustments in history."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from chengxin.accounts import demo as accounts_demo
from chengxin.core.demodata import DemoContext
from chengxin.powers import demo
from chengxin.powers.choices import AdjustmentKind
from chengxin.powers.models import PowerAdjustment, PowerItem

pytestmark = pytest.mark.django_db


def test_demo_power_list() -> None:
    ctx = DemoContext(seed=370405, volumes={}, out=io.StringIO())
    accounts_demo.generate(ctx)
    demo.generate(ctx)
    today = timezone.localdate()

    in_force = PowerItem.objects.in_force(on=today)
    assert 250 <= in_force.count() <= 350
    assert in_force.values("category").distinct().count() >= 8
    for kind in AdjustmentKind:
        assert PowerAdjustment.objects.filter(kind=kind).exists(), kind
    assert PowerItem.objects.filter(is_cancelled=True).count() == 13
    assert len(ctx.shared["power_items"]) == in_force.count()
    market = ctx.shared["power_items_by_department"]["market"]
    assert market and all(
        i.implementing_department == ctx.shared["departments"]["market"] for i in market
    )
