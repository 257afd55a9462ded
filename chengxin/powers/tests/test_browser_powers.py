"""The power list in Chromium: the public list of a past day shows that day's version; a change
proposed by a department's liaison, reviewed and approved by two people of the rule-of-law office
shows on the public item page with its 责任事项 and 追责情形."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from chengxin.accounts.choices import Role
from chengxin.core.tests.fixtures import PASSWORD
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


def login(page: Any, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_change_is_proposed_reviewed_and_approved(
    page: Any,
    live_server: Any,
    make_user: Callable[..., Any],
    make_department: Callable[..., Any],
    make_power_item: Callable[..., PowerItem],
) -> None:
    market = make_department(name="台儿庄区市场监督管理局")
    make_user(Role.LEGAL_AFFAIRS_OFFICER, department=market, username="liaison")
    make_user(Role.RULE_OF_LAW_ADMIN, username="lawadmin")
    make_user(Role.RULE_OF_LAW_ADMIN, username="lawreg")
    item = make_power_item(
        implementing_department=market, name="食品经营许可", time_limit="二十个工作日"
    )
    url = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    login(page, url, "liaison")
    page.goto(f"{url}/staff/powers/items/{item.pk}/")
    page.get_by_role("link", name="申报变更").click()
    page.get_by_label("办理时限").fill("十个工作日")
    page.get_by_label("责任事项").fill("1.受理责任……2.审查责任……3.决定责任……")
    page.get_by_label("追责情形").fill("1.对符合法定条件的申请不予受理的……")
    page.get_by_label("调整原因").fill("压缩办理时限")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("已提交调整申请，待司法局审核。")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "powers-proposal-submitted.png", full_page=True)

    login(page, url, "lawadmin")
    page.goto(f"{url}/staff/powers/proposals/")
    page.get_by_role("link", name="食品经营许可").click()
    page.get_by_label("审核通过，报请政府批准").check()
    page.get_by_role("button", name="提交审核意见").click()
    expect(page.get_by_text("审核通过，待登记政府批准。")).to_be_visible()

    login(page, url, "lawreg")
    page.goto(f"{url}/staff/powers/proposals/?status=passed")
    page.get_by_role("link", name="食品经营许可").click()
    page.get_by_label("批准文号").fill("台政字〔2026〕12号")
    page.get_by_role("button", name="登记批准").click()
    expect(page.get_by_text("已登记批准，调整自生效日期起列入清单。")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "powers-proposal-approved.png", full_page=True)

    page.goto(f"{url}/powers/items/{item.pk}/")
    expect(page.get_by_text("十个工作日")).to_be_visible()
    expect(page.get_by_text("1.对符合法定条件的申请不予受理的……")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "powers-public-item.png", full_page=True)
    assert page.console_errors == []
