"""The public power list in Chromium: the list of a past day shows that day's version."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from chengxin.core.tests.test_browser import SCREENSHOTS
from chengxin.powers.actions import change_power_item
from chengxin.powers.models import PowerItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_list_as_of_a_past_day(
    page: Any, live_server: Any, make_power_item: Callable[..., PowerItem]
) -> None:
    item = make_power_item(effective_on=datetime.date(2025, 1, 1), time_limit="九十日")
    change_power_item(
        item,
        {"time_limit": "三十日"},
        actor=None,
        reason="压缩时限",
        document="台政办发〔2025〕5号",
        effective_on=datetime.date(2025, 6, 1),
    )
    page.goto(f"{live_server.url}/powers/")
    expect(page.get_by_text("三十日")).to_be_visible()
    page.get_by_label("截至日期").fill("2025-03-01")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("九十日")).to_be_visible()
    assert "三十日" not in page.content()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "powers-public-as-of.png", full_page=True)
    assert page.console_errors == []
