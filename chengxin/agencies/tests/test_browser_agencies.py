"""The clean-up in Chromium: the admin sees the proposals with reasons, confirms a selection, and
the removed officer leaves the public staff list; no console (CSP) errors."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils.timezone import localdate
from playwright.sync_api import expect

from chengxin.accounts.choices import Role
from chengxin.agencies.choices import OfficerStatus
from chengxin.agencies.models import EnforcementOfficer
from chengxin.core.tests.fixtures import PASSWORD
from chengxin.core.tests.test_browser import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clean_up_in_the_browser(
    page: Any,
    live_server: Any,
    make_user: Callable[..., Any],
    make_enforcement_officer: Callable[..., EnforcementOfficer],
) -> None:
    make_user(Role.RULE_OF_LAW_ADMIN, username="fazhi")
    expired = make_enforcement_officer(
        name="过期执法员",
        certificate_valid_until=localdate() - datetime.timedelta(days=2),
    )
    make_enforcement_officer(name="合格执法员", body=expired.body)
    page.goto(f"{live_server.url}/enforcement/officers/")
    # an expired certificate is off the public list at once, before the clean-up
    expect(page.get_by_text("合格执法员")).to_be_visible()
    assert "过期执法员" not in page.content()

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("fazhi")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(live_server.url + "/staff/agencies/cleanup/")
    expect(page.get_by_text("执法证已于")).to_be_visible()
    assert page.get_by_label("过期执法员").is_checked()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "agencies-cleanup.png", full_page=True)
    page.get_by_label("清理依据").fill("台司发〔2026〕3号")
    page.get_by_role("button", name="确认清理所选人员").click()
    expect(page.get_by_text("已清理 1 名执法人员。")).to_be_visible()
    expired.refresh_from_db()
    assert expired.status == OfficerStatus.REMOVED

    page.goto(f"{live_server.url}/enforcement/officers/")
    expect(page.get_by_text("合格执法员")).to_be_visible()
    assert "过期执法员" not in page.content()
    page.screenshot(path=SCREENSHOTS / "agencies-public-officers.png", full_page=True)
    assert page.console_errors == []
