"""The power list figures of the annual report, and the lists behind them."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from chengxin.accounts.models import User
from chengxin.powers import annual
from chengxin.powers.actions import cancel_power_item, change_power_item
from chengxin.powers.models import PowerItem
from chengxin.powers.tests.conftest import logged_in

pytestmark = pytest.mark.django_db

MakeItem = Callable[..., PowerItem]
YEAR = 2025
BASIS = {"actor": None, "reason": "调整", "document": "台政办发〔2025〕5号"}


def test_powers_figures(make_power_item: MakeItem, law_admin: User) -> None:
    kept = make_power_item(effective_on=datetime.date(YEAR - 1, 1, 1))
    make_power_item(effective_on=datetime.date(YEAR, 6, 1), category="license")
    make_power_item(effective_on=datetime.date(YEAR + 1, 1, 1))  # next year
    gone = make_power_item(effective_on=datetime.date(YEAR - 1, 1, 1))
    change_power_item(kept, {"time_limit": "1日"}, effective_on=datetime.date(YEAR, 2, 1), **BASIS)
    cancel_power_item(gone, effective_on=datetime.date(YEAR, 12, 31), **BASIS)

    [section] = annual.sections(YEAR)
    values = {figure.key: figure.value for figure in section.figures}
    assert values == {
        "powers.items_in_force": 2,
        "powers.adjustments_add": 1,
        "powers.adjustments_change": 1,
        "powers.adjustments_cancel": 1,
    }
    [chart] = section.charts
    counts = dict(zip(chart.labels, chart.values, strict=True))
    assert counts["行政处罚"] == 1 and counts["行政许可"] == 1
    urls = {figure.key: figure.url for figure in section.figures}
    client = logged_in(law_admin)
    assert client.get(urls["powers.items_in_force"]).context["page"].paginator.count == 2
    assert client.get(urls["powers.adjustments_cancel"]).context["page"].paginator.count == 1
