"""The account pages in Chromium on a 390 px phone: my account and its password, API tokens, the
security administrator's settings and lockouts; no sideways scrolling, no CSP violation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from chengxin.accounts.choices import Role
from chengxin.accounts.models import ApiToken, User
from chengxin.core.models import LocalSetting
from chengxin.core.tests.fixtures import PASSWORD
from chengxin.core.tests.test_browser import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH = 390


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    yield page
    context.close()


def login(page: Any, url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(url + "/staff/")


def fits(page: Any, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, name
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"accounts-{name}-phone.png", full_page=True)


def test_a_clerk_changes_the_password_and_issues_a_token(
    phone: Any, live_server: Any, make_user: Any
) -> None:
    make_user(Role.CREDIT_CHECKER, username="clerk", full_name="李四")
    url = live_server.url
    login(phone, url, "clerk")
    phone.get_by_role("link", name="我的账户").click()
    expect(phone.get_by_role("heading", name="我的账户")).to_be_visible()
    fits(phone, "account")
    phone.get_by_role("link", name="修改密码").click()
    phone.get_by_label("原密码").fill(PASSWORD)
    phone.get_by_label("新密码", exact=True).fill("Xk9#mP2$vL7q")
    phone.get_by_label("再次输入新密码").fill("Xk9#mP2$vL7q")
    fits(phone, "password")
    phone.get_by_role("button", name="修改密码").click()
    expect(phone.get_by_text("密码已修改。")).to_be_visible()
    assert User.objects.get(username="clerk").check_password("Xk9#mP2$vL7q")

    phone.get_by_role("link", name="接口令牌（有效 0 个）").click()
    phone.get_by_label("接入系统名称").fill("审批系统")
    fits(phone, "tokens")
    phone.get_by_role("button", name="签发").click()
    token = phone.locator("#token").inner_text()
    assert token.startswith("cx_") and ApiToken.objects.get().user.username == "clerk"
    fits(phone, "token-created")
    phone.get_by_role("link", name="已保存，返回令牌列表").click()
    phone.wait_for_url(url + "/accounts/tokens/")
    assert token not in phone.content()
    phone.get_by_role("button", name="撤销").click()
    expect(phone.get_by_text("已撤销", exact=False).first).to_be_visible()
    assert not ApiToken.objects.get().is_active
    assert phone.console_errors == []


def test_the_security_admin_changes_a_setting_and_unlocks(
    phone: Any, live_server: Any, make_user: Any
) -> None:
    make_user(Role.SECURITY_ADMIN, username="secadmin")
    make_user(Role.CREDIT_CHECKER, username="zhao")
    for _ in range(5):
        Client(REMOTE_ADDR="10.8.1.1").post(
            "/accounts/login/", {"username": "zhao", "password": "wrong"}
        )
    url = live_server.url
    login(phone, url, "secadmin")
    phone.get_by_role("link", name="安全相关设置").click()
    phone.wait_for_url(url + "/accounts/security/settings/")
    fits(phone, "security-settings")
    phone.get_by_role(
        "link", name="重大执法决定：对公民（含个体工商户）的罚款或没收数额标准（元）"
    ).click()
    phone.get_by_label("取值").fill("20000")
    phone.get_by_label("依据或说明").fill("区政府令")
    fits(phone, "security-setting")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("已保存，立即生效")).to_be_visible()
    assert LocalSetting.objects.get(key="cases.major_fine_person").value == "20000"

    phone.goto(url + "/staff/")
    phone.get_by_role("link", name="登录锁定").click()
    expect(phone.get_by_role("cell", name="zhao")).to_be_visible()
    fits(phone, "lockouts")
    phone.get_by_role("button", name="解除", exact=True).first.click()
    expect(phone.get_by_text("已解除锁定")).to_be_visible()
    assert phone.console_errors == []
