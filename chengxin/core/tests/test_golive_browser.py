"""The go-live checklist in Chromium at 1366 px and on a 390 px phone: reached from the system
administrator's menu, states in words, no sideways scrolling, no CSP violation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from chengxin.accounts.choices import DepartmentKind, Role
from chengxin.core import regions
from chengxin.core.models import Region
from chengxin.core.tests.fixtures import PASSWORD
from chengxin.core.tests.test_browser import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_system_administrator_opens_the_checklist_at_two_widths(
    page: Any, live_server: Any, make_user: Any, make_department: Any
) -> None:
    government = make_department(name="市中区人民政府", kind=DepartmentKind.PEOPLES_GOVERNMENT)
    Region.objects.create(
        code="370402",
        name="市中区",
        government=government,
        portal_name="市中区公共信用信息平台",
        host="credit.example.gov.cn",
        credit_office="市中区社会信用体系建设领导小组办公室",
    )
    regions.clear_cache()  # the names, as `chengxin setup` leaves them
    make_user(Role.DEPARTMENT_REPORTER, department=make_department(name="市中区市场监督管理局"))
    make_department(name="国家税务总局枣庄市市中区税务局")
    make_user(Role.SYSTEM_ADMIN, username="sysadmin", full_name="王建国")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("sysadmin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/staff/")
    page.get_by_role("link", name="上线检查清单").click()
    expect(page.get_by_role("heading", name="上线检查清单", level=1)).to_be_visible()
    assert "市中区公共信用信息平台" in page.locator(".site-header").inner_text()
    expect(page.get_by_text("项已就绪")).to_be_visible()
    badge = page.locator(".golive-item .badge.state-missing").first
    assert badge.is_visible() and "待完成" in badge.inner_text()  # in words, not colour only
    assert page.get_by_role("link", name="去设置").count() >= 3
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "golive-1366.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / "golive-390.png", full_page=True)

    page.get_by_role("link", name="去设置").first.click()  # the holiday notices, in the admin
    assert "/admin/" in page.url
    assert page.console_errors == []
