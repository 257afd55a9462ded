"""The UI shell in a real browser: pages load with no CSP violation, login works, keyboard works."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from chengxin.accounts.choices import Role
from chengxin.core.tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def test_home_page_loads_every_asset_locally(page, live_server) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "本区信用信息查询"  # before setup
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        == "rgb(163, 21, 21)"
    )
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requests), (
        requests
    )
    assert page.console_errors == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "home.png", full_page=True)


def test_staff_login_dashboard_and_logout(page, live_server, make_user) -> None:
    make_user(Role.CREDIT_ADMIN, username="credit", full_name="孙志强")
    page.goto(live_server.url + "/staff/")
    assert "/accounts/login/" in page.url  # the staff area needs a login
    page.get_by_label("用户名").fill("credit")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/staff/")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_text("孙志强")).to_be_visible()
    expect(page.get_by_role("link", name="信用主体")).to_be_visible()
    assert page.get_by_role("link", name="审计日志").count() == 0  # the audit admin's, not ours
    page.screenshot(path=SCREENSHOTS / "dashboard.png", full_page=True)
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/staff/")
    assert "/accounts/login/" in page.url
    assert page.console_errors == []


def test_wrong_password_shows_a_chinese_message(page, live_server, make_user) -> None:
    make_user(Role.CREDIT_ADMIN, username="zhou")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("zhou")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").inner_text().startswith("用户名或密码不正确")


def test_keyboard_reaches_the_skip_link_first(page, live_server) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_readable_on_a_phone(browser, live_server) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_server.url + "/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    phone.screenshot(path=SCREENSHOTS / "home-phone.png", full_page=True)
    context.close()


def test_english_can_be_chosen(page, live_server) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "en"
